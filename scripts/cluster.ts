/**
 * A local Kubernetes control plane for tests and for trying devfleet without a cloud account:
 * etcd, kube-apiserver and kube-controller-manager from .tools/bin/kube
 * (scripts/build-apiserver.sh), on 127.0.0.1 with generated certificates.
 *
 *   npm run cluster:up      # .cluster/kubeconfig (admin) and one kubeconfig per test identity
 *   npm run cluster:down    # stops everything, removes .cluster/
 *
 * The API server runs as EKS does where devfleet depends on it: RBAC authorization, the default
 * admission plugins plus PodSecurity, privileged containers allowed by the server (so only Pod
 * Security rejects them), ServiceAccount tokens through the TokenRequest API. Identities come from
 * a static token file:
 *
 *   admin     devfleet-admin             group system:masters
 *   alice     devfleet:developer:alice   group devfleet:developers (what EKS access entries map to)
 *   outsider  outsider                   no group
 *
 * There are no nodes: Pods are created (Pending) but never run. The controller manager makes
 * ReplicaSets and Pods from Deployments, the `default` ServiceAccount of each namespace, and
 * finalizes deleted namespaces.
 *
 * Every `up` of a directory is idempotent: a running, healthy control plane is reused, anything
 * else found there is stopped and replaced. Tests start their own in a temporary directory
 * (test/integration/global-setup.ts), so they never touch .cluster/.
 */
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DIR = join(REPO, '.cluster');
export const BINARY = join(REPO, '.tools', 'bin', 'kube');
const BUILD_HINT = 'build it with `bash scripts/build-apiserver.sh` (also run by `npm run tools` and `npm test`)';

export const IDENTITIES = {
  admin: { user: 'devfleet-admin', groups: ['system:masters'] },
  alice: { user: 'devfleet:developer:alice', groups: ['devfleet:developers'] },
  outsider: { user: 'outsider', groups: [] as string[] },
} as const;
export type Identity = keyof typeof IDENTITIES;

export interface LocalCluster {
  readonly dir: string;
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** PEM file of the CA that signed the serving certificate. */
  readonly caFile: string;
  /** One kubeconfig per identity; `admin` is `<dir>/kubeconfig`. */
  readonly kubeconfigs: Readonly<Record<Identity, string>>;
  readonly tokens: Readonly<Record<Identity, string>>;
}

type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager';
const COMPONENTS: readonly Component[] = ['etcd', 'kube-apiserver', 'kube-controller-manager'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the control plane in `dir` (or reuses the healthy one already running there). */
export async function clusterUp(options: { dir?: string; log?: (line: string) => void } = {}): Promise<LocalCluster> {
  const dir = resolve(options.dir ?? DEFAULT_DIR);
  const log = options.log ?? (() => {});
  mkdirSync(dir, { recursive: true });
  return withLock(dir, async () => {
    const running = readState(dir);
    if (running && COMPONENTS.every((c) => alive(dir, c)) && (await readyz(running)) === 'ok') {
      log(`reusing the control plane already running at ${running.server} (${dir})`);
      return running;
    }
    if (!existsSync(BINARY)) throw new Error(`${BINARY} does not exist: the local API server is not built; ${BUILD_HINT}`);
    await stopAll(dir);
    for (const entry of readdirSync(dir)) if (entry !== LOCK) rmSync(join(dir, entry), { recursive: true, force: true });

    const pki = makePki(dir);
    const tokens = Object.fromEntries(Object.keys(IDENTITIES).map((id) => [id, randomBytes(24).toString('hex')])) as Record<Identity, string>;
    writeFileSync(
      join(dir, 'tokens.csv'),
      Object.entries(IDENTITIES)
        .map(([id, { user, groups }], i) => `${tokens[id as Identity]},${user},uid-${i}${groups.length ? `,"${groups.join(',')}"` : ''}\n`)
        .join(''),
      { mode: 0o600 },
    );

    // Free ports are picked, then bound by another process: retry if one was taken meanwhile.
    for (let attempt = 1; ; attempt++) {
      const [etcdClient, etcdPeer, apiserver] = (await freePorts(3)) as [number, number, number];
      const cluster: LocalCluster = {
        dir,
        server: `https://127.0.0.1:${apiserver}`,
        caFile: pki.ca,
        kubeconfigs: { admin: join(dir, 'kubeconfig'), alice: join(dir, 'kubeconfig-alice'), outsider: join(dir, 'kubeconfig-outsider') },
        tokens,
      };
      try {
        log(`starting etcd on 127.0.0.1:${etcdClient}`);
        const etcd = start(dir, 'etcd', ['--data-dir', join(dir, 'etcd'), `--listen-client-url=http://127.0.0.1:${etcdClient}`, `--listen-peer-url=http://127.0.0.1:${etcdPeer}`]);
        await waitFor('etcd', etcd, dir, 60_000, async () => (await httpGet(`http://127.0.0.1:${etcdClient}/health`)).includes('"health":"true"'));

        log(`starting kube-apiserver on ${cluster.server}`);
        const api = start(dir, 'kube-apiserver', apiserverFlags(dir, pki, etcdClient, apiserver));
        await waitFor('kube-apiserver', api, dir, 180_000, async () => (await readyz(cluster)) === 'ok');

        for (const id of Object.keys(IDENTITIES) as Identity[]) writeKubeconfig(cluster, id);

        log('starting kube-controller-manager');
        const kcm = start(dir, 'kube-controller-manager', [
          `--kubeconfig=${cluster.kubeconfigs.admin}`,
          '--leader-elect=false',
          // No HTTPS endpoint: several control planes (parallel test runs) share this machine.
          '--secure-port=0',
          `--root-ca-file=${pki.ca}`,
          `--service-account-private-key-file=${pki.saKey}`,
          // Off: at the schedules' real times it would only add Jobs whose Pods stay Pending (no nodes)
          // to the namespaces tests look at. test/integration/lifecycle.test.ts runs the jobs' command.
          '--controllers=*,-cronjob-controller',
          '--concurrent-deployment-syncs=10',
        ]);
        // The serviceaccount controller creating `default` proves the controllers are running.
        await waitFor('kube-controller-manager', kcm, dir, 120_000, async () => (await apiGet(cluster, '/api/v1/namespaces/default/serviceaccounts/default')).status === 200);
        writeFileSync(join(dir, 'cluster.json'), `${JSON.stringify(cluster, null, 2)}\n`);
        log(`ready: KUBECONFIG=${cluster.kubeconfigs.admin}`);
        return cluster;
      } catch (error) {
        await stopAll(dir);
        const message = error instanceof Error ? error.message : String(error);
        if (attempt < 3 && /address already in use/.test(message)) {
          log(`a port was taken (${message.split('\n')[0]}); retrying with other ports`);
          rmSync(join(dir, 'etcd'), { recursive: true, force: true });
          continue;
        }
        throw error;
      }
    }
  });
}

/** Stops every component started in `dir` and removes the directory. */
export async function clusterDown(options: { dir?: string; log?: (line: string) => void } = {}): Promise<void> {
  const dir = resolve(options.dir ?? DEFAULT_DIR);
  if (!existsSync(dir)) return;
  await withLock(dir, async () => {
    await stopAll(dir, options.log);
    for (const entry of readdirSync(dir)) if (entry !== LOCK) rmSync(join(dir, entry), { recursive: true, force: true });
  });
  rmSync(dir, { recursive: true, force: true });
}

/** The control plane recorded in `dir` by a completed `clusterUp`, if any. */
export function readState(dir: string = DEFAULT_DIR): LocalCluster | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as LocalCluster;
  } catch {
    return undefined;
  }
}

function apiserverFlags(dir: string, pki: Pki, etcdPort: number, port: number): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    `--cert-dir=${join(dir, 'pki')}`,
    `--tls-cert-file=${pki.serverCert}`,
    `--tls-private-key-file=${pki.serverKey}`,
    `--client-ca-file=${pki.ca}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    // The defaults of 1.32 plus the ones EKS turns on; PodSecurity enforces the namespace labels.
    '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota,PodSecurity,Priority,StorageObjectInUseProtection,PersistentVolumeClaimResize,RuntimeClass,CertificateApproval,CertificateSigning,CertificateSubjectRestriction,DefaultIngressClass,ValidatingAdmissionPolicy',
    // As on EKS: the server itself allows privileged containers, Pod Security decides per namespace.
    '--allow-privileged=true',
    // Signing keys enable the TokenRequest API (`kubectl create token`).
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    // The `kubernetes` Service's endpoints cannot be a loopback address; nothing here needs them.
    '--endpoint-reconciler-type=none',
    '--profiling=false',
    '--v=1',
  ];
}

interface Pki {
  ca: string;
  serverCert: string;
  serverKey: string;
  saKey: string;
  saPub: string;
}

/** A self-signed CA, the API server's serving certificate, and the ServiceAccount signing key pair (openssl). */
function makePki(dir: string): Pki {
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

function writeKubeconfig(cluster: LocalCluster, id: Identity): void {
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

// ---- processes ------------------------------------------------------------------------------

const pidFile = (dir: string, c: Component) => join(dir, `${c}.pid`);
const logFile = (dir: string, c: Component) => join(dir, `${c}.log`);

function start(dir: string, component: Component, args: string[]) {
  const out = openSync(logFile(dir, component), 'a');
  // Detached: the control plane outlives the command (or test worker) that started it.
  const child = spawn(BINARY, [component, ...args], { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${BINARY} ${component}`);
  writeFileSync(pidFile(dir, component), `${child.pid}\n`);
  const state = { exited: undefined as number | null | undefined };
  child.on('exit', (code, signal) => (state.exited = code ?? (signal ? -1 : null)));
  return state;
}

async function waitFor(component: Component, state: { exited: number | null | undefined }, dir: string, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (state.exited !== undefined) throw new Error(`${component} exited (code ${state.exited}) while starting; last lines of ${logFile(dir, component)}:\n${tail(logFile(dir, component))}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${component} not ready after ${timeoutMs / 1000} s; last lines of ${logFile(dir, component)}:\n${tail(logFile(dir, component))}`);
    await sleep(250);
  }
}

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The pid recorded for a component, if that process is still ours (its command line names the binary and this directory). */
function ourPid(dir: string, component: Component): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile(dir, component), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  try {
    // A zombie (exited, not yet reaped by its parent) is gone for our purposes.
    if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    // A recycled pid belongs to someone else: never signal it.
    if (cmdline[0] !== BINARY || cmdline[1] !== component || !cmdline.some((a) => a.includes(dir))) return undefined;
  } catch {
    // No /proc (macOS): the pid file and a live process are all there is to go on.
  }
  return pid;
}

const alive = (dir: string, c: Component) => ourPid(dir, c) !== undefined;

/** SIGTERM, then SIGKILL after 15 s, in reverse start order. */
async function stopAll(dir: string, log: (line: string) => void = () => {}): Promise<void> {
  for (const component of [...COMPONENTS].reverse()) {
    const pid = ourPid(dir, component);
    if (pid !== undefined) {
      log(`stopping ${component} (pid ${pid})`);
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const deadline = Date.now() + 15_000;
      while (ourPid(dir, component) !== undefined && Date.now() < deadline) await sleep(100);
      if (ourPid(dir, component) !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
        const killDeadline = Date.now() + 10_000;
        while (ourPid(dir, component) !== undefined && Date.now() < killDeadline) await sleep(100);
        if (ourPid(dir, component) !== undefined) throw new Error(`${component} (pid ${pid}) did not stop after SIGKILL`);
      }
    }
    rmSync(pidFile(dir, component), { force: true });
  }
}

// ---- a lock, so parallel test workers start one control plane per directory -----------------

const LOCK = 'up.lock';

async function withLock<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const lock = join(dir, LOCK);
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), `${process.pid}\n`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: number;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8').trim());
      } catch {
        // Released meanwhile, or taken and its pid not written yet: look again.
        if (Date.now() > deadline) throw new Error(`${lock} exists without an owner for more than 10 minutes; remove it`);
        await sleep(100);
        continue;
      }
      let ownerAlive = false;
      try {
        process.kill(owner, 0);
        ownerAlive = true;
      } catch {
        ownerAlive = false;
      }
      // A lock whose holder died is stale.
      if (owner > 0 && !ownerAlive) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} is held by pid ${owner} for more than 10 minutes`);
      await sleep(200);
    }
  }
  try {
    return await f();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// ---- HTTP -----------------------------------------------------------------------------------

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((ok, fail) => {
      const s = createServer();
      s.once('error', fail);
      s.listen(0, '127.0.0.1', () => ok(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function httpGet(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return response.text();
}

/** GET on the API server as admin. */
export function apiGet(cluster: LocalCluster, path: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(
      `${cluster.server}${path}`,
      { ca: readFileSync(cluster.caFile), headers: { authorization: `Bearer ${cluster.tokens.admin}` }, timeout: 5_000 },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end();
  });
}

async function readyz(cluster: LocalCluster): Promise<string> {
  try {
    const { status, body } = await apiGet(cluster, '/readyz');
    return status === 200 ? body.trim() : `HTTP ${status}: ${body.trim()}`;
  } catch (error) {
    return String(error);
  }
}

// ---- command line ---------------------------------------------------------------------------

async function cli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const dirFlag = rest.indexOf('--dir');
  const dir = dirFlag >= 0 ? rest[dirFlag + 1] : undefined;
  const log = (line: string) => process.stderr.write(`cluster: ${line}\n`);
  if (command === 'up') {
    const cluster = await clusterUp({ dir, log });
    process.stdout.write(
      [
        `API server ${cluster.server} (kube-apiserver ${JSON.parse((await apiGet(cluster, '/version')).body).gitVersion}, no nodes)`,
        `  admin:    KUBECONFIG=${cluster.kubeconfigs.admin}`,
        `  alice:    KUBECONFIG=${cluster.kubeconfigs.alice}   (${IDENTITIES.alice.user}, group ${IDENTITIES.alice.groups[0]})`,
        `  outsider: KUBECONFIG=${cluster.kubeconfigs.outsider}`,
        '',
      ].join('\n'),
    );
    return 0;
  }
  if (command === 'down') {
    await clusterDown({ dir, log });
    log('stopped');
    return 0;
  }
  if (command === 'status') {
    const cluster = readState(resolve(dir ?? DEFAULT_DIR));
    const d = resolve(dir ?? DEFAULT_DIR);
    const states = COMPONENTS.map((c) => `${c}: ${alive(d, c) ? `running (pid ${ourPid(d, c)})` : 'stopped'}`);
    process.stdout.write(`${states.join('\n')}\n${cluster ? `readyz: ${await readyz(cluster)}\n` : ''}`);
    return 0;
  }
  process.stderr.write('usage: tsx scripts/cluster.ts up|down|status [--dir DIR]\n');
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`cluster: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
