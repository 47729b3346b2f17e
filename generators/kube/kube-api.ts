/**
 * The only code that talks to a Kubernetes API server: the few calls `devfleet up/down/status`
 * need (Deployments, their scale, Pods and, behind the front door, the env's ScaledObject), over @kubernetes/client-node with the current kubeconfig context. Everything else works
 * on the plain data returned here, so the API can be stood in for (tests) or replaced.
 *
 * Every failure becomes a KubeError whose message says what to do.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiException, AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions, type V1Deployment, type V1Pod } from '@kubernetes/client-node';

export class KubeError extends Error {
  override name = 'KubeError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

export interface DeploymentState {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly createdAt: string | undefined;
  /** When the replica count was last changed through the scale subresource (up, down, sleep job, Headlamp, KEDA). */
  readonly scaledAt: string | undefined;
  /** Who last scaled it: the field manager owning spec.replicas through the scale subresource (`devfleet`, `kubectl`, `keda`, ...). */
  readonly scaledBy: string | undefined;
  /** True when some field manager owns spec.replicas at all (the creator's apply does until the first scale). */
  readonly replicasOwned: boolean;
}

/** What `devfleet up/down` read of an env's ScaledObject (behind the front door). */
export interface ScaledObjectState {
  readonly annotations: Readonly<Record<string, string>>;
  /** When KEDA last counted the env active (status.lastActiveTime), as an ISO instant. */
  readonly lastActiveTime: string | undefined;
}

export interface PodState {
  readonly name: string;
  readonly phase: string;
  /** Why a container is not running, e.g. ImagePullBackOff, CrashLoopBackOff. */
  readonly waitingReasons: readonly string[];
}

export interface KubeApi {
  /** Where the calls go, for messages. */
  readonly context: string;
  readonly server: string;
  readonly user: string;
  readDeployment(namespace: string, name: string): Promise<DeploymentState>;
  listDeployments(namespace: string, labelSelector: string): Promise<DeploymentState[]>;
  scaleDeployment(namespace: string, name: string, replicas: number): Promise<void>;
  listPods(namespace: string, labelSelector: string): Promise<PodState[]>;
  readScaledObject(namespace: string, name: string): Promise<ScaledObjectState>;
  /** Sets (value) or removes (undefined) one annotation of a ScaledObject, with a JSON merge patch. */
  annotateScaledObject(namespace: string, name: string, key: string, value: string | undefined): Promise<void>;
}

/** keda.sh/v1alpha1 ScaledObject, as the API serves it (test/fixtures/keda/keda.sh_scaledobjects.yaml). */
const SCALED_OBJECTS = { group: 'keda.sh', version: 'v1alpha1', plural: 'scaledobjects' } as const;

/** The kubeconfig files client-node would read, as kubectl does. */
function kubeconfigPaths(): string[] {
  const fromEnv = process.env.KUBECONFIG;
  if (fromEnv) return fromEnv.split(':').filter(Boolean);
  return [join(homedir(), '.kube', 'config')];
}

export function connect(options: { context?: string | undefined } = {}): KubeApi {
  const paths = kubeconfigPaths();
  if (!paths.some((p) => existsSync(p))) {
    throw new KubeError(
      `no kubeconfig found (looked at ${paths.join(', ')}); get one for your cluster, e.g. \`aws eks update-kubeconfig --name <cluster>\`, or set KUBECONFIG`,
      undefined,
    );
  }
  const kc = new KubeConfig();
  kc.loadFromDefault();
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      throw new KubeError(`kubeconfig has no context "${options.context}"; contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}`, undefined);
    }
    kc.setCurrentContext(options.context);
  }
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  if (!context || !cluster) throw new KubeError('kubeconfig has no current context; pick one with `kubectl config use-context <name>` or pass --context', undefined);
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const user = kc.getCurrentUser()?.name ?? 'unknown';
  const where = { context, server: cluster.server, user };
  const call = async <T>(what: string, namespace: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (error) {
      throw explain(error, what, namespace, where);
    }
  };
  return {
    ...where,
    readDeployment: (namespace, name) =>
      call(`read Deployment ${name}`, namespace, async () => deploymentState(await apps.readNamespacedDeployment({ name, namespace }))),
    listDeployments: (namespace, labelSelector) =>
      call('list Deployments', namespace, async () => (await apps.listNamespacedDeployment({ namespace, labelSelector })).items.map(deploymentState)),
    scaleDeployment: (namespace, name, replicas) =>
      call(`scale Deployment ${name}`, namespace, async () => {
        // A merge patch of the scale subresource, as `kubectl scale` sends: no resourceVersion, so no conflicts.
        await apps.patchNamespacedDeploymentScale(
          { name, namespace, body: { spec: { replicas } }, fieldManager: 'devfleet' },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
      }),
    listPods: (namespace, labelSelector) =>
      call('list Pods', namespace, async () => (await core.listNamespacedPod({ namespace, labelSelector })).items.map(podState)),
    readScaledObject: (namespace, name) =>
      call(`read ScaledObject ${name}`, namespace, async () => scaledObjectState(await custom.getNamespacedCustomObject({ ...SCALED_OBJECTS, namespace, name }))),
    annotateScaledObject: (namespace, name, key, value) =>
      call(`annotate ScaledObject ${name}`, namespace, async () => {
        // A JSON merge patch: null removes the key; no resourceVersion, so no conflicts.
        await custom.patchNamespacedCustomObject(
          { ...SCALED_OBJECTS, namespace, name, body: { metadata: { annotations: { [key]: value ?? null } } }, fieldManager: 'devfleet' },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
      }),
  };
}

function scaledObjectState(object: unknown): ScaledObjectState {
  const o = object as { metadata?: { annotations?: Record<string, string> }; status?: { lastActiveTime?: string } };
  return {
    annotations: o.metadata?.annotations ?? {},
    lastActiveTime: o.status?.lastActiveTime ? new Date(o.status.lastActiveTime).toISOString() : undefined,
  };
}

function deploymentState(d: V1Deployment): DeploymentState {
  const scales = (d.metadata?.managedFields ?? [])
    .filter((f) => f.subresource === 'scale' && f.time)
    .map((f) => ({ time: new Date(f.time as unknown as string).toISOString(), manager: f.manager }))
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  // Who scaled it last is whoever owns spec.replicas through the scale subresource: an Update moves
  // a field's ownership to its writer. Not the newest `time`: the API server keeps no time on a
  // manager's first scale entry (apimachinery pkg/util/managedfields/scalehandler.go ToParent copies
  // times from the Deployment's own entries only), which is how KEDA's first scale arrives.
  // The API server records no owner at all when none owned the field before the scale (its field
  // manager does not start tracking on an update of untracked fields): then nobody knows.
  const owners = (d.metadata?.managedFields ?? []).filter((f) => ownsReplicas(f.fieldsV1));
  const owner = owners.filter((f) => f.subresource === 'scale').at(-1);
  return {
    name: d.metadata?.name ?? '',
    namespace: d.metadata?.namespace ?? '',
    labels: d.metadata?.labels ?? {},
    replicas: d.spec?.replicas ?? 0,
    readyReplicas: d.status?.readyReplicas ?? 0,
    createdAt: d.metadata?.creationTimestamp ? new Date(d.metadata.creationTimestamp as unknown as string).toISOString() : undefined,
    scaledAt: scales.at(-1)?.time,
    scaledBy: owner?.manager,
    replicasOwned: owners.length > 0,
  };
}

/** True when a managedFields entry's field set holds spec.replicas. */
function ownsReplicas(fields: unknown): boolean {
  const spec = (fields as Record<string, unknown> | undefined)?.['f:spec'] as Record<string, unknown> | undefined;
  return spec !== undefined && 'f:replicas' in spec;
}

function podState(p: V1Pod): PodState {
  return {
    name: p.metadata?.name ?? '',
    phase: p.status?.phase ?? 'Unknown',
    waitingReasons: (p.status?.containerStatuses ?? []).flatMap((c) => (c.state?.waiting?.reason ? [`${c.name}: ${c.state.waiting.reason}`] : [])),
  };
}

function explain(error: unknown, what: string, namespace: string, where: { context: string; server: string; user: string }): KubeError {
  if (error instanceof ApiException) {
    const status = error.code;
    if (status === 401) return new KubeError(`the cluster at ${where.server} did not accept your credentials (context ${where.context}); log in again (e.g. \`aws sso login\`) and retry`, status);
    if (status === 403) {
      return new KubeError(
        `you (${where.user}, context ${where.context}) may not ${what} in namespace ${namespace}: are you on the right cluster? If so, ask ops to add your IAM identity to the cluster definition (developers[].iam)`,
        status,
      );
    }
    if (status === 404) return new KubeError(`${what}: not found in namespace ${namespace} (context ${where.context})`, status);
    if (status === 409) return new KubeError(`${what}: conflict with another change; retry`, status);
    return new KubeError(`${what} in ${namespace} failed: HTTP ${status} ${firstLine(String(error.body ?? error.message))}`, status);
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || /ECONNREFUSED|ENOTFOUND|fetch failed/.test(message)) {
    return new KubeError(`cannot reach the cluster at ${where.server} (context ${where.context}): ${code ?? firstLine(message)}; check your network/VPN and \`kubectl config current-context\``, undefined);
  }
  return new KubeError(`${what} in ${namespace} failed: ${firstLine(message)}`, undefined);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
