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
import { ApiException, AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions, type V1Deployment, type V1ManagedFieldsEntry, type V1Pod, type V1ReplicaSet } from '@kubernetes/client-node';

import { KubeError } from './kube-error.ts';

export { KubeError };

export interface DeploymentState {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly createdAt: string | undefined;
  /** When it was last scaled through the scale subresource, if the API server recorded a time; see ReplicaSetState for why it often did not. */
  readonly scaledAt: string | undefined;
  /** Who last scaled it: the field manager owning spec.replicas through the scale subresource (`devfleet`, `kubectl`, `keda`, ...). */
  readonly scaledBy: string | undefined;
  /** True when some field manager owns spec.replicas at all (the creator's apply does until the first scale). */
  readonly replicasOwned: boolean;
}

/**
 * A ReplicaSet as far as "since when is this env asleep/awake" needs it. The Deployment itself
 * cannot tell: a change through its scale subresource (`devfleet up/down`, the sleep jobs'
 * `kubectl scale`, Headlamp) is recorded in managedFields without a time, and a scale to 0 removes
 * the scaler's entry altogether (autoscaling/v1 Scale omits `replicas: 0`, so the entry's field set
 * is empty); checked against kube-apiserver 1.32 (test/integration/lifecycle.test.ts). The
 * deployment controller, however, writes each ReplicaSet's `spec.replicas` with an Update whose
 * managedFields time moves whenever a value it owns changes (kubernetes/kubernetes#110058,
 * Kubernetes 1.25+), whoever scaled the Deployment.
 */
export interface ReplicaSetState {
  readonly name: string;
  /** The uid of the Deployment that controls it (ownerReferences, controller: true), if any. */
  readonly ownerUid: string | undefined;
  readonly replicas: number;
  readonly createdAt: string | undefined;
  /** The managedFields time of the main-resource entry that owns `spec.replicas` (the deployment controller's). */
  readonly replicasSetAt: string | undefined;
}

/** What `devfleet up/down` read of an env's ScaledObject (behind the front door). */
export interface ScaledObjectState {
  readonly name: string;
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
  listReplicaSets(namespace: string, labelSelector: string): Promise<ReplicaSetState[]>;
  scaleDeployment(namespace: string, name: string, replicas: number): Promise<void>;
  listPods(namespace: string, labelSelector: string): Promise<PodState[]>;
  readScaledObject(namespace: string, name: string): Promise<ScaledObjectState>;
  listScaledObjects(namespace: string, labelSelector: string): Promise<ScaledObjectState[]>;
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
  try {
    kc.loadFromDefault();
  } catch (error) {
    // client-node throws the YAML parser's error (several lines, with a code frame) for a file that is not a kubeconfig.
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
    throw new KubeError(`kubeconfig ${paths.filter((p) => existsSync(p)).join(', ')} could not be read (${reason}); fix the file, or point KUBECONFIG at a valid one (\`aws eks update-kubeconfig --name <cluster>\` writes one)`, undefined);
  }
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
    listReplicaSets: (namespace, labelSelector) =>
      call('list ReplicaSets', namespace, async () => (await apps.listNamespacedReplicaSet({ namespace, labelSelector })).items.map(replicaSetState)),
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
    listScaledObjects: (namespace, labelSelector) =>
      call('list ScaledObjects', namespace, async () => {
        const list = (await custom.listNamespacedCustomObject({ ...SCALED_OBJECTS, namespace, labelSelector })) as { items?: unknown[] };
        return (list.items ?? []).map(scaledObjectState);
      }),
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
  const o = object as { metadata?: { name?: string; annotations?: Record<string, string> }; status?: { lastActiveTime?: string } };
  return {
    name: o.metadata?.name ?? '',
    annotations: o.metadata?.annotations ?? {},
    lastActiveTime: o.status?.lastActiveTime ? new Date(o.status.lastActiveTime).toISOString() : undefined,
  };
}

function deploymentState(d: V1Deployment): DeploymentState {
  // Scale entries: kube-apiserver 1.32 writes them without a time and drops them after a scale to 0
  // (see ReplicaSetState); the manager still tells who scaled it up.
  const scales = (d.metadata?.managedFields ?? [])
    .filter((f) => f.subresource === 'scale')
    .map((f) => ({ time: f.time ? new Date(f.time as unknown as string).toISOString() : '', manager: f.manager }))
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  // Who scaled it last is whoever owns spec.replicas through the scale subresource: an Update moves
  // a field's ownership to its writer. Not the newest `time`: the API server keeps no time on a
  // manager's first scale entry (apimachinery pkg/util/managedfields/scalehandler.go ToParent copies
  // times from the Deployment's own entries only), which is how KEDA's first scale arrives.
  // The API server records no owner at all when none owned the field before the scale (its field
  // manager does not start tracking on an update of untracked fields): then nobody knows.
  const owners = (d.metadata?.managedFields ?? []).filter(ownsSpecReplicas);
  const owner = owners.filter((f) => f.subresource === 'scale').at(-1);
  return {
    name: d.metadata?.name ?? '',
    namespace: d.metadata?.namespace ?? '',
    uid: d.metadata?.uid ?? '',
    labels: d.metadata?.labels ?? {},
    replicas: d.spec?.replicas ?? 0,
    readyReplicas: d.status?.readyReplicas ?? 0,
    createdAt: isoTime(d.metadata?.creationTimestamp),
    scaledAt: scales.at(-1)?.time || undefined,
    scaledBy: owner?.manager,
    replicasOwned: owners.length > 0,
  };
}

function replicaSetState(r: V1ReplicaSet): ReplicaSetState {
  const replicasTimes = (r.metadata?.managedFields ?? [])
    .filter((f) => !f.subresource && ownsSpecReplicas(f))
    .flatMap((f) => (f.time ? [isoTime(f.time)!] : []))
    .sort();
  return {
    name: r.metadata?.name ?? '',
    ownerUid: r.metadata?.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment')?.uid,
    replicas: r.spec?.replicas ?? 0,
    createdAt: isoTime(r.metadata?.creationTimestamp),
    replicasSetAt: replicasTimes.at(-1),
  };
}

/** fieldsV1 is a trie of `f:<field>` keys (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management). */
function ownsSpecReplicas(entry: V1ManagedFieldsEntry): boolean {
  const spec = (entry.fieldsV1 as Record<string, Record<string, unknown> | undefined> | undefined)?.['f:spec'];
  return spec !== undefined && 'f:replicas' in spec;
}

/** client-node types timestamps as Date but may hand over the wire's string; either way, one ISO form. */
function isoTime(value: Date | string | undefined): string | undefined {
  return value ? new Date(value).toISOString() : undefined;
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
    return new KubeError(`${what} in ${namespace} failed: HTTP ${status} ${firstLine(statusMessage(error.body) ?? String(error.body ?? error.message))}`, status);
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || /ECONNREFUSED|ENOTFOUND|fetch failed/.test(message)) {
    return new KubeError(`cannot reach the cluster at ${where.server} (context ${where.context}): ${code ?? firstLine(message)}; check your network/VPN and \`kubectl config current-context\``, undefined);
  }
  return new KubeError(`${what} in ${namespace} failed: ${firstLine(message)}`, undefined);
}

/** The message of a v1 Status answer (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/), if the body is one. */
function statusMessage(body: unknown): string | undefined {
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { kind?: unknown; message?: unknown } | null;
    return status?.kind === 'Status' && typeof status.message === 'string' ? status.message : undefined;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
