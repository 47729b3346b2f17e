/**
 * Argo CD in the `gitops` profile: its CRDs and own objects, the CRDs of the platform's operators
 * the env charts need, Redis, `argocd git-http` serving the local repositories (tools/argocd/main.go
 * explains how Argo CD sees an Application's real repoURL as the local repository), the
 * repo-server and the application-controller (.tools/bin/argocd, scripts/build-argocd.sh).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { argocdCm, ARGOCD_CMD_PARAMS, argocdComponentEnv } from '../../generators/cluster/argocd-settings.ts';
import { ARGOCD_SECRET_TYPE_LABEL, LABELS } from '../../generators/plan/labels.ts';
import { apiGet, freePorts, httpGet, kubectlApply, kubectlApplyFiles, kubectlRun, tcpOpen } from './client.ts';
import { REPO, TOOLS, writeState, type ArgocdSettingsChoice, type LocalCluster } from './local-cluster.ts';
import { logFile, sleep, start, stopComponent, waitFor, withLock } from './processes.ts';

/**
 * The CRDs of the platform's operators that the env charts' objects need, with the API path and
 * resource each serves (vendored with their licences: External Secrets, KEDA and its HTTP
 * add-on, see the README.md of each test/fixtures/ folder). No operator runs here: argocd-cm below
 * reads their objects as healthy.
 */
const OPERATOR_CRDS = [
  { file: 'external-secrets/external-secrets.io_externalsecrets.yaml', path: '/apis/external-secrets.io/v1', resource: 'externalsecrets' },
  { file: 'external-secrets/generators.external-secrets.io_passwords.yaml', path: '/apis/generators.external-secrets.io/v1alpha1', resource: 'passwords' },
  { file: 'keda/keda.sh_scaledobjects.yaml', path: '/apis/keda.sh/v1alpha1', resource: 'scaledobjects' },
  { file: 'http-add-on/http.keda.sh_interceptorroutes.yaml', path: '/apis/http.keda.sh/v1beta1', resource: 'interceptorroutes' },
] as const;

export interface ArgocdPorts {
  readonly redisPort: number;
  readonly gitPort: number;
  readonly repoPort: number;
  readonly repoMetrics: number;
}

/** Argo CD's objects and the operators' CRDs, then Redis, git-http, the repo-server and the application-controller. */
export async function startArgocd(cluster: LocalCluster, ports: ArgocdPorts, log: (line: string) => void): Promise<void> {
  const { dir } = cluster;
  const argocd = cluster.argocd!;

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
  await kubectlApply(cluster, argocdObjects(argocd.namespace, argocd.settings));
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
    // A pushed commit is seen within seconds: the stand-in for Argo CD's Git webhook, which on the
    // platform tells it of a push (the default follows timeout.reconciliation, 3 minutes).
    '--revision-cache-expiration=3s',
    '--logformat=text',
    // The fleet settings Terraform installs too (generators/cluster/argocd-settings.ts), as the
    // install manifest hands them to the repo-server.
  ], { ...argoEnv, ...componentEnv(cluster, 'repo-server'), DEVFLEET_GIT_HTTP_ADDR: `127.0.0.1:${ports.gitPort}` });
  await waitFor('argocd-repo-server', repo, dir, 60_000, () => tcpOpen(ports.repoPort));

  log(`starting argocd-application-controller (Applications in namespace ${argocd.namespace})`);
  await startControllers(cluster);
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
    // Go's pprof on each component's metrics port, to see where a fleet's sync spends its CPU
    // (bench/README.md "GitOps"): Argo CD serves /debug/pprof/ there while this file holds "true"
    // (https://github.com/argoproj/argo-cd/blob/master/util/profile/profile.go).
    ...(process.env.ARGOCD_ENABLE_PROFILER_FILE_PATH ? { ARGOCD_ENABLE_PROFILER_FILE_PATH: process.env.ARGOCD_ENABLE_PROFILER_FILE_PATH } : {}),
  };
}

/** The controller of each shard: shard 0 is the harness's first controller, shard 1 its second. */
const CONTROLLERS = ['argocd-application-controller', 'argocd-application-controller-1'] as const;

/**
 * The hosts besides 127.0.0.1 the harness's API server answers on with a certificate naming them
 * (scripts/cluster/certificates.ts): one Argo CD cluster per shard >= 1 needs a server URL of its
 * own (Argo CD keys clusters, and their shards, by URL), so the harness runs at most 2 shards.
 */
const SHARD_HOSTS = ['localhost'] as const;
export const HARNESS_SHARDS_MAX = SHARD_HOSTS.length + 1;

/**
 * Starts the application controllers of `cluster.argocd.shards` shards: with one, the controller
 * as before; with more, each with ARGOCD_CONTROLLER_REPLICAS (the shard count) and
 * ARGOCD_CONTROLLER_SHARD (its index, which on EKS its StatefulSet ordinal gives), its own metrics
 * port and its own log file.
 */
async function startControllers(cluster: LocalCluster): Promise<void> {
  const argocd = cluster.argocd!;
  const shards = argocd.shards ?? 1;
  for (let shard = 0; shard < shards; shard++) {
    const component = CONTROLLERS[shard]!;
    const port = shard === 0 ? argocd.controllerMetricsPort : argocd.shardMetricsPort!;
    const controller = start(cluster.dir, component, [
      `--namespace=${argocd.namespace}`,
      `--repo-server=${argocd.repoServer}`,
      '--repo-server-plaintext',
      `--redis=${argocd.redis}`,
      `--metrics-port=${port}`,
      // Retry a selfHeal at once (default after 5 s): the tests watch it.
      '--self-heal-timeout-seconds=2',
      '--logformat=text',
      // The fleet settings Terraform installs too (generators/cluster/argocd-settings.ts: processors,
      // kubectl parallelism, client QPS/burst, reconciliation timeout and jitter), as the install
      // manifest hands them to the controller; resource.inclusions is read from argocd-cm below.
    ], { ...argocdEnv(cluster), ...componentEnv(cluster, 'application-controller'), ...(shards > 1 ? { ARGOCD_CONTROLLER_REPLICAS: String(shards), ARGOCD_CONTROLLER_SHARD: String(shard) } : {}) });
    await waitFor(component, controller, cluster.dir, 120_000, async () => (await httpGet(`http://127.0.0.1:${port}/healthz`)).trim() === 'ok');
  }
}

async function stopControllers(cluster: LocalCluster, log: (line: string) => void): Promise<void> {
  for (const component of [...CONTROLLERS].reverse()) await stopComponent(cluster.dir, component, log);
}

/**
 * Runs the application controllers a synced devfleet cluster asks for, as Terraform does on EKS
 * from the same generated tfvars (`argocd.controllers`, `argocd.shard_clusters`:
 * generators/cluster/argocd-settings.ts): the API server registered again under each shard
 * cluster's name (a cluster Secret with its shard, the harness's own host names for the same API
 * server and the admin token of this throwaway cluster), stale shard clusters deleted, and the
 * controllers restarted when their count changes. Returns the updated cluster.
 */
export async function useArgocdShards(cluster: LocalCluster, shardClusters: readonly { name: string; shard: string }[], log: (line: string) => void = () => {}): Promise<LocalCluster> {
  if (!cluster.argocd) throw new Error(`the cluster in ${cluster.dir} runs without Argo CD`);
  const shards = shardClusters.length + 1;
  if (shards > HARNESS_SHARDS_MAX) throw new Error(`the local cluster runs at most ${HARNESS_SHARDS_MAX} application controllers (its API server has ${HARNESS_SHARDS_MAX} host names), not ${shards}: set argocd.shards to ${HARNESS_SHARDS_MAX} or less in the cluster definition`);
  const { namespace } = cluster.argocd;
  const port = new URL(cluster.server).port;
  const secrets = shardClusters.map(({ name, shard }, i) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { [ARGOCD_SECRET_TYPE_LABEL]: 'cluster' } },
    stringData: {
      name,
      shard,
      server: `https://${SHARD_HOSTS[i]}:${port}`,
      config: JSON.stringify({ bearerToken: cluster.tokens.admin, tlsClientConfig: { caData: readFileSync(cluster.caFile).toString('base64') } }),
    },
  }));
  if (secrets.length > 0) await kubectlApply(cluster, secrets);
  const existing = (await kubectlRun(cluster, ['get', 'secrets', '-n', namespace, '-l', `${ARGOCD_SECRET_TYPE_LABEL}=cluster`, '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean);
  const stale = existing.filter((name) => !shardClusters.some((c) => c.name === name));
  if (stale.length > 0) await kubectlRun(cluster, ['delete', 'secrets', '-n', namespace, ...stale]);
  if ((cluster.argocd.shards ?? 1) === shards) return cluster;
  return withLock(cluster.dir, async () => {
    log(`running ${shards} Argo CD application controller(s) (the cluster definition's argocd.shards)`);
    const shardMetricsPort = cluster.argocd!.shardMetricsPort ?? (shards > 1 ? (await freePorts(1))[0]! : undefined);
    const sharded: LocalCluster = { ...cluster, argocd: { ...cluster.argocd!, shards, ...(shardMetricsPort === undefined ? {} : { shardMetricsPort }) } };
    await stopControllers(cluster, log);
    await startControllers(sharded);
    writeState(sharded);
    return sharded;
  });
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
    await kubectlApply(cluster, argocdObjects(namespace, cluster.argocd!.settings));
    await stopControllers(cluster, log);
    const moved: LocalCluster = { ...cluster, argocd: { ...cluster.argocd!, namespace } };
    await startControllers(moved);
    writeState(moved);
    return moved;
  });
}

/** The environment the fleet settings give a component; none with Argo CD's defaults (LocalCluster.argocd.settings). */
function componentEnv(cluster: LocalCluster, component: Parameters<typeof argocdComponentEnv>[0]): Record<string, string> {
  return cluster.argocd?.settings === 'defaults' ? {} : argocdComponentEnv(component);
}

/**
 * The data of the argocd-cm ConfigMap that Argo CD's install manifests create
 * (manifests/base/config/argocd-cm.yaml of the pinned version, vendored as
 * tools/argocd/vendor-files/argocd-cm.yaml; test/scripts/cluster/argocd.test.ts checks it is the
 * module's): its default resource.customizations.ignoreResourceUpdates (a change to an object's
 * status alone, or to an Application's refresh annotations and operation, does not make Argo CD
 * compare the Applications that own or watch it again) and resource.exclusions. argo-helm's chart
 * (terraform/) carries the same defaults in its values; the harness starts the binaries without the
 * manifests, so it writes them itself. Without them, every status write of an env Application made
 * the root Application (which holds them all) compare the whole fleet again.
 */
export function argocdInstallCm(): Record<string, string> {
  const manifest = parse(readFileSync(join(REPO, 'tools', 'argocd', 'vendor-files', 'argocd-cm.yaml'), 'utf8')) as { data: Record<string, string> };
  return manifest.data;
}

/** Argo CD's own objects that its install manifests would create (the parts these two components read). */
function argocdObjects(namespace: string, settings: ArgocdSettingsChoice = 'fleet'): object[] {
  const fleet = settings === 'fleet';
  const labels = { [LABELS.partOf]: 'argocd' };
  const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: { ...labels, [LABELS.name]: name } }, data });
  return [
    cm('argocd-cm', {
      ...argocdInstallCm(),
      ...(fleet ? argocdCm() : {}),
      // No External Secrets operator runs in the local cluster, so an ExternalSecret never gets the
      // Ready condition Argo CD's built-in health check waits for; here it counts as healthy. On the
      // platform the real operator (terraform/) reports it.
      'resource.customizations.health.external-secrets.io_ExternalSecret': 'hs = {}\nhs.status = "Healthy"\nhs.message = "no External Secrets operator in the local cluster"\nreturn hs\n',
      // Nor KEDA: Argo CD's built-in ScaledObject check waits for KEDA's Ready condition.
      'resource.customizations.health.keda.sh_ScaledObject': 'hs = {}\nhs.status = "Healthy"\nhs.message = "no KEDA operator in the local cluster"\nreturn hs\n',
    }),
    cm('argocd-rbac-cm'),
    cm('argocd-cmd-params-cm', fleet ? { ...ARGOCD_CMD_PARAMS } : {}),
    cm('argocd-tls-certs-cm'),
    cm('argocd-ssh-known-hosts-cm'),
    cm('argocd-gpg-keys-cm'),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'argocd-secret', namespace, labels: { ...labels, [LABELS.name]: 'argocd-secret' } },
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

/**
 * The repo-server's Helm runs from now on: the returned function lists the `helm template`
 * commands it logged since this call (Argo CD logs every command it runs at level info, in the
 * function RunCommandExt of its exec package), as `<namespace>/<release>`, sorted. The e2e tests
 * assert with it that a commit renders only the envs it changed; the GitOps bench counts them.
 */
export function repoServerHelmRuns(cluster: LocalCluster): () => string[] {
  const file = logFile(cluster.dir, 'argocd-repo-server');
  const start = statSync(file).size;
  return () =>
    readFileSync(file)
      .subarray(start)
      .toString('utf8')
      .split('\n')
      .filter((l) => /msg="[^"]*\bhelm template /.test(l))
      .map((l) => `${/--namespace (\S+)/.exec(l)?.[1]}/${/--name-template (\S+)/.exec(l)?.[1]}`)
      .sort();
}
