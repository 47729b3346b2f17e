/**
 * Each developer's namespace: Pod Security labels, a ResourceQuota and a LimitRange.
 *
 * Pod Security: official images run as root, so "baseline" is enforced (no privileged Pods, no
 * host namespaces) and "restricted" only warns and audits.
 * Ref https://kubernetes.io/docs/concepts/security/pod-security-admission/
 *
 * Data safety: a namespace holds its envs' PVCs, so Argo CD never prunes or deletes it; removing
 * a developer leaves their namespace (and data) for ops to delete on purpose.
 */
import { ARGOCD_ANNOTATIONS, ARGOCD_KEEP_ANNOTATIONS, LABELS, POD_SECURITY_LABELS } from '../plan/labels.ts';
import type { ClusterModel } from '../plan/model.ts';
import { LIMIT_RANGE_DEFAULTS } from '../schema/cluster.ts';
import { namespaceName } from '../plan/names.ts';
import { PLATFORM_OBJECT_NAME } from '../plan/namespace-objects.ts';
import { clusterLabels } from './argocd.ts';

/** Pod Security Standards version the labels pin (the platform's Kubernetes minor). */
export const POD_SECURITY_VERSION = 'v1.32';

/** Defaults for containers that do not set resources (e.g. a Telepresence traffic agent); said once, in the schema, so validation checks Pods against the same values. */
export { LIMIT_RANGE_DEFAULTS };

export function namespaceObjects(cluster: ClusterModel, developer: string): Record<string, unknown>[] {
  const namespace = namespaceName(cluster.namespacePrefix, developer);
  const labels = { ...clusterLabels(cluster), [LABELS.developer]: developer };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          [POD_SECURITY_LABELS.enforce]: 'baseline',
          [POD_SECURITY_LABELS.enforceVersion]: POD_SECURITY_VERSION,
          [POD_SECURITY_LABELS.warn]: 'restricted',
          [POD_SECURITY_LABELS.warnVersion]: POD_SECURITY_VERSION,
          [POD_SECURITY_LABELS.audit]: 'restricted',
          [POD_SECURITY_LABELS.auditVersion]: POD_SECURITY_VERSION,
        },
        annotations: {
          [ARGOCD_ANNOTATIONS.syncWave]: '-1',
          // Kept (Prune=false) when its developer leaves, it must not hold the platform Application
          // OutOfSync forever: extraneous, it no longer counts for the sync status.
          ...ARGOCD_KEEP_ANNOTATIONS,
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: PLATFORM_OBJECT_NAME, namespace, labels, annotations: { [ARGOCD_ANNOTATIONS.syncWave]: '-1' } },
      spec: {
        hard: {
          'requests.cpu': cluster.quota.cpu,
          'requests.memory': cluster.quota.memory,
          'limits.memory': cluster.quota.memory,
          'requests.storage': cluster.quota.storage,
          // Node disk (writable layers, logs, emptyDirs): with a limit here, every Pod of the
          // namespace must have one too, which the LimitRange below supplies when a container sets none.
          'requests.ephemeral-storage': cluster.quota.ephemeralStorage,
          'limits.ephemeral-storage': cluster.quota.ephemeralStorageLimit,
          persistentvolumeclaims: String(cluster.quota.persistentVolumeClaims),
          pods: String(cluster.quota.pods),
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: PLATFORM_OBJECT_NAME, namespace, labels, annotations: { [ARGOCD_ANNOTATIONS.syncWave]: '-1' } },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: LIMIT_RANGE_DEFAULTS.cpu, memory: LIMIT_RANGE_DEFAULTS.memory, 'ephemeral-storage': LIMIT_RANGE_DEFAULTS.ephemeralStorage },
            default: { memory: LIMIT_RANGE_DEFAULTS.memoryLimit, 'ephemeral-storage': LIMIT_RANGE_DEFAULTS.ephemeralStorageLimit },
          },
        ],
      },
    },
  ];
}
