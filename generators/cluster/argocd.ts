/**
 * Argo CD objects of a cluster: one Application per env, the AppProject that fences them in,
 * and the bootstrap (a platform AppProject and the root app-of-apps) that Terraform applies once.
 *
 * These are plain objects rather than cdk8s constructs: a fleet has thousands of envs and
 * cdk8s resolution costs about 3 ms per chart (docs/design-notes.md "cdk8s and cdk8s-plus"), while the objects are
 * simple data. Their shape is checked against the real Argo CD CRD schemas in the tests.
 * Ref https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/
 */
import { envValues } from '../chart/chart-files.ts';
import { SCALED_OBJECT_KIND } from '../chart/scaled-object.ts';
import { namedShards, shardClusterName, shardCount, shardOf } from '../plan/argocd-shards.ts';
import { behindFrontDoor } from '../plan/front-door.ts';
import type { ClusterModel } from '../plan/model.ts';
import { ANNOTATIONS, ARGOCD_ANNOTATIONS, devfleetLabels, FORCE_ACTIVATION_ANNOTATION, LABELS } from '../plan/labels.ts';
import { clusterDir, TREE } from '../plan/layout.ts';
import { appProjectName, rootApplicationName, TELEPRESENCE_NAMESPACE } from '../plan/names.ts';
import { envUrls, type ClusterPlan, type Env } from '../plan/plan.ts';

export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const ARGOCD_API = 'argoproj.io/v1alpha1';
/** Deleting an Application deletes what it deployed, except what opts out (PVCs do). */
export const CASCADE_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/**
 * An env's manifest paths (ANNOTATIONS.manifestGeneratePaths): its project's chart folder (`.`, the
 * Application's `source.path`) and its values, which live in the Application itself
 * (`helm.valuesObject`: a change to them is a new Application spec and renders again). A chart
 * reads nothing outside its folder (docs/design-notes.md "Helm chart rules": no logic, no files, no dependencies).
 */
export const ENV_MANIFEST_PATHS = '.';
/** The root app-of-apps' manifest paths: its own folder (`apps/`, a directory source that reads nothing else). */
export const ROOT_MANIFEST_PATHS = '.';

/** Kinds the env charts create; the env AppProject allows these and nothing else. */
export const ENV_KINDS = [
  { group: '', kind: 'PersistentVolumeClaim' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'networking.k8s.io', kind: 'Ingress' },
  // The Secrets the containers read (generators/chart/external-secret.ts); the Secrets themselves
  // are made by External Secrets Operator, not synced, so Secret stays out of this list.
  { group: 'external-secrets.io', kind: 'ExternalSecret' },
  { group: 'generators.external-secrets.io', kind: 'Password' },
  // Behind the front door (generators/chart/interceptor-route.ts, scaled-object.ts): the env's
  // routes at the KEDA HTTP add-on's interceptor, and how KEDA scales it.
  { group: 'http.keda.sh', kind: 'InterceptorRoute' },
  { group: 'keda.sh', kind: 'ScaledObject' },
] as const;

/** Cluster-scoped kinds of the platform tree (`apps/`), which the platform AppProject allows. */
export const PLATFORM_CLUSTER_KINDS = [
  { group: '', kind: 'Namespace' },
  // The replica cap's and the front door's admission policies (replica-cap.ts, scaled-object-policy.ts).
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
] as const;

/** Namespaced kinds of the platform tree, which the platform AppProject allows. */
export const PLATFORM_NAMESPACED_KINDS = [
  { group: '', kind: 'LimitRange' },
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'argoproj.io', kind: 'AppProject' },
  { group: 'argoproj.io', kind: 'Application' },
  { group: 'batch', kind: 'CronJob' },
  { group: 'external-secrets.io', kind: 'ExternalSecret' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
] as const;

/**
 * What Argo CD must not undo: the replica count (`devfleet up/down`, the sleep/wake jobs,
 * Headlamp's scale button, KEDA) and, behind the front door, the ScaledObject annotation
 * `devfleet up` sets while it keeps the env awake (RFC 6901: "/" in a key is written "~1").
 */
export function ignoredDifferences(env: Env): Record<string, unknown>[] {
  return [
    { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    ...(behindFrontDoor(env) ? [{ group: 'keda.sh', kind: SCALED_OBJECT_KIND, jsonPointers: [`/metadata/annotations/${FORCE_ACTIVATION_ANNOTATION.replaceAll('~', '~0').replaceAll('/', '~1')}`] }] : []),
  ];
}

export function clusterLabels(cluster: ClusterModel): Record<string, string> {
  return { ...devfleetLabels(), [LABELS.cluster]: cluster.name };
}

/**
 * Where an env's Application deploys: its namespace on the shard of its developer
 * (plan/argocd-shards.ts): Argo CD's in-cluster destination for shard 0, the named cluster of the
 * same API server for the others, so that shard's application controller reconciles it.
 */
export function envDestination(env: Env, shards: number): Record<string, string> {
  const shard = shardOf(env.developer, shards);
  return shard === 0 ? { server: IN_CLUSTER, namespace: env.namespace } : { name: shardClusterName(env.cluster, shard), namespace: env.namespace };
}

/**
 * Sync options of every Application devfleet generates (the root app-of-apps and each env's).
 * `Validate=false`: Argo CD's kubectl apply skips its client-side validation, which for each object
 * it applies fetches and parses the API server's OpenAPI v3 document of the object's group and
 * version (kubectl's query-parameter check; for an Application, the whole argoproj.io document):
 * 40 % of the application controller's CPU during a 300-env cold sync, by Go's pprof
 * (bench/README.md "GitOps"). The generated objects are checked against the Kubernetes and CRD
 * schemas in devfleet's own tests (test/acceptance/k8s-schemas.test.ts), and the API server still
 * refuses a wrong type; it drops a field it does not know instead of refusing it.
 * Ref https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#skip-schema-validation
 */
export const FLEET_SYNC_OPTIONS = ['Validate=false'] as const;

/** The env's Application; `shards` is the cluster's application controller count (plan/argocd-shards.ts shardCount). */
export function envApplication(env: Env, shards = 1): Record<string, unknown> {
  const { cluster, project } = env;
  return {
    apiVersion: ARGOCD_API,
    kind: 'Application',
    metadata: {
      name: env.application,
      namespace: cluster.argocd.namespace,
      labels: {
        ...clusterLabels(cluster),
        [LABELS.name]: project.name,
        [LABELS.instance]: env.application,
        [LABELS.project]: project.name,
        [LABELS.developer]: env.developer,
      },
      annotations: { [ANNOTATIONS.manifestGeneratePaths]: ENV_MANIFEST_PATHS },
      finalizers: [CASCADE_FINALIZER],
    },
    spec: {
      project: appProjectName(cluster.name),
      source: {
        repoURL: cluster.argocd.repoURL,
        targetRevision: cluster.argocd.targetRevision,
        path: `${clusterDir(cluster.name)}/${TREE.chart(project.name)}`,
        helm: { releaseName: env.release, valuesObject: envValues(env) },
      },
      destination: envDestination(env, shards),
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // Argo CD must not fight `devfleet up/down`, the nightly sleep or KEDA (ignoredDifferences),
        // and RespectIgnoreDifferences keeps selfHeal from re-applying them.
        // Ref https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#respect-ignore-difference-configs
        syncOptions: ['RespectIgnoreDifferences=true', ...FLEET_SYNC_OPTIONS],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      },
      ignoreDifferences: ignoredDifferences(env),
      ...(env.hosts.length > 0 ? { info: envUrls(env).map((url) => ({ name: 'URL', value: url })) } : {}),
    },
  };
}

/** The AppProject of the env Applications: this repository in, the developer namespaces out, no cluster-scoped objects. */
export function envAppProject(plan: ClusterPlan): Record<string, unknown> {
  const { cluster } = plan;
  const shards = shardCount(plan);
  const namespace = `${cluster.namespacePrefix}*`;
  return {
    apiVersion: ARGOCD_API,
    kind: 'AppProject',
    metadata: {
      name: appProjectName(cluster.name),
      namespace: cluster.argocd.namespace,
      labels: clusterLabels(cluster),
      annotations: { [ARGOCD_ANNOTATIONS.syncWave]: '-2' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      description: `devfleet envs of cluster ${cluster.name}: one Application per (developer, project)`,
      sourceRepos: [cluster.argocd.repoURL],
      // Every developer namespace by its prefix, not the list of today's developers: when a developer
      // leaves, the same sync narrows a listed project before Argo CD deletes their Applications,
      // whose finalizer then may not touch (and leaves running) everything in their namespace.
      // Shard 0 is the in-cluster destination, the other shards the same API server by name.
      destinations: [{ server: IN_CLUSTER, namespace }, ...namedShards(cluster, shards).map(({ name }) => ({ name, namespace }))],
      clusterResourceWhitelist: [],
      // Behind the front door envs have no Ingress: an Ingress that reached Git is not synced
      // (cluster/ingress-policy.ts refuses it at the API server too).
      namespaceResourceWhitelist: ENV_KINDS.filter((k) => cluster.ingress.mode === 'ingress-groups' || k.kind !== 'Ingress').map((k) => ({ ...k })),
    },
  };
}

/**
 * Applied once by Terraform (terraform/ bootstraps Argo CD): the platform AppProject and the root
 * app-of-apps, which syncs `clusters/<cluster>/apps/` and so creates everything else.
 */
export function bootstrapObjects(cluster: ClusterModel): Record<string, unknown>[] {
  const platform = `${appProjectName(cluster.name)}-platform`;
  return [
    {
      apiVersion: ARGOCD_API,
      kind: 'AppProject',
      metadata: { name: platform, namespace: cluster.argocd.namespace, labels: clusterLabels(cluster) },
      spec: {
        description: `devfleet platform of cluster ${cluster.name}: developer namespaces, access, sleep/wake jobs and the env Applications`,
        sourceRepos: [cluster.argocd.repoURL],
        destinations: [
          { server: IN_CLUSTER, namespace: cluster.argocd.namespace },
          { server: IN_CLUSTER, namespace: TELEPRESENCE_NAMESPACE },
          { server: IN_CLUSTER, namespace: `${cluster.namespacePrefix}*` },
        ],
        clusterResourceWhitelist: PLATFORM_CLUSTER_KINDS.map((k) => ({ ...k })),
        namespaceResourceWhitelist: PLATFORM_NAMESPACED_KINDS.map((k) => ({ ...k })),
      },
    },
    {
      apiVersion: ARGOCD_API,
      kind: 'Application',
      metadata: {
        name: rootApplicationName(cluster.name),
        namespace: cluster.argocd.namespace,
        labels: clusterLabels(cluster),
        // Its manifests are the files under its path and nothing else (a directory source). Without
        // the annotation, Argo CD's Git webhook refreshes the root on every push and its
        // repo-server reads the whole tree again, and the root compares every env Application:
        // 10-50 s of the controller at 1,000 envs for a commit that changed only a chart
        // (bench/README.md "GitOps"). With it, a commit outside apps/ moves the root's cached
        // manifests to the new commit instead.
        // Ref https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/#manifest-paths-annotation
        annotations: { [ANNOTATIONS.manifestGeneratePaths]: ROOT_MANIFEST_PATHS },
      },
      spec: {
        project: platform,
        source: {
          repoURL: cluster.argocd.repoURL,
          targetRevision: cluster.argocd.targetRevision,
          path: `${clusterDir(cluster.name)}/${TREE.apps}`,
          directory: { recurse: true },
        },
        destination: { server: IN_CLUSTER, namespace: cluster.argocd.namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [...FLEET_SYNC_OPTIONS] },
        // The root compares every env Application each time one of them changes, and an
        // Application's status (its resources, history and last operation, written by Argo CD,
        // never in Git) is most of its bytes: the three-way diff would walk it for nothing.
        // Ref https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/#application-level-configuration
        ignoreDifferences: [{ group: 'argoproj.io', kind: 'Application', jsonPointers: ['/status', '/operation'] }],
      },
    },
  ];
}
