/**
 * A local Kubernetes cluster for tests and for trying devfleet without a cloud account, on
 * 127.0.0.1 with generated certificates. Two profiles:
 *
 * - `control-plane` (test/integration/): etcd, kube-apiserver and kube-controller-manager from
 *   .tools/bin/kube (scripts/build-apiserver.sh). No nodes: Pods are created (Pending) but never run.
 * - `gitops` (`npm run cluster:up`, test/e2e/): the same plus kube-scheduler, kwok (fake nodes sized
 *   like the platform's, Pods that become Ready, Jobs' Pods that complete, PVCs that bind, Ingresses
 *   that get a load balancer address; tools/kwok/), and Argo CD v3.6.1's repo-server and
 *   application-controller with their Redis (.tools/bin/argocd, scripts/build-argocd.sh), watching
 *   local git repositories served by `argocd git-http` (tools/argocd/main.go explains how Argo CD
 *   sees an Application's real repoURL as the local repository). `npm run cluster:sync`
 *   (scripts/cluster-sync.ts) publishes a generated tree to them.
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
 * Every `up` of a directory is idempotent: a running, healthy cluster of the same (or a larger)
 * profile is reused, anything else found there is stopped and replaced. Every process runs with
 * the directory as its working directory and is recognised by it (and its binary), so `down` never
 * signals anybody else's process. Tests start their own in a temporary directory, so they never
 * touch .cluster/.
 */
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createConnection, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DIR = join(REPO, '.cluster');
const TOOLS = join(REPO, '.tools', 'bin');
export const BINARY = join(TOOLS, 'kube');
export const KWOK = join(TOOLS, 'kwok');
export const ARGOCD = join(TOOLS, 'argocd');
/**
 * The CRDs of the platform's operators that the env charts' objects need, with the API path and
 * resource each serves (vendored with their licences: External Secrets v1.3.2, KEDA and its HTTP
 * add-on, see the README.md of each test/fixtures/ folder). No operator runs here: argocd-cm below
 * reads their objects as healthy.
 */
const OPERATOR_CRDS = [
  { file: 'external-secrets/external-secrets.io_externalsecrets.yaml', path: '/apis/external-secrets.io/v1', resource: 'externalsecrets' },
  { file: 'external-secrets/generators.external-secrets.io_passwords.yaml', path: '/apis/generators.external-secrets.io/v1alpha1', resource: 'passwords' },
  { file: 'keda/keda.sh_scaledobjects.yaml', path: '/apis/keda.sh/v1alpha1', resource: 'scaledobjects' },
  { file: 'http-add-on/http.keda.sh_interceptorroutes.yaml', path: '/apis/http.keda.sh/v1beta1', resource: 'interceptorroutes' },
] as const;
const BUILD_HINT = 'build it with `bash scripts/install-tools.sh --all` (also run by `npm run cluster:up` and `npm run test:e2e`)';

export const IDENTITIES = {
  admin: { user: 'devfleet-admin', groups: ['system:masters'] },
  alice: { user: 'devfleet:developer:alice', groups: ['devfleet:developers'] },
  outsider: { user: 'outsider', groups: [] as string[] },
} as const;
export type Identity = keyof typeof IDENTITIES;

/** `control-plane`: API server and controllers only (no nodes). `gitops`: also scheduler, kwok nodes, git, Redis and Argo CD. */
export type Profile = 'control-plane' | 'gitops';

export interface LocalCluster {
  readonly dir: string;
  readonly profile: Profile;
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** PEM file of the CA that signed the serving certificate. */
  readonly caFile: string;
  /** One kubeconfig per identity; `admin` is `<dir>/kubeconfig`. */
  readonly kubeconfigs: Readonly<Record<Identity, string>>;
  readonly tokens: Readonly<Record<Identity, string>>;
  /** The `gitops` profile's Argo CD and git. */
  readonly argocd?: {
    readonly namespace: string;
    /** Bare repositories, one per repoURL: <gitRoot>/<host>/<path> (scripts/cluster-sync.ts makes them). */
    readonly gitRoot: string;
    /** The repo-server's global git config (its `url.<local>.insteadOf` lines). */
    readonly gitConfig: string;
    readonly repoServer: string;
    readonly redis: string;
    /** The application-controller's metrics and health port. */
    readonly controllerMetricsPort: number;
  };
  /** The `gitops` profile's fake nodes. */
  readonly nodes?: readonly string[];
}

type Component =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kwok'
  | 'redis'
  | 'git-http'
  | 'argocd-repo-server'
  | 'argocd-application-controller';

/** How each component is started: its binary and the first argument that names it (if any). */
const SPECS: Record<Component, { binary: string; sub?: string }> = {
  etcd: { binary: BINARY, sub: 'etcd' },
  'kube-apiserver': { binary: BINARY, sub: 'kube-apiserver' },
  'kube-controller-manager': { binary: BINARY, sub: 'kube-controller-manager' },
  'kube-scheduler': { binary: BINARY, sub: 'kube-scheduler' },
  kwok: { binary: KWOK },
  redis: { binary: ARGOCD, sub: 'redis' },
  'git-http': { binary: ARGOCD, sub: 'git-http' },
  'argocd-repo-server': { binary: ARGOCD, sub: 'repo-server' },
  'argocd-application-controller': { binary: ARGOCD, sub: 'application-controller' },
};
/** Start order; stopped in reverse. */
const ALL: readonly Component[] = Object.keys(SPECS) as Component[];
const PROFILE_COMPONENTS: Record<Profile, readonly Component[]> = {
  'control-plane': ['etcd', 'kube-apiserver', 'kube-controller-manager'],
  gitops: ALL,
};

/**
 * The fake nodes of the `gitops` profile, sized like the platform's Karpenter nodes (terraform/
 * modules/platform: c/m/r families with 4-16 vCPUs; the source article ran m4.2xlarge): two
 * m7i.2xlarge spot nodes, 8 vCPUs and 32 GiB each, less what EKS reserves (kube-reserved and
 * eviction threshold), 58 Pods (the VPC CNI's limit for that size), in two zones.
 */
const NODES = [
  { name: 'kwok-node-a', zone: 'ap-northeast-1a' },
  { name: 'kwok-node-b', zone: 'ap-northeast-1c' },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the cluster in `dir` (or reuses the healthy one already running there). */
export async function clusterUp(options: { dir?: string; profile?: Profile; log?: (line: string) => void } = {}): Promise<LocalCluster> {
  const dir = resolve(options.dir ?? DEFAULT_DIR);
  const profile = options.profile ?? 'control-plane';
  const log = options.log ?? (() => {});
  mkdirSync(dir, { recursive: true });
  return withLock(dir, async () => {
    const running = readState(dir);
    if (running && (running.profile === profile || running.profile === 'gitops') && PROFILE_COMPONENTS[running.profile].every((c) => alive(dir, c)) && (await readyz(running)) === 'ok') {
      log(`reusing the ${running.profile} cluster already running at ${running.server} (${dir})`);
      return running;
    }
    for (const c of PROFILE_COMPONENTS[profile]) {
      if (!existsSync(SPECS[c].binary)) throw new Error(`${SPECS[c].binary} does not exist (needed for ${c}): ${BUILD_HINT}`);
    }
    await stopAll(dir, log);
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
      const [etcdClient, etcdPeer, apiserver, kwokPort, redisPort, gitPort, repoPort, repoMetrics, controllerMetrics] = (await freePorts(9)) as [number, number, number, number, number, number, number, number, number];
      const gitops = profile === 'gitops';
      const cluster: LocalCluster = {
        dir,
        profile,
        server: `https://127.0.0.1:${apiserver}`,
        caFile: pki.ca,
        kubeconfigs: { admin: join(dir, 'kubeconfig'), alice: join(dir, 'kubeconfig-alice'), outsider: join(dir, 'kubeconfig-outsider') },
        tokens,
        ...(gitops
          ? {
              argocd: {
                namespace: 'argocd',
                gitRoot: join(dir, 'git'),
                gitConfig: join(dir, 'argocd', 'gitconfig'),
                repoServer: `127.0.0.1:${repoPort}`,
                redis: `127.0.0.1:${redisPort}`,
                controllerMetricsPort: controllerMetrics,
              },
              nodes: NODES.map((n) => n.name),
            }
          : {}),
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
          // No HTTPS endpoint: several clusters (parallel test runs) share this machine.
          '--secure-port=0',
          `--root-ca-file=${pki.ca}`,
          `--service-account-private-key-file=${pki.saKey}`,
          // Without nodes (control-plane profile) the CronJob controller would only add Jobs whose Pods
          // stay Pending to the namespaces tests look at; test/integration/lifecycle.test.ts runs the
          // jobs' command instead. With kwok's nodes (gitops) the jobs run as on EKS.
          ...(gitops ? [] : ['--controllers=*,-cronjob-controller']),
          '--concurrent-deployment-syncs=10',
        ]);
        // The serviceaccount controller creating `default` proves the controllers are running.
        await waitFor('kube-controller-manager', kcm, dir, 120_000, async () => (await apiGet(cluster, '/api/v1/namespaces/default/serviceaccounts/default')).status === 200);

        if (gitops) await startGitops(cluster, { kwokPort, redisPort, gitPort, repoPort, repoMetrics, controllerMetrics }, log);

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

interface GitopsPorts {
  kwokPort: number;
  redisPort: number;
  gitPort: number;
  repoPort: number;
  repoMetrics: number;
  controllerMetrics: number;
}

/** Scheduler, kwok and its nodes, the platform's stand-ins, Argo CD's objects, Redis, git and Argo CD. */
async function startGitops(cluster: LocalCluster, ports: GitopsPorts, log: (line: string) => void): Promise<void> {
  const { dir } = cluster;
  const argocd = cluster.argocd!;
  const kubeconfig = cluster.kubeconfigs.admin;

  log('starting kube-scheduler');
  const scheduler = start(dir, 'kube-scheduler', [`--kubeconfig=${kubeconfig}`, '--leader-elect=false', '--secure-port=0']);

  log(`starting kwok (fake nodes ${NODES.map((n) => n.name).join(', ')})`);
  const stages = join(REPO, 'tools', 'kwok', 'stages');
  const kwok = start(dir, 'kwok', [
    `--kubeconfig=${kubeconfig}`,
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    `--server-address=127.0.0.1:${ports.kwokPort}`,
    '--node-ip=127.0.0.1',
    '--cidr=10.244.0.0/16',
    ...readdirSync(stages).filter((f) => f.endsWith('.yaml')).sort().map((f) => `--config=${join(stages, f)}`),
  ]);
  await kubectlApply(cluster, NODES.map((n) => node(n.name, n.zone)));
  await waitFor('kwok', kwok, dir, 60_000, async () => {
    const nodes = JSON.parse((await apiGet(cluster, '/api/v1/nodes')).body) as { items: { status?: { conditions?: { type: string; status: string }[] } }[] };
    return nodes.items.length === NODES.length && nodes.items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
  if (scheduler.exited !== undefined) throw new Error(`kube-scheduler exited (code ${scheduler.exited}); last lines of ${logFile(dir, 'kube-scheduler')}:\n${tail(logFile(dir, 'kube-scheduler'))}`);

  log('installing Argo CD objects (CRDs, argocd-* ConfigMaps and Secret, the default AppProject) and the platform stand-ins');
  await kubectlApply(cluster, [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: argocd.namespace } },
    // Installed by terraform/ on EKS (the Telepresence traffic manager's namespace): the platform AppProject deploys into it.
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ambassador' } },
  ]);
  await kubectlApplyFiles(cluster, [join(REPO, 'test', 'fixtures', 'argo-cd', 'application-crd.yaml'), join(REPO, 'test', 'fixtures', 'argo-cd', 'appproject-crd.yaml')]);
  // Right after creation a CRD's resources are not served for a moment: poll until they are.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { status, body } = await apiGet(cluster, '/apis/argoproj.io/v1alpha1');
    if (status === 200 && ['applications', 'appprojects'].every((r) => body.includes(`"name":"${r}"`))) break;
    if (Date.now() > deadline) throw new Error(`the Argo CD CRDs are not served after 60 s: HTTP ${status} ${body}`);
    await sleep(250);
  }
  await kubectlApply(cluster, argocdObjects(argocd.namespace));
  // The env charts carry External Secrets objects (ExternalSecret, Password) and, behind the front
  // door, KEDA's ScaledObject and the HTTP add-on's InterceptorRoute: their CRDs must be served for
  // Argo CD to sync them. No operator runs here (argocd-cm below reads them as healthy).
  await kubectlApplyFiles(cluster, OPERATOR_CRDS.map((crd) => join(REPO, 'test', 'fixtures', crd.file)));
  for (const { path, resource } of OPERATOR_CRDS) {
    const until = Date.now() + 60_000;
    for (;;) {
      const { status, body } = await apiGet(cluster, path);
      if (status === 200 && body.includes(`"name":"${resource}"`)) break;
      if (Date.now() > until) throw new Error(`the ${resource} CRD is not served after 60 s: ${path}: HTTP ${status} ${body}`);
      await sleep(250);
    }
  }

  const argoHome = join(dir, 'argocd');
  for (const sub of ['home', 'tmp', 'tls', 'ssh', 'gnupg', 'plugins']) mkdirSync(join(argoHome, sub), { recursive: true });
  mkdirSync(argocd.gitRoot, { recursive: true });
  writeFileSync(argocd.gitConfig, '# url.<local>.insteadOf lines, written by scripts/cluster-sync.ts\n');
  writeFileSync(join(argoHome, 'ssh', 'ssh_known_hosts'), '');

  log(`starting redis on ${argocd.redis}`);
  const redis = start(dir, 'redis', ['--addr', argocd.redis]);
  await waitFor('redis', redis, dir, 30_000, () => tcpOpen(ports.redisPort));

  log(`starting git-http on 127.0.0.1:${ports.gitPort} (repositories in ${argocd.gitRoot})`);
  const git = start(dir, 'git-http', ['--addr', `127.0.0.1:${ports.gitPort}`, '--root', argocd.gitRoot]);
  await waitFor('git-http', git, dir, 30_000, () => tcpOpen(ports.gitPort));

  const argoEnv = argocdEnv(cluster);

  log(`starting argocd-repo-server on ${argocd.repoServer}`);
  const repo = start(dir, 'argocd-repo-server', [
    '--address=127.0.0.1',
    `--port=${ports.repoPort}`,
    '--metrics-address=127.0.0.1',
    `--metrics-port=${ports.repoMetrics}`,
    '--disable-tls',
    // Its default is a Secret mounted in Argo CD's Pod (mTLS from the controller); none here.
    '--client-ca-path=',
    `--redis=${argocd.redis}`,
    // A pushed commit is seen within seconds (the default, 3 minutes, is for GitHub's rate limits).
    '--revision-cache-expiration=3s',
    '--logformat=text',
  ], { ...argoEnv, DEVFLEET_GIT_HTTP_ADDR: `127.0.0.1:${ports.gitPort}` });
  await waitFor('argocd-repo-server', repo, dir, 60_000, () => tcpOpen(ports.repoPort));

  log(`starting argocd-application-controller (Applications in namespace ${argocd.namespace})`);
  await startController(cluster);
}

/** The environment Argo CD's images set up, pointed into the cluster directory; Helm v4 and git-verify-wrapper.sh come from .tools/bin. */
function argocdEnv(cluster: LocalCluster): NodeJS.ProcessEnv {
  const argoHome = join(cluster.dir, 'argocd');
  return {
    PATH: `${TOOLS}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: join(argoHome, 'home'),
    TMPDIR: join(argoHome, 'tmp'),
    GIT_CONFIG_GLOBAL: cluster.argocd!.gitConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    ARGOCD_TLS_DATA_PATH: join(argoHome, 'tls'),
    ARGOCD_SSH_DATA_PATH: join(argoHome, 'ssh'),
    ARGOCD_GNUPGHOME: join(argoHome, 'gnupg'),
    ARGOCD_GPG_ENABLED: 'false',
    ARGOCD_PLUGINSOCKFILEPATH: join(argoHome, 'plugins'),
    // Its default, /tmp/reposerver-ask-pass.sock, would be shared by every cluster on the machine.
    ARGOCD_ASK_PASS_SOCK: join(argoHome, 'askpass.sock'),
    KUBECONFIG: cluster.kubeconfigs.admin,
    ARGOCD_FAKE_IN_CLUSTER: 'true',
    LANG: 'C.UTF-8',
  };
}

async function startController(cluster: LocalCluster): Promise<void> {
  const argocd = cluster.argocd!;
  const controller = start(cluster.dir, 'argocd-application-controller', [
    `--namespace=${argocd.namespace}`,
    `--repo-server=${argocd.repoServer}`,
    '--repo-server-plaintext',
    `--redis=${argocd.redis}`,
    `--metrics-port=${argocd.controllerMetricsPort}`,
    // Reconcile every 20 s (default 120 s) and retry a selfHeal at once: the tests watch both.
    '--app-resync=20',
    '--self-heal-timeout-seconds=2',
    '--status-processors=10',
    '--operation-processors=10',
    '--logformat=text',
  ], argocdEnv(cluster));
  await waitFor('argocd-application-controller', controller, cluster.dir, 120_000, async () => (await httpGet(`http://127.0.0.1:${argocd.controllerMetricsPort}/healthz`)).trim() === 'ok');
}

/**
 * Makes the application-controller watch the Applications of `namespace` (the cluster definition's
 * `argocd.namespace`, where terraform/ installs Argo CD on EKS): Argo CD's objects are created there
 * and the controller restarted, if it watches another one. Returns the updated cluster.
 */
export async function useArgocdNamespace(cluster: LocalCluster, namespace: string, log: (line: string) => void = () => {}): Promise<LocalCluster> {
  if (!cluster.argocd) throw new Error(`the cluster in ${cluster.dir} runs without Argo CD`);
  if (cluster.argocd.namespace === namespace) return cluster;
  return withLock(cluster.dir, async () => {
    log(`Argo CD moves from namespace ${cluster.argocd!.namespace} to ${namespace} (the cluster definition's argocd.namespace); restarting the application-controller`);
    await kubectlApply(cluster, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }]);
    await kubectlApply(cluster, argocdObjects(namespace));
    await stopComponent(cluster.dir, 'argocd-application-controller', log);
    const moved: LocalCluster = { ...cluster, argocd: { ...cluster.argocd!, namespace } };
    await startController(moved);
    writeFileSync(join(cluster.dir, 'cluster.json'), `${JSON.stringify(moved, null, 2)}\n`);
    return moved;
  });
}

/** Argo CD's own objects that its install manifests would create (the parts these two components read). */
function argocdObjects(namespace: string): object[] {
  const labels = { 'app.kubernetes.io/part-of': 'argocd' };
  const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: { ...labels, 'app.kubernetes.io/name': name } }, data });
  return [
    cm('argocd-cm', {
      'timeout.reconciliation': '20s',
      // No External Secrets operator runs in the local cluster, so an ExternalSecret never gets the
      // Ready condition Argo CD's built-in health check waits for; here it counts as healthy. On the
      // platform the real operator (terraform/) reports it.
      'resource.customizations.health.external-secrets.io_ExternalSecret': 'hs = {}\nhs.status = "Healthy"\nhs.message = "no External Secrets operator in the local cluster"\nreturn hs\n',
      // Nor KEDA: Argo CD's built-in ScaledObject check waits for KEDA's Ready condition.
      'resource.customizations.health.keda.sh_ScaledObject': 'hs = {}\nhs.status = "Healthy"\nhs.message = "no KEDA operator in the local cluster"\nreturn hs\n',
    }),
    cm('argocd-rbac-cm'),
    cm('argocd-cmd-params-cm'),
    cm('argocd-tls-certs-cm'),
    cm('argocd-ssh-known-hosts-cm'),
    cm('argocd-gpg-keys-cm'),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'argocd-secret', namespace, labels: { ...labels, 'app.kubernetes.io/name': 'argocd-secret' } },
      stringData: { 'server.secretkey': randomBytes(32).toString('base64') },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'default', namespace },
      spec: { sourceRepos: ['*'], destinations: [{ namespace: '*', server: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] },
    },
  ];
}

/** A kwok-managed Node (kwok's node-initialize stage makes it Ready and fills in its status). */
function node(name: string, zone: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'm7i.2xlarge',
        'karpenter.sh/capacity-type': 'spot',
        'topology.kubernetes.io/zone': zone,
        type: 'kwok',
      },
    },
    spec: {},
    status: {
      // m7i.2xlarge as EKS reports it: 8 vCPUs / 32 GiB; allocatable less kube-reserved and eviction.
      capacity: { cpu: '8', memory: '32386544Ki', pods: '58', 'ephemeral-storage': '83873772Ki' },
      allocatable: { cpu: '7910m', memory: '31369712Ki', pods: '58', 'ephemeral-storage': '76224326324' },
      nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'v1.32.4-kwok', containerRuntimeVersion: 'kwok' },
    },
  };
}

/** `kubectl apply --server-side` of objects as admin. */
async function kubectlApply(cluster: LocalCluster, objects: readonly object[]): Promise<void> {
  await kubectlRun(cluster, ['apply', '--server-side', '--force-conflicts', '--field-manager=devfleet-cluster', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));
}

async function kubectlApplyFiles(cluster: LocalCluster, files: readonly string[]): Promise<void> {
  await kubectlRun(cluster, ['apply', '--server-side', '--force-conflicts', '--field-manager=devfleet-cluster', ...files.flatMap((f) => ['-f', f])], '');
}

/** kubectl (from PATH) as admin; throws with its output when it fails. */
export function kubectlRun(cluster: LocalCluster, args: readonly string[], input = ''): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: cluster.kubeconfigs.admin }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', (e) => fail(new Error(`kubectl could not run (${e.message}); the local cluster needs kubectl 1.32 on PATH`)));
    child.on('close', (code) => (code === 0 ? ok(out) : fail(new Error(`kubectl ${args.join(' ')} exited ${code}:\n${err}${out}`))));
    child.stdin.end(input);
  });
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      ok(true);
    });
    socket.once('error', () => ok(false));
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
/** Where a component's output goes (appended across restarts). */
export const logFile = (dir: string, c: Component) => join(dir, `${c}.log`);

function start(dir: string, component: Component, args: string[], env?: NodeJS.ProcessEnv) {
  const { binary, sub } = SPECS[component];
  const out = openSync(logFile(dir, component), 'a');
  // Detached: the cluster outlives the command (or test worker) that started it. Its working
  // directory is the cluster's: that is how `down` recognises its processes (ourPid).
  const child = spawn(binary, [...(sub ? [sub] : []), ...args], { cwd: dir, detached: true, stdio: ['ignore', out, out], ...(env ? { env } : {}) });
  closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${binary} ${sub ?? ''}`);
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

/**
 * The pid recorded for a component, if that process is still ours: its binary and first argument
 * are the component's and its working directory is this cluster's directory.
 */
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
    const { binary, sub } = SPECS[component];
    // A recycled pid belongs to someone else: never signal it.
    if (cmdline[0] !== binary || (sub !== undefined && cmdline[1] !== sub) || readlinkSync(`/proc/${pid}/cwd`) !== dir) return undefined;
  } catch {
    // No /proc (macOS): the pid file and a live process are all there is to go on.
  }
  return pid;
}

const alive = (dir: string, c: Component) => ourPid(dir, c) !== undefined;

/** The pids of the components running in `dir`, by component. */
export function runningComponents(dir: string = DEFAULT_DIR): Partial<Record<Component, number>> {
  const d = resolve(dir);
  return Object.fromEntries(ALL.flatMap((c) => {
    const pid = ourPid(d, c);
    return pid === undefined ? [] : [[c, pid]];
  }));
}

/**
 * Every process on this machine that still has something to do with `dir`: its working directory
 * is in it or its command line names it (a component, or a child such as git or helm). `down`
 * leaves none; the e2e teardown and `down` itself check.
 */
export function processesUsing(dir: string): { pid: number; command: string }[] {
  const d = resolve(dir);
  const found: { pid: number; command: string }[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return found; // no /proc (macOS)
  }
  for (const p of pids) {
    const pid = Number(p);
    if (pid === process.pid) continue;
    try {
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // not ours to read
      }
      if (cwd === d || cwd.startsWith(`${d}/`) || command.includes(`${d}/`)) found.push({ pid, command });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** SIGTERM, then SIGKILL after 15 s, in reverse start order. */
async function stopAll(dir: string, log: (line: string) => void = () => {}): Promise<void> {
  for (const component of [...ALL].reverse()) await stopComponent(dir, component, log);
}

async function stopComponent(dir: string, component: Component, log: (line: string) => void = () => {}): Promise<void> {
  {
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

/** Resident memory (RSS, KiB) of the running components, from /proc. */
export function memoryKiB(dir: string = DEFAULT_DIR): Partial<Record<Component, number>> {
  return Object.fromEntries(Object.entries(runningComponents(dir)).map(([c, pid]) => {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return [c, rss ? Number(rss[1]) : 0];
  }));
}

async function cli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const flag = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const dir = resolve(flag('--dir') ?? DEFAULT_DIR);
  const log = (line: string) => process.stderr.write(`cluster: ${line}\n`);
  if (command === 'up') {
    const profile = (flag('--profile') ?? 'gitops') as Profile;
    if (!(profile in PROFILE_COMPONENTS)) {
      process.stderr.write('cluster: --profile is gitops (default) or control-plane\n');
      return 2;
    }
    const started = Date.now();
    const cluster = await clusterUp({ dir, profile, log });
    const version = JSON.parse((await apiGet(cluster, '/version')).body).gitVersion as string;
    process.stdout.write(
      [
        `cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s: API server ${cluster.server} (kube-apiserver ${version}), ${cluster.nodes ? `kwok nodes ${cluster.nodes.join(', ')}, Argo CD v3.6.1 in namespace ${cluster.argocd!.namespace}` : 'no nodes'}`,
        `  admin:    KUBECONFIG=${cluster.kubeconfigs.admin}`,
        `  alice:    KUBECONFIG=${cluster.kubeconfigs.alice}   (${IDENTITIES.alice.user}, group ${IDENTITIES.alice.groups[0]})`,
        `  outsider: KUBECONFIG=${cluster.kubeconfigs.outsider}`,
        ...(cluster.argocd ? ['  publish a tree: npm run -s cluster:sync -- --root . --cluster dev'] : []),
        '',
      ].join('\n'),
    );
    return 0;
  }
  if (command === 'down') {
    await clusterDown({ dir, log });
    const left = processesUsing(dir);
    if (left.length) {
      log(`processes still using ${dir}:\n${left.map((p) => `  ${p.pid} ${p.command}`).join('\n')}`);
      return 1;
    }
    log(`stopped; no process uses ${dir}`);
    return 0;
  }
  if (command === 'status') {
    const cluster = readState(dir);
    const running = runningComponents(dir);
    const memory = memoryKiB(dir);
    const components = cluster ? PROFILE_COMPONENTS[cluster.profile] : ALL.filter((c) => running[c] !== undefined);
    const states = components.map((c) => `${c}: ${running[c] !== undefined ? `running (pid ${running[c]}, RSS ${Math.round((memory[c] ?? 0) / 1024)} MiB)` : 'stopped'}`);
    const total = Object.values(memory).reduce((a, b) => a + (b ?? 0), 0);
    process.stdout.write(`${states.join('\n')}\n${Object.keys(running).length ? `total RSS: ${Math.round(total / 1024)} MiB\n` : ''}${cluster ? `readyz: ${await readyz(cluster)}\n` : ''}`);
    return 0;
  }
  process.stderr.write('usage: tsx scripts/cluster.ts up [--profile gitops|control-plane] | down | status   [--dir DIR]\n');
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
