/**
 * Certificates and credentials of a local cluster (openssl): its CA, the API server's serving
 * certificate, the ServiceAccount signing key pair, the static token of each identity
 * (tokens.csv, read by --token-auth-file) and one kubeconfig per identity.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { IDENTITIES, type Identity, type LocalCluster } from './local-cluster.ts';

export interface Pki {
  ca: string;
  serverCert: string;
  serverKey: string;
  saKey: string;
  saPub: string;
}

/** A self-signed CA, the API server's serving certificate, and the ServiceAccount signing key pair (openssl). */
export function makePki(dir: string): Pki {
  const pki = join(dir, 'pki');
  mkdirSync(pki, { recursive: true });
  const p = (name: string) => join(pki, name);
  const openssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      throw new Error(`openssl ${args[0]} failed: ${(error as { stderr?: Buffer }).stderr?.toString() ?? String(error)}`);
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '3650', '-subj', '/CN=devfleet-local-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=kube-apiserver');
  writeFileSync(p('server.ext'), [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
    '',
  ].join('\n'));
  openssl('x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('server.crt'), '-days', '3650', '-extfile', p('server.ext'));
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', p('sa.key'));
  openssl('pkey', '-in', p('sa.key'), '-pubout', '-out', p('sa.pub'));
  return { ca: p('ca.crt'), serverCert: p('server.crt'), serverKey: p('server.key'), saKey: p('sa.key'), saPub: p('sa.pub') };
}

/** A random token per identity, written to `<dir>/tokens.csv` with the identity's user and groups. */
export function makeTokens(dir: string): Record<Identity, string> {
  const tokens = Object.fromEntries(Object.keys(IDENTITIES).map((id) => [id, randomBytes(24).toString('hex')])) as Record<Identity, string>;
  writeFileSync(
    join(dir, 'tokens.csv'),
    Object.entries(IDENTITIES)
      .map(([id, { user, groups }], i) => `${tokens[id as Identity]},${user},uid-${i}${groups.length ? `,"${groups.join(',')}"` : ''}\n`)
      .join(''),
    { mode: 0o600 },
  );
  return tokens;
}

export function writeKubeconfig(cluster: LocalCluster, id: Identity): void {
  const name = `devfleet-local-${id}`;
  writeFileSync(
    cluster.kubeconfigs[id],
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'devfleet-local', cluster: { server: cluster.server, 'certificate-authority-data': readFileSync(cluster.caFile).toString('base64') } }],
      users: [{ name: IDENTITIES[id].user, user: { token: cluster.tokens[id] } }],
      contexts: [{ name, context: { cluster: 'devfleet-local', user: IDENTITIES[id].user } }],
      'current-context': name,
    }),
    { mode: 0o600 },
  );
}
