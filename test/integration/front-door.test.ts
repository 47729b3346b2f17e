/**
 * The front door for real on the local control plane (issue 12): KEDA's operator v2.21.0 and the
 * KEDA HTTP add-on v0.15.0's interceptor and scaler run as local processes (built from the Go module
 * proxy by scripts/build-front-door.sh, the versions terraform/ installs), against this run's
 * kube-apiserver and controller manager. erin's envs of the bundled examples are applied as
 * `devfleet render` prints them, and the test checks what a designer meets:
 *   1. `alwaysOn` docs is held at 1 by KEDA; shop (no scheduled wake) stays asleep;
 *   2. one request with shop's Host header gets the "starting" page (503, Refresh) and KEDA takes
 *      the Deployment 0 -> 1; `devfleet status` says it woke for a request;
 *   3. with no further request KEDA takes it back to 0 after the quiet period;
 *   4. `devfleet up` holds it awake through KEDA (force-activation, then removed), and the quiet
 *      period then counts from KEDA's record of it.
 *
 * Two changes to the rendered objects, both because this is one machine and not a cluster: the
 * ScaledObject's scaler address (a Service name that resolves inside a cluster only) points at the
 * local scaler, and shop's cooldown (idleMinutes x 60 s, at least 5 minutes) is 30 s so the test ends
 * in minutes. The interceptor's admin Service, through which the scaler finds interceptors, gets
 * this machine as its endpoint. KEDA and the interceptor watch dev-erin only, so the other
 * integration files' envs (dev-alice, where no KEDA is expected) are left alone. There are no
 * nodes: shop's Pod never becomes Ready, so the starting page never turns into the env here.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { envUrls } from '../../generators/plan/plan.ts';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { REPO } from '../helpers/fixtures.ts';
import { applyForReal, ensureNamespaces, eventually, kubectlOk, localCluster, manifestOf, manifests, namespacesOf, registerExternalSecretsCrds, renderedEnvManifests, treeManifests, type KubeObject } from './kube.ts';

const NAMESPACE = 'dev-erin';
const TOOLS = join(REPO, '.tools');
const COOLDOWN_SECONDS = 30;

let cluster: LocalCluster;
let work: string;
let proxyPort: number;
let shopHost: string;
const processes: { name: string; child: ChildProcess; log: string }[] = [];
const saved = { KUBECONFIG: process.env.KUBECONFIG, DEVFLEET_POLL_MS: process.env.DEVFLEET_POLL_MS };

const replicas = async (name: string) => Number(await kubectlOk(cluster, 'admin', ['get', 'deployment', name, '-n', NAMESPACE, '-o', 'jsonpath={.spec.replicas}']));
const scaledObject = async (name: string) => JSON.parse(await kubectlOk(cluster, 'admin', ['get', 'scaledobject', name, '-n', NAMESPACE, '-o', 'json'])) as { metadata: { annotations?: Record<string, string> }; status?: { lastActiveTime?: string; conditions?: { type: string; status: string }[] } };
const statusOf = async (project: string) => {
  const result = await runCli('status', '--root', REPO, '--developer', 'erin', '--json');
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { project: string; status: string; reason: string; scaledBy: string | null }[]).find((r) => r.project === project)!;
};

/** The last lines of every process's log, for a failure message. */
const logs = () => processes.map((p) => `--- ${p.name} (${p.log}):\n${readFileSync(p.log, 'utf8').split('\n').slice(-15).join('\n')}`).join('\n');

/** Waits for a condition, saying what the front door's processes logged when it does not come. */
async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  try {
    return await eventually(what, f, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${logs()}`);
  }
}

/** GET / through the interceptor with a Host header (fetch() may not set one: a forbidden header name). */
function get(host: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: proxyPort, path: '/', headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** This machine's first non-loopback IPv4 address: an EndpointSlice may not hold a loopback one. */
function hostAddress(): string {
  const address = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (!address) throw new Error(`no non-loopback IPv4 address on ${hostname()} for the interceptor admin Service's endpoint`);
  return address;
}

function start(name: string, binary: string, args: string[], env: Record<string, string>): void {
  const path = join(TOOLS, 'bin', binary);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`bash scripts/install-tools.sh --all\` (npm run test:e2e does) to build KEDA and the HTTP add-on`);
  const log = join(work, `${name}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(path, args, { env: { ...process.env, KUBECONFIG: cluster.kubeconfigs.admin, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  processes.push({ name, child, log });
}

/** erin's envs as rendered, with the two local changes of the file comment. */
async function erinEnvs(scalerPort: number): Promise<ReturnType<typeof manifestOf>[]> {
  const rendered = (await renderedEnvManifests(REPO, 'dev')).filter((m) => m.namespace === NAMESPACE);
  return rendered.map((m) => {
    if (m.object.kind !== 'ScaledObject') return m;
    const object = structuredClone(m.object) as KubeObject & { spec: { cooldownPeriod: number; triggers: { type: string; metadata: Record<string, string> }[] } };
    for (const trigger of object.spec.triggers) if (trigger.type === 'external-push') trigger.metadata.scalerAddress = `127.0.0.1:${scalerPort}`;
    if (object.metadata.name === 'shop') object.spec.cooldownPeriod = COOLDOWN_SECONDS;
    return { ...manifestOf(object), namespace: NAMESPACE };
  });
}

beforeAll(async () => {
  cluster = await localCluster();
  work = join(cluster.dir, 'front-door');
  mkdirSync(work, { recursive: true });
  const [adminPort, scalerPort, metricsPort, probePort, grpcPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  proxyPort = await freePort();

  const plan = (await loadFleet(REPO)).clusters.find((c) => c.cluster.name === 'dev')!;
  const shop = plan.envs.find((e) => e.developer === 'erin' && e.project.name === 'shop')!;
  shopHost = new URL(envUrls(shop)[0]!).host;

  // The platform objects (namespaces, RBAC, admission policies) and KEDA's CRDs: all of KEDA's own
  // (its operator watches each kind it defines) over the vendored ScaledObject one, and the add-on's
  // (vendored).
  const platform = [...treeManifests(join(REPO, 'clusters', 'dev', 'apps', 'namespaces')), ...treeManifests(join(REPO, 'clusters', 'dev', 'apps', 'platform'))];
  await ensureNamespaces(cluster, [...namespacesOf(platform), 'keda']);
  await applyForReal(cluster, platform);
  await registerExternalSecretsCrds(cluster);
  const crdDir = join(TOOLS, 'keda-crds');
  if (!existsSync(crdDir)) throw new Error(`${crdDir} is missing: run \`bash scripts/install-tools.sh --all\``);
  const crds = [
    ...readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort().flatMap((f) => manifests(readFileSync(join(crdDir, f), 'utf8'))),
    // The interceptor watches the older HTTPScaledObject API too, and stops when it is not served.
    ...['http.keda.sh_interceptorroutes.yaml', 'http.keda.sh_httpscaledobjects.yaml'].flatMap((f) => manifests(readFileSync(join(REPO, 'test', 'fixtures', 'http-add-on', f), 'utf8'))),
  ];
  await kubectlOk(cluster, 'admin', ['apply', '--server-side', '--force-conflicts', '-f', '-'], crds.map((c) => c.text).join('\n---\n'));
  await kubectlOk(cluster, 'admin', ['wait', '--for=condition=Established', ...crds.map((c) => `crd/${c.object.metadata.name}`), '--timeout=60s']);

  await applyForReal(cluster, await erinEnvs(scalerPort));
  const adminService = 'front-door-test-interceptor-admin';
  await applyForReal(cluster, [
    manifestOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: adminService, namespace: 'keda' }, spec: { ports: [{ name: 'admin', port: adminPort }] } }),
    manifestOf({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${adminService}-local`, namespace: 'keda', labels: { 'kubernetes.io/service-name': adminService } },
      addressType: 'IPv4',
      ports: [{ name: 'admin', port: adminPort }],
      endpoints: [{ addresses: [hostAddress()], conditions: { ready: true } }],
    } as unknown as KubeObject),
  ]);

  // KEDA's operator serves gRPC with TLS from --cert-dir (in a cluster, its chart makes the certificate).
  const certs = join(work, 'certs');
  mkdirSync(certs, { recursive: true });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=keda-operator.keda.svc', '-addext', 'subjectAltName=DNS:keda-operator.keda.svc,DNS:localhost,IP:127.0.0.1', '-keyout', join(certs, 'tls.key'), '-out', join(certs, 'tls.crt')], { stdio: 'ignore' });
  execFileSync('cp', [join(certs, 'tls.crt'), join(certs, 'ca.crt')]);

  start('interceptor', 'keda-http-interceptor', [], { KEDA_HTTP_PROXY_PORT: String(proxyPort), KEDA_HTTP_ADMIN_PORT: String(adminPort), KEDA_HTTP_WATCH_NAMESPACE: NAMESPACE, OTEL_PROM_EXPORTER_ENABLED: 'false' });
  start('scaler', 'keda-http-scaler', [], {
    KEDA_HTTP_SCALER_PORT: String(scalerPort),
    KEDA_HTTP_SCALER_TARGET_ADMIN_NAMESPACE: 'keda',
    KEDA_HTTP_SCALER_TARGET_ADMIN_SERVICE: adminService,
    KEDA_HTTP_SCALER_TARGET_ADMIN_DEPLOYMENT: 'keda-add-ons-http-interceptor',
    KEDA_HTTP_SCALER_TARGET_ADMIN_PORT: String(adminPort),
    OTEL_PROM_EXPORTER_ENABLED: 'false',
  });
  // KEDA_RESTRICT_SECRET_ACCESS is what terraform/'s permissions.operator.restrict.secret sets: KEDA
  // then does not resolve the env Secrets (none exist here: no External Secrets operator).
  start(
    'keda-operator',
    'keda',
    [`--cert-dir=${certs}`, `--metrics-bind-address=127.0.0.1:${metricsPort}`, `--health-probe-bind-address=127.0.0.1:${probePort}`, `--metrics-service-bind-address=127.0.0.1:${grpcPort}`, '--enable-webhook-patching=false', '--enable-apiservice-patching=false'],
    { WATCH_NAMESPACE: NAMESPACE, POD_NAMESPACE: 'keda', KEDA_CLUSTER_OBJECT_NAMESPACE: 'keda', KEDA_RESTRICT_SECRET_ACCESS: 'true' },
  );
  process.env.KUBECONFIG = cluster.kubeconfigs.admin;
  process.env.DEVFLEET_POLL_MS = '500';
  await until('shop\'s ScaledObject Ready', async () => ((await scaledObject('shop')).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined), 90_000);
}, 300_000);

afterAll(async () => {
  for (const p of processes) p.child.kill('SIGTERM');
  await Promise.all(processes.map((p) => (p.child.exitCode === null ? new Promise((r) => { p.child.once('exit', r); setTimeout(() => { p.child.kill('SIGKILL'); r(undefined); }, 5_000); }) : undefined)));
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('the front door with KEDA and the HTTP add-on running', () => {
  it('GIVEN erin\'s envs synced WHEN KEDA has read them THEN always-on docs is held at 1 and shop (no scheduled wake) sleeps', async () => {
    await until('docs at 1', async () => ((await replicas('docs')) === 1 ? true : undefined), 60_000);
    expect(await replicas('shop')).toBe(0);
  });

  it('GIVEN shop asleep WHEN one request with its Host header arrives THEN the starting page answers and KEDA takes shop 0 -> 1, for a request', async () => {
    // Until its informer has read the InterceptorRoutes, the interceptor answers an unknown host
    // with 404 (no route, so no wake): ask until it knows shop.
    const response = await until(
      `the interceptor routing ${shopHost}`,
      async () => {
        const r = await get(shopHost);
        return r.status === 404 ? undefined : r;
      },
      60_000,
    );
    expect(response.status).toBe(503);
    expect(response.headers.refresh).toBe('5');
    expect(response.body).toContain('<h1>Starting shop for erin</h1>');
    await until('shop at 1 replica', async () => ((await replicas('shop')) === 1 ? true : undefined), 60_000);
    expect(await statusOf('shop')).toMatchObject({ status: 'starting', reason: 'request', scaledBy: 'keda' });
  }, 120_000);

  it('GIVEN shop woken by a request WHEN no further request comes THEN KEDA takes it back to 0 after the quiet period (the one-minute request window, then the cooldown)', async () => {
    const woken = Date.now();
    await until('shop back at 0', async () => ((await replicas('shop')) === 0 ? true : undefined), 240_000);
    // Not before the request window (60 s) and the cooldown have passed.
    expect(Date.now() - woken).toBeGreaterThan(COOLDOWN_SECONDS * 1000);
  }, 300_000);

  it('GIVEN shop asleep WHEN devfleet up runs THEN KEDA confirms, the force-activation annotation is gone, and shop sleeps again one quiet period later', async () => {
    const up = await runCli('up', 'shop', '--root', REPO, '--developer', 'erin');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).not.toContain('KEDA did not confirm');
    expect(await replicas('shop')).toBe(1);
    const object = await scaledObject('shop');
    expect(object.metadata.annotations?.['autoscaling.keda.sh/force-activation']).toBeUndefined();
    expect(object.status?.lastActiveTime).toBeDefined();
    // KEDA checks every 30 s: shop stays awake through its next check, then sleeps after the cooldown.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await replicas('shop')).toBe(1);
    await until('shop back at 0 after the cooldown', async () => ((await replicas('shop')) === 0 ? true : undefined), 180_000);
  }, 300_000);
});
