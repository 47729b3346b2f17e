/**
 * What developers may do, as Kubernetes RBAC. Developers authenticate with their IAM identity;
 * EKS access entries (terraform/) map it to the developer's user in the developers' group
 * (plan/names.ts developerUserName, DEVELOPERS_GROUP).
 *
 * - In every developer namespace the group may VIEW the envs (Pods, Services, Deployments,
 *   Ingresses, PVCs, events, the schedule CronJobs) and SCALE Deployments, so Headlamp shows a
 *   scale button and `devfleet up/down` work. Designers can wake a colleague's env for a review.
 *   Behind the front door they may also patch ScaledObjects, limited by an admission policy to the
 *   force-activation annotation (scaled-object-policy.ts).
 * - In their OWN namespace a developer may also read container logs (`pods/log`: apps that print
 *   their environment would otherwise show a colleague's secret values) and use Telepresence
 *   (port-forward to the traffic agent and the traffic manager's own attachment grants), per
 *   Telepresence's documented minimal client RBAC: https://github.com/telepresenceio/telepresence/blob/release/v2/docs/reference/rbac.md
 * - Never: Secrets, pods/exec or pods/attach, creating or changing workloads, RBAC, bind,
 *   escalate, impersonate, wildcards, or anything cluster-scoped (no ClusterRoleBinding at all).
 *
 * test/cluster/access.test.ts checks the rules exactly, so any widening fails a test.
 */
import { LABELS } from '../plan/labels.ts';
import type { ClusterModel } from '../plan/model.ts';
import { DEVELOPERS_GROUP, developerUserName, namespaceName, TELEPRESENCE_NAMESPACE } from '../plan/names.ts';
import { clusterLabels } from './argocd.ts';

export const DEVELOPER_CLUSTER_ROLE = 'devfleet-developer';
/** The Role a developer holds in their own namespace only: logs and Telepresence. */
export const OWNER_ROLE = 'devfleet-owner';
export const TELEPRESENCE_CONNECT_ROLE = 'devfleet-telepresence-connect';

type Rule = { readonly apiGroups: readonly string[]; readonly resources: readonly string[]; readonly verbs: readonly string[]; readonly resourceNames?: readonly string[] };

const READ = ['get', 'list', 'watch'] as const;

/** View and scale, bound per developer namespace (a ClusterRole only as a reusable rule set). */
export const DEVELOPER_RULES: readonly Rule[] = [
  { apiGroups: [''], resources: ['pods', 'services', 'endpoints', 'persistentvolumeclaims', 'events', 'resourcequotas', 'limitranges'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
  // Behind the front door: `devfleet up/down` set or clear the ScaledObject's force-activation
  // annotation; scaled-object-policy.ts lets a patch change that annotation and nothing else.
  { apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: ['get', 'list', 'patch'] },
];

/** Logs and Telepresence in one's own namespace (for Telepresence, the namespace Role of the documented client RBAC). */
export const OWNER_RULES: readonly Rule[] = [
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
  { apiGroups: ['telepresence.io'], resources: ['attachments'], verbs: ['create', 'get'] },
  { apiGroups: ['telepresence.io'], resources: ['logs', 'logs/yaml'], verbs: ['get'] },
];

/** Connecting to the traffic manager (connect Role of the documented client RBAC). */
export const TELEPRESENCE_CONNECT_RULES: readonly Rule[] = [
  { apiGroups: [''], resources: ['pods/portforward'], resourceNames: ['traffic-manager-0'], verbs: ['create'] },
  { apiGroups: ['telepresence.io'], resources: ['connections'], verbs: ['create'] },
];

const copy = (rules: readonly Rule[]) =>
  rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}), verbs: [...r.verbs] }));

/** Cluster-level objects: the developers' rule set and the Telepresence connect grant. */
export function clusterAccessObjects(cluster: ClusterModel): Record<string, unknown>[] {
  const labels = { ...clusterLabels(cluster), [LABELS.component]: 'access' };
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: DEVELOPER_CLUSTER_ROLE, labels },
      rules: copy(DEVELOPER_RULES),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: TELEPRESENCE_CONNECT_ROLE, namespace: TELEPRESENCE_NAMESPACE, labels },
      rules: copy(TELEPRESENCE_CONNECT_RULES),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: TELEPRESENCE_CONNECT_ROLE, namespace: TELEPRESENCE_NAMESPACE, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: TELEPRESENCE_CONNECT_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: DEVELOPERS_GROUP }],
    },
  ];
}

/** Bindings in one developer's namespace. */
export function namespaceAccessObjects(cluster: ClusterModel, developer: string): Record<string, unknown>[] {
  const namespace = namespaceName(cluster.namespacePrefix, developer);
  const labels = { ...clusterLabels(cluster), [LABELS.developer]: developer, [LABELS.component]: 'access' };
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: DEVELOPER_CLUSTER_ROLE, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: DEVELOPER_CLUSTER_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: DEVELOPERS_GROUP }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: OWNER_ROLE, namespace, labels },
      rules: copy(OWNER_RULES),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: OWNER_ROLE, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: OWNER_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: developerUserName(developer) }],
    },
  ];
}
