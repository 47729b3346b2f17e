/**
 * A container registry on 127.0.0.1 (random port) that answers as the OCI Distribution Spec and
 * Docker's token auth say, so the digest lookups of the compose import are tested without the
 * network: every manifest asks for a Bearer token first (401 + WWW-Authenticate), the token
 * endpoint hands one out anonymously, HEAD answers with Docker-Content-Digest; it serves `latest`
 * of the repositories under library/, acme/, grafana/ (and plain/, html/), others get 404. Special repositories: `slow/*` never answers, `plain/*` has no
 * Docker-Content-Digest header (the digest is the sha256 of the body a GET returns), `html/*`
 * serves a web page instead of a manifest, `private/*` refuses the token.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const INDEX_TYPE = 'application/vnd.oci.image.index.v1+json';

export interface RegistryStandIn {
  /** `127.0.0.1:PORT`, as an image names the registry. */
  readonly host: string;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Every request: method, path with query, and the Accept and Authorization headers. */
  readonly requests: { method: string; path: string; accept?: string; authorization?: string }[];
  /** The manifest bytes of repository:tag, and their sha256 digest. */
  manifest(repository: string, tag?: string): { body: Buffer; digest: string };
  close(): Promise<void>;
}

export async function startRegistryStandIn(): Promise<RegistryStandIn> {
  const requests: RegistryStandIn['requests'] = [];
  const manifest = (repository: string, tag = 'latest') => {
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: INDEX_TYPE, manifests: [], annotations: { 'stand-in': `${repository}:${tag}` } }));
    return { body, digest: `sha256:${createHash('sha256').update(body).digest('hex')}` };
  };
  let base = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    requests.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, accept: req.headers.accept, authorization: req.headers.authorization });
    if (url.pathname === '/token') {
      const scope = url.searchParams.get('scope') ?? '';
      if (url.searchParams.get('service') !== 'stand-in' || scope.startsWith('repository:private/')) {
        res.writeHead(403, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"DENIED"}]}');
        return;
      }
      // Docker Hub answers both; access_token alone for the plain/ repositories, to check either is read.
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(scope.startsWith('repository:plain/') ? { access_token: `tok ${scope}` } : { token: `tok ${scope}` }));
      return;
    }
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const [, repository, tag] = match as unknown as [string, string, string];
    if (repository.startsWith('slow/')) return; // never answers
    const scope = `repository:${repository}:pull`;
    if (req.headers.authorization !== `Bearer tok ${scope}`) {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${base}/token",service="stand-in",scope="${scope}"`, 'Content-Type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    if (!/^(library|acme|grafana|plain|html)\//.test(repository) || tag !== 'latest') {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      return;
    }
    if (repository.startsWith('html/')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : '<html>sign in</html>');
      return;
    }
    const { body, digest } = manifest(repository, tag);
    const headers: Record<string, string | number> = { 'Content-Type': INDEX_TYPE, 'Content-Length': body.length };
    if (!repository.startsWith('plain/')) headers['Docker-Content-Digest'] = digest;
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    host: `127.0.0.1:${port}`,
    url: base,
    requests,
    manifest,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
