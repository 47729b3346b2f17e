/** The digest a registry serves for latest: asked as the OCI Distribution Spec says, of a stand-in registry on 127.0.0.1 (no test touches the network). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerParams, locateImage, MANIFEST_TYPES, resolveDigest, resolveDigests, tokenRealm } from '../../generators/compose/resolve-digest.ts';
import { startRegistryStandIn, type RegistryStandIn } from '../helpers/registry-stand-in.ts';

let registry: RegistryStandIn;
beforeAll(async () => {
  registry = await startRegistryStandIn();
});
afterAll(async () => {
  await registry.close();
});

describe('locateImage', () => {
  it('GIVEN image references WHEN located THEN Docker Hub names get registry-1.docker.io (library/ for one part), others their host as written', () => {
    expect(locateImage('grafana')).toEqual({ registry: 'docker.io', base: 'https://registry-1.docker.io', repository: 'library/grafana', tag: 'latest' });
    expect(locateImage('grafana/grafana:latest')).toMatchObject({ base: 'https://registry-1.docker.io', repository: 'grafana/grafana', tag: 'latest' });
    expect(locateImage('docker.io/library/nginx')).toMatchObject({ registry: 'docker.io', repository: 'library/nginx' });
    expect(locateImage('ghcr.io/acme/web')).toEqual({ registry: 'ghcr.io', base: 'https://ghcr.io', repository: 'acme/web', tag: 'latest' });
    expect(locateImage('lscr.io/linuxserver/sonarr')).toMatchObject({ base: 'https://lscr.io', repository: 'linuxserver/sonarr' });
    expect(locateImage('registry.example.com:5000/team/app')).toMatchObject({ base: 'https://registry.example.com:5000', repository: 'team/app' });
    expect(locateImage('localhost:5000/app')).toMatchObject({ base: 'http://localhost:5000', repository: 'app' });
    expect(locateImage('grafana/grafana', new Map([['docker.io', 'http://127.0.0.1:1/']]))).toMatchObject({ base: 'http://127.0.0.1:1', repository: 'grafana/grafana' });
  });

  it('GIVEN Bearer challenges WHEN read THEN realm, service and scope come out; another scheme gives none', () => {
    expect(bearerParams('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual({ realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' });
    expect(bearerParams('Basic realm="x"')).toBeUndefined();
  });

  it('GIVEN challenges WHEN the token realm is read THEN service and scope are added (scope defaults to pulling the repository); an https registry never sends the lookup to plain http', () => {
    const hub = locateImage('grafana/grafana');
    expect(tokenRealm('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:grafana/grafana:pull"', hub)).toEqual({ url: new URL('https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Agrafana%2Fgrafana%3Apull') });
    expect(tokenRealm('Bearer realm="https://ghcr.io/token"', locateImage('ghcr.io/acme/web'))).toEqual({ url: new URL('https://ghcr.io/token?scope=repository%3Aacme%2Fweb%3Apull') });
    expect(tokenRealm('Bearer realm="http://169.254.169.254/token"', hub)).toEqual({ error: 'registry-1.docker.io named the token realm "http://169.254.169.254", which is not https' });
    expect(tokenRealm('Bearer realm="http://127.0.0.1:5000/token"', locateImage('127.0.0.1:5000/app'))).toMatchObject({ url: expect.any(URL) });
    expect(tokenRealm('Basic realm="x"', hub)).toEqual({ error: 'registry-1.docker.io asked for credentials (HTTP 401) without a Bearer token realm to ask anonymously' });
    expect(tokenRealm(null, hub)).toMatchObject({ error: expect.stringContaining('without a Bearer token realm') });
  });
});

describe('resolveDigest against a registry', () => {
  it('GIVEN a one-part Docker Hub name mapped to the stand-in WHEN resolved THEN the 401 challenge gets an anonymous token and HEAD gives Docker-Content-Digest', async () => {
    const before = registry.requests.length;
    const answer = await resolveDigest('grafana', { endpoints: new Map([['docker.io', registry.url]]) });
    expect(answer).toEqual({ digest: registry.manifest('library/grafana').digest, registry: registry.host });
    const asked = registry.requests.slice(before);
    expect(asked.map((r) => `${r.method} ${r.path}`)).toEqual([
      'HEAD /v2/library/grafana/manifests/latest',
      `GET /token?service=stand-in&scope=${encodeURIComponent('repository:library/grafana:pull')}`,
      'HEAD /v2/library/grafana/manifests/latest',
    ]);
    for (const type of MANIFEST_TYPES) expect(asked[2]!.accept).toContain(type);
    expect(asked[2]!.authorization).toBe('Bearer tok repository:library/grafana:pull');
  });

  it('GIVEN the registry named in the image (host:port/x/y) WHEN resolved THEN that host is asked', async () => {
    expect(await resolveDigest(`${registry.host}/acme/web:latest`)).toEqual({ digest: registry.manifest('acme/web').digest, registry: registry.host });
  });

  it('GIVEN a manifest served without Docker-Content-Digest WHEN resolved THEN the digest is the sha256 of the body a GET returns (token from access_token)', async () => {
    const answer = await resolveDigest(`${registry.host}/plain/app`);
    expect(answer).toEqual({ digest: registry.manifest('plain/app').digest, registry: registry.host });
    expect(registry.requests.filter((r) => r.path === '/v2/plain/app/manifests/latest').map((r) => r.method)).toEqual(['HEAD', 'HEAD', 'GET']);
  });

  it('GIVEN an unknown repository WHEN resolved THEN the error says the host has none (HTTP 404)', async () => {
    expect(await resolveDigest(`${registry.host}/nobody/app`)).toEqual({ error: `${registry.host} has no nobody/app:latest (HTTP 404)` });
  });

  it('GIVEN a web page instead of a manifest WHEN resolved THEN the error names the content type', async () => {
    const answer = await resolveDigest(`${registry.host}/html/app`);
    expect(answer).toEqual({ error: expect.stringContaining(`${registry.host} answered with the content type "text/html", not an image manifest`) });
  });

  it('GIVEN a token service that refuses WHEN resolved THEN the error names it and its status', async () => {
    expect(await resolveDigest(`${registry.host}/private/app`)).toEqual({ error: `the token service ${registry.host} of ${registry.host} answered HTTP 403` });
  });

  it('GIVEN a registry that never answers WHEN resolved THEN it gives up after the request timeout, saying so', async () => {
    expect(await resolveDigest(`${registry.host}/slow/app`, { requestTimeoutMs: 300 })).toEqual({ error: `${registry.host} did not answer within 0.3 s` });
    expect(await resolveDigest(`${registry.host}/slow/app`, { requestTimeoutMs: 5_000, lookupTimeoutMs: 300 })).toEqual({ error: `${registry.host} did not finish answering in time` });
  });

  it('GIVEN a host nothing listens on WHEN resolved THEN the error says it could not be reached, with the cause', async () => {
    const closed = await startRegistryStandIn();
    await closed.close();
    expect(await resolveDigest(`${closed.host}/acme/web`)).toEqual({ error: `could not reach ${closed.host} (ECONNREFUSED)` });
  });

  it('GIVEN the same image twice and others WHEN resolved together THEN each distinct image is asked once', async () => {
    const before = registry.requests.length;
    const answers = await resolveDigests([`${registry.host}/acme/a`, `${registry.host}/acme/b`, `${registry.host}/acme/a`]);
    expect([...answers.keys()]).toEqual([`${registry.host}/acme/a`, `${registry.host}/acme/b`]);
    expect(registry.requests.slice(before).filter((r) => r.method === 'GET')).toHaveLength(2); // one token each
  });
});
