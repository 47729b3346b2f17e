/**
 * Argo CD's settings for a fleet: the one source of what Terraform installs on EKS (handed over in
 * the generated tfvars, `argocd`, into argo-helm's `configs.params` and `configs.cm`) and of what
 * the local harness runs (scripts/cluster/argocd.ts writes the same ConfigMaps and gives its
 * processes the environment variables Argo CD's install manifests map them to). Argo CD's defaults
 * are sized for a few hundred Applications; a devfleet cluster has one per env.
 *
 * Sources: Argo CD's "High Availability" page, "Scaling Up"
 * (https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/), the ConfigMap
 * references (operator-manual/argocd-cmd-params-cm.yaml and argocd-cm.yaml) and the install
 * manifests of the pinned version (ARGOCD_VERSION in tools/versions.env), which say which key
 * each component reads.
 */
import { stringify } from 'yaml';
import { namedShards, shardCount } from '../plan/argocd-shards.ts';
import type { ClusterPlan } from '../plan/plan.ts';
import { ENV_KINDS, PLATFORM_CLUSTER_KINDS, PLATFORM_NAMESPACED_KINDS } from './argocd.ts';

/** `argocd-cmd-params-cm`: the components' command-line parameters (ConfigMap data, all strings). */
export const ARGOCD_CMD_PARAMS = {
  // Reconciliation (status) and sync (operation) workers of the application controller. Defaults
  // 20 and 10; the HA page: "For 1000 applications, we use 50 for --status-processors and 25 for
  // --operation-processors". A fleet's commit refreshes every env at once.
  'controller.status.processors': '50',
  'controller.operation.processors': '25',
  // How many kubectl applies the controller runs at once, across all syncs (default 20): one per
  // operation processor, so 25 syncs of a changed project's envs never queue behind each other.
  'controller.kubectl.parallelism.limit': '25',
  // The controller's Kubernetes client rate (defaults 50 QPS, burst 100; cluster_constants.go).
  // A cold fleet lists and watches every kind and applies thousands of objects; the default
  // throttles that client-side ("Waited for ... due to client-side throttling") long before an EKS
  // API server objects.
  'controller.k8s.client.qps': '100',
  'controller.k8s.client.burst': '200',
  // Helm runs the repo-server starts at once (default 0: unbounded). The HA page: "controls how
  // many manifests generations are running concurrently and helps avoid OOM kills"; a commit that
  // changes every chart asks for one per env at once. Bounded, the wait is the
  // argocd_repo_parallelism_wait_duration_seconds metric, whose count is the Helm runs.
  'reposerver.parallelism.limit': '8',
  // Self-heal waits 10 s after the env's last sync before it syncs drift again (default: an
  // exponential backoff whose FIRST step is 0 s, controller/appcontroller.go
  // selfHealRemainingBackoff). Right after a sync the controller's cache may not hold every object
  // it just created yet, so the env looks OutOfSync and a second, partial sync was queued at once:
  // 286 such syncs beside the 1,001 real ones of a 1,000-env cold sync on the harness, each waiting
  // minutes behind real work and then delaying the next commit's syncs. A backoff timeout of 0 turns the backoff
  // off and makes the fixed timeout apply to every self-heal: drift made later is still reverted at
  // once (10 s after the last sync have long passed).
  'controller.self.heal.timeout.seconds': '10',
  'controller.self.heal.backoff.timeout.seconds': '0',
} as const;

/**
 * Every kind the generated tree contains (the envs' charts and the platform's `apps/`). Only these
 * are watched and cached by the controller (`resource.inclusions`): not the Pods, ReplicaSets,
 * Endpoints, Jobs, Events and Secrets the fleet's workloads make, which are most of a cluster's
 * objects and which no env Application owns in Git (a Deployment's health is read from its own
 * status). The HA page: the controller "maintains a lightweight Kubernetes cluster cache"; #28539:
 * every Application scan walks it.
 */
export function watchedKinds(): { group: string; kind: string }[] {
  const all = [...ENV_KINDS, ...PLATFORM_CLUSTER_KINDS, ...PLATFORM_NAMESPACED_KINDS].map((k) => `${k.group}/${k.kind}`);
  return [...new Set(all)].sort().map((gk) => {
    const [group, kind] = gk.split('/') as [string, string];
    return { group, kind };
  });
}

/** `argocd-cm`: reconciliation timing and the cluster cache's kinds. */
export function argocdCm(): Record<string, string> {
  const byGroup = new Map<string, string[]>();
  for (const { group, kind } of watchedKinds()) byGroup.set(group, [...(byGroup.get(group) ?? []), kind]);
  return {
    // How often every Application polls Git and is compared again without a change (default 180 s,
    // jitter 60 s): kept. A shorter period multiplies the controller's work by the fleet's size
    // (the harness ran 20 s before: every env compared three times a minute). A commit reaches its
    // envs in seconds through Argo CD's Git webhook
    // (https://argo-cd.readthedocs.io/en/stable/operator-manual/webhook/; the harness's stand-in
    // is cluster:sync's refresh), else within 3-4 minutes. The jitter spreads the fleet's periodic
    // reconciliations instead of starting them all at one tick.
    'timeout.reconciliation': '180s',
    'timeout.reconciliation.jitter': '60s',
    'resource.inclusions': stringify([...byGroup].map(([group, kinds]) => ({ apiGroups: [group], kinds, clusters: ['*'] }))),
    // Argo CD's own default (its install manifests' argocd-cm, which argo-helm and the harness
    // write; tools/argocd/vendor-files/argocd-cm.yaml) says the same fields as jq path expressions.
    // The controller evaluates them on every Application event to decide whether the root app
    // must compare again: 11 % of its CPU in a 300-env cold sync (Go's pprof, bench/README.md
    // "GitOps"). JSON pointers remove exactly these fields at a fraction of the cost.
    // Ref https://argo-cd.readthedocs.io/en/stable/operator-manual/reconcile/
    'resource.customizations.ignoreResourceUpdates.argoproj.io_Application': stringify({ jsonPointers: APPLICATION_UPDATES_IGNORED }),
    // What Kubernetes' own controllers write on an env's objects right after Argo CD creates them,
    // none of it in Git, so comparing the env again finds nothing: the volume binder's and
    // provisioner's annotations and the bound volume's name on a PVC, the Deployment controller's
    // revision annotation. Each made the env's Application compare again: in a 1,000-env cold sync
    // PVCs and Deployments caused 5,100 of the controller's 10,400 refreshes ("Requesting app
    // refresh caused by object update", counted by kind as Argo CD's reconcile page says). A change
    // of health (a PVC becoming Bound, a Deployment Available) still refreshes it.
    // Ref https://argo-cd.readthedocs.io/en/stable/operator-manual/reconcile/#finding-resources-to-ignore
    'resource.customizations.ignoreResourceUpdates.PersistentVolumeClaim': stringify({ jsonPointers: PVC_UPDATES_IGNORED }),
    'resource.customizations.ignoreResourceUpdates.apps_Deployment': stringify({ jsonPointers: ['/metadata/annotations/deployment.kubernetes.io~1revision'] }),
  };
}

/** What the volume binder and a provisioner write on a PVC (Kubernetes' pv_controller; EBS/EFS CSI on EKS, kwok here). */
export const PVC_UPDATES_IGNORED = [
  '/metadata/annotations/pv.kubernetes.io~1bind-completed',
  '/metadata/annotations/pv.kubernetes.io~1bound-by-controller',
  '/metadata/annotations/volume.beta.kubernetes.io~1storage-provisioner',
  '/metadata/annotations/volume.kubernetes.io~1storage-provisioner',
  '/metadata/annotations/volume.kubernetes.io~1selected-node',
  '/spec/volumeName',
] as const;

/** The Application fields whose change alone does not make Argo CD compare the root app again (Argo CD's default list). */
export const APPLICATION_UPDATES_IGNORED = [
  '/metadata/annotations/notified.notifications.argoproj.io',
  '/metadata/annotations/argocd.argoproj.io~1refresh',
  '/metadata/annotations/argocd.argoproj.io~1refresh-timestamp',
  '/metadata/annotations/argocd.argoproj.io~1hydrate',
  '/metadata/annotations/argocd.argoproj.io~1hydrate-timestamp',
  '/operation',
] as const;

/**
 * Which environment variable of which component each `argocd-cmd-params-cm` and `argocd-cm` key
 * becomes: the `configMapKeyRef`s of the pinned Argo CD's install manifests
 * (manifests/base/application-controller/argocd-application-controller-statefulset.yaml,
 * manifests/base/repo-server/argocd-repo-server-deployment.yaml). The harness starts the binaries
 * itself and sets these as the Pods would get them.
 */
export const ARGOCD_ENV: readonly { key: string; component: ArgocdComponent; env: string }[] = [
  { key: 'controller.status.processors', component: 'application-controller', env: 'ARGOCD_APPLICATION_CONTROLLER_STATUS_PROCESSORS' },
  { key: 'controller.operation.processors', component: 'application-controller', env: 'ARGOCD_APPLICATION_CONTROLLER_OPERATION_PROCESSORS' },
  { key: 'controller.kubectl.parallelism.limit', component: 'application-controller', env: 'ARGOCD_APPLICATION_CONTROLLER_KUBECTL_PARALLELISM_LIMIT' },
  { key: 'controller.k8s.client.qps', component: 'application-controller', env: 'ARGOCD_K8S_CLIENT_QPS' },
  { key: 'controller.k8s.client.burst', component: 'application-controller', env: 'ARGOCD_K8S_CLIENT_BURST' },
  { key: 'timeout.reconciliation', component: 'application-controller', env: 'ARGOCD_RECONCILIATION_TIMEOUT' },
  { key: 'timeout.reconciliation.jitter', component: 'application-controller', env: 'ARGOCD_RECONCILIATION_JITTER' },
  { key: 'controller.self.heal.timeout.seconds', component: 'application-controller', env: 'ARGOCD_APPLICATION_CONTROLLER_SELF_HEAL_TIMEOUT_SECONDS' },
  { key: 'controller.self.heal.backoff.timeout.seconds', component: 'application-controller', env: 'ARGOCD_APPLICATION_CONTROLLER_SELF_HEAL_BACKOFF_TIMEOUT_SECONDS' },
  { key: 'reposerver.parallelism.limit', component: 'repo-server', env: 'ARGOCD_REPO_SERVER_PARALLELISM_LIMIT' },
  // The repo-server's cache of resolved revisions expires with the reconciliation timeout.
  { key: 'timeout.reconciliation', component: 'repo-server', env: 'ARGOCD_RECONCILIATION_TIMEOUT' },
];

export type ArgocdComponent = 'application-controller' | 'repo-server';

/** The environment of one Argo CD component for these settings, as its install manifest sets it. */
export function argocdComponentEnv(component: ArgocdComponent): Record<string, string> {
  const values: Record<string, string> = { ...ARGOCD_CMD_PARAMS, ...argocdCm() };
  return Object.fromEntries(ARGOCD_ENV.filter((e) => e.component === component).map((e) => [e.env, values[e.key]!]));
}

/** The tfvars' `argocd`: what terraform/modules/platform/argocd.tf hands argo-helm. */
export function argocdTfvars(): { cmd_params: Record<string, string>; cm: Record<string, string> } {
  return { cmd_params: { ...ARGOCD_CMD_PARAMS }, cm: argocdCm() };
}

/**
 * The host every shard cluster's name points at (an ExternalName Service `<cluster>-shard-<i>` in
 * Argo CD's namespace, made by Terraform): the cluster's own API server, by its in-cluster Service.
 */
export const SHARD_SERVICE_TARGET = 'kubernetes.default.svc.cluster.local';

/**
 * The name the API server's certificate carries that every shard cluster's TLS client expects
 * (`tlsClientConfig.serverName`): the shard's own host name is not in the certificate.
 */
export const SHARD_TLS_SERVER_NAME = 'kubernetes.default.svc';

/**
 * How a shard cluster authenticates on EKS: the controller's own ServiceAccount token (the file
 * Kubernetes projects into its Pod and renews), handed to client-go by an exec credential plugin,
 * so no token sits in Git, the tfvars or Terraform's state. client-go runs it again on a 401.
 * Argo CD's image has sh and cat. Ref https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
 */
export const SHARD_EXEC_PROVIDER = {
  apiVersion: 'client.authentication.k8s.io/v1beta1',
  command: 'sh',
  args: ['-c', 'printf \'{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s"}}\' "$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)"'],
} as const;

/**
 * The tfvars' `argocd` shard inputs: `controllers` (argo-helm's controller.replicas, from which the
 * chart sets ARGOCD_CONTROLLER_REPLICAS; each replica's shard is its StatefulSet ordinal) and one
 * Argo CD cluster per shard >= 1 (plan/argocd-shards.ts), whose Secret Terraform completes with
 * the cluster's CA (`tlsClientConfig.caData`).
 */
export function argocdShardTfvars(plan: ClusterPlan): { controllers: number; shard_service_target: string; shard_clusters: { name: string; shard: string; server: string; config: Record<string, unknown> }[] } {
  const { cluster } = plan;
  return {
    controllers: shardCount(plan),
    shard_service_target: SHARD_SERVICE_TARGET,
    shard_clusters: namedShards(cluster, shardCount(plan)).map(({ name, shard }) => ({
      name,
      shard: String(shard),
      server: `https://${name}.${cluster.argocd.namespace}.svc`,
      config: { tlsClientConfig: { serverName: SHARD_TLS_SERVER_NAME }, execProviderConfig: { ...SHARD_EXEC_PROVIDER, args: [...SHARD_EXEC_PROVIDER.args] } },
    })),
  };
}
