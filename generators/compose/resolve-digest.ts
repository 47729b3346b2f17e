/**
 * The digest an image's registry serves for `latest` today, so an import can pin an untagged
 * image that is not a Docker official one (pin-image.ts knows those) to exactly what Compose
 * would run now: `<image>@sha256:<digest>`.
 *
 * The OCI Distribution Spec's "Checking if content exists in the registry": HEAD
 * /v2/<repository>/manifests/<tag> with the manifest (list) media types accepted; the digest is
 * the Docker-Content-Digest header, or, without it, the sha256 of the body a GET returns. A 401
 * with `WWW-Authenticate: Bearer realm=...,service=...,scope=...` is answered with an anonymous
 * token (Docker's token auth: GET realm?service=&scope=, `token` or `access_token`).
 * Ref https://github.com/opencontainers/distribution-spec/blob/main/spec.md
 * Ref https://distribution.github.io/distribution/spec/auth/token/
 *
 * Never throws and never hangs: every request has a timeout and all of one lookup a total bound;
 * any failure is returned as words saying which host answered what.
 */
import { createHash } from 'node:crypto';
import { splitImage } from '../definitions/check-image.ts';

/** The manifest media types asked for: an index (multi-platform) first, as `docker pull` resolves it. */
export const MANIFEST_TYPES: readonly string[] = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** Docker Hub: what an image without a registry host is pulled from. */
export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'https://registry-1.docker.io';
/** Per request and per lookup (token, HEAD, maybe GET), in milliseconds. */
export const REQUEST_TIMEOUT_MS = 5_000;
export const LOOKUP_TIMEOUT_MS = 15_000;
/** A manifest (list) larger than this is not one. */
const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;

export interface RegistryOptions {
  /** Base URLs per registry as images name it (`docker.io` for Docker Hub), over the default `https://<host>`. */
  readonly endpoints?: ReadonlyMap<string, string>;
  readonly requestTimeoutMs?: number;
  readonly lookupTimeoutMs?: number;
}

/** Where `image`'s manifests are asked for: the registry as named, its API base URL, the repository and the tag. */
export interface ImageLocation {
  readonly registry: string;
  readonly base: string;
  readonly repository: string;
  readonly tag: string;
}

/** `name` -> Docker Hub's library/name; `user/name` -> Docker Hub; `host[:port]/x/y` -> that host (http for localhost and 127.0.0.1). */
export function locateImage(image: string, endpoints: ReadonlyMap<string, string> = new Map()): ImageLocation {
  const { domain, path, tag } = splitImage(image);
  const hub = domain === undefined || domain === 'docker.io' || domain === 'index.docker.io';
  const registry = hub ? DOCKER_HUB : domain;
  const repository = hub && path.length === 1 ? `library/${path[0]}` : path.join('/');
  const local = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/.test(registry);
  const base = endpoints.get(registry) ?? (hub ? DOCKER_HUB_API : `${local ? 'http' : 'https'}://${registry}`);
  return { registry, base: base.replace(/\/+$/, ''), repository, tag: tag ?? 'latest' };
}

export type DigestLookup = { readonly digest: string; readonly registry: string } | { readonly error: string };

/** The digest `image`'s registry serves for its tag (`latest` when untagged), or why it could not say. */
export async function resolveDigest(image: string, options: RegistryOptions = {}): Promise<DigestLookup> {
  const where = locateImage(image, options.endpoints);
  const host = hostOf(where.base);
  const requestMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const lookup = AbortSignal.timeout(options.lookupTimeoutMs ?? LOOKUP_TIMEOUT_MS);
  const url = `${where.base}/v2/${where.repository}/manifests/${encodeURIComponent(where.tag)}`;
  const ask = async (target: string, init: RequestInit): Promise<Response> => {
    const signal = AbortSignal.any([lookup, AbortSignal.timeout(requestMs)]);
    return fetch(target, { ...init, redirect: 'follow', signal });
  };
  try {
    const headers: Record<string, string> = { Accept: MANIFEST_TYPES.join(', ') };
    let response = await ask(url, { method: 'HEAD', headers });
    if (response.status === 401) {
      const token = await anonymousToken(response.headers.get('www-authenticate'), where, ask);
      if ('error' in token) return token;
      headers.Authorization = `Bearer ${token.token}`;
      response = await ask(url, { method: 'HEAD', headers });
    }
    if (response.status === 404) return { error: `${host} has no ${where.repository}:${where.tag} (HTTP 404)` };
    if (response.status === 401 || response.status === 403) return { error: `${host} refused to serve ${where.repository}:${where.tag} anonymously (HTTP ${response.status}); a private image needs a version chosen by hand` };
    if (!response.ok) return { error: `${host} answered HTTP ${response.status} for ${where.repository}:${where.tag}` };
    const wrongType = checkType(response, host);
    if (wrongType) return wrongType;
    const header = response.headers.get('docker-content-digest');
    if (header !== null) {
      return /^sha256:[a-f0-9]{64}$/.test(header) ? { digest: header, registry: host } : { error: `${host} sent the digest ${JSON.stringify(header.slice(0, 80))}, not sha256:<64 hex characters>` };
    }
    // No Docker-Content-Digest header: the digest is the sha256 of the manifest's bytes as served.
    const full = await ask(url, { method: 'GET', headers });
    if (!full.ok) return { error: `${host} answered HTTP ${full.status} to GET ${where.repository}:${where.tag}` };
    const wrongBodyType = checkType(full, host);
    if (wrongBodyType) return wrongBodyType;
    if (Number(full.headers.get('content-length') ?? 0) > MANIFEST_MAX_BYTES) return { error: `${host} announced ${full.headers.get('content-length')} bytes for a manifest (more than ${MANIFEST_MAX_BYTES})` };
    const body = Buffer.from(await full.arrayBuffer());
    if (body.length > MANIFEST_MAX_BYTES) return { error: `${host} sent ${body.length} bytes for a manifest (more than ${MANIFEST_MAX_BYTES})` };
    return { digest: `sha256:${createHash('sha256').update(body).digest('hex')}`, registry: host };
  } catch (error) {
    return { error: unreachable(error, host, requestMs, lookup.aborted) };
  }
}

/** The manifest's Content-Type must be one asked for (a login page or an error document is not a manifest). */
function checkType(response: Response, host: string): { error: string } | undefined {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (MANIFEST_TYPES.includes(type)) return undefined;
  return { error: `${host} answered with ${type === '' ? 'no content type' : `the content type ${JSON.stringify(type.slice(0, 80))}`}, not an image manifest (${MANIFEST_TYPES.join(', ')})` };
}

/** An anonymous pull token for the Bearer challenge of a 401, or why there is none. */
async function anonymousToken(challenge: string | null, where: ImageLocation, ask: (url: string, init: RequestInit) => Promise<Response>): Promise<{ token: string } | { error: string }> {
  const realm = tokenRealm(challenge, where);
  if ('error' in realm) return realm;
  const host = hostOf(where.base);
  const response = await ask(realm.url.href, { method: 'GET', headers: { Accept: 'application/json' } });
  if (!response.ok) return { error: `the token service ${realm.url.host} of ${host} answered HTTP ${response.status}` };
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    return { error: `the token service ${realm.url.host} of ${host} did not answer JSON` };
  }
  const token = (body as { token?: unknown; access_token?: unknown } | null)?.token ?? (body as { access_token?: unknown } | null)?.access_token;
  return typeof token === 'string' && token !== '' ? { token } : { error: `the token service ${realm.url.host} of ${host} gave no token` };
}

/** Where an anonymous token for the 401's challenge is asked (realm?service=&scope=), or why not there. */
export function tokenRealm(challenge: string | null, where: ImageLocation): { url: URL } | { error: string } {
  const params = challenge === null ? undefined : bearerParams(challenge);
  const host = hostOf(where.base);
  if (params?.realm === undefined) return { error: `${host} asked for credentials (HTTP 401) without a Bearer token realm to ask anonymously` };
  let url: URL;
  try {
    url = new URL(params.realm);
  } catch {
    return { error: `${host} named the token realm ${JSON.stringify(params.realm.slice(0, 80))}, which is not a URL` };
  }
  // A registry asked over https gets its token over https too (a challenge cannot send the lookup to plain http or elsewhere).
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && where.base.startsWith('http:'))) return { error: `${host} named the token realm ${JSON.stringify(url.origin)}, which is not https` };
  if (params.service !== undefined) url.searchParams.set('service', params.service);
  url.searchParams.set('scope', params.scope ?? `repository:${where.repository}:pull`);
  return { url };
}

/** The parameters of a `Bearer k="v",k="v"` challenge (undefined for another scheme). */
export function bearerParams(challenge: string): Record<string, string> | undefined {
  const match = /^\s*Bearer\s+(.*)$/i.exec(challenge);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of match[1]!.matchAll(/([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) params[key!.toLowerCase()] = quoted ?? bare ?? '';
  return params;
}

function hostOf(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    return base;
  }
}

/** Why a request did not get an answer, in words. */
function unreachable(error: unknown, host: string, requestMs: number, lookupOver: boolean): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return lookupOver ? `${host} did not finish answering in time` : `${host} did not answer within ${requestMs / 1000} s`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : String((error as Error)?.message ?? error);
  return `could not reach ${host} (${code})`;
}

/** Each image's lookup, all at once (each distinct image asked once). */
export async function resolveDigests(images: Iterable<string>, options: RegistryOptions = {}): Promise<Map<string, DigestLookup>> {
  const distinct = [...new Set(images)];
  const answers = await Promise.all(distinct.map((image) => resolveDigest(image, options)));
  return new Map(distinct.map((image, i) => [image, answers[i]!]));
}
