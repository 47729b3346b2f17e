/**
 * generators/cluster/namespaces.ts: a developer's namespace, its ResourceQuota and LimitRange.
 * (Schema-checked with the rest of the tree in test/acceptance/k8s-schemas.test.ts; enforced by a
 * real API server in test/integration/pod-security.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { namespaceObjects, POD_SECURITY_VERSION } from '../../generators/cluster/namespaces.ts';
import { ARGOCD_ANNOTATIONS, ARGOCD_KEEP_ANNOTATIONS, LABELS } from '../../generators/plan/labels.ts';
import { clusterModel } from '../../generators/plan/model.ts';
import { LIMIT_RANGE_DEFAULTS } from '../../generators/schema/cluster.ts';

type Obj = { kind: string; metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations: Record<string, string> }; spec: Record<string, unknown> };

const cluster = (extra: Record<string, unknown> = {}) =>
  clusterModel('clusters/lab.yaml', { name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.com/fleet.git' }, ...extra } as never);

describe('namespaceObjects', () => {
  it("GIVEN a developer WHEN their namespace is made THEN baseline is enforced, restricted warned and audited, and Argo CD never prunes or deletes it", () => {
    const [namespace] = namespaceObjects(cluster({ namespacePrefix: 'dev-' }), 'ann') as Obj[];
    expect(namespace!.kind).toBe('Namespace');
    expect(namespace!.metadata.name).toBe('dev-ann');
    expect(namespace!.metadata.labels).toMatchObject({
      [LABELS.developer]: 'ann',
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(namespace!.metadata.annotations).toEqual({ [ARGOCD_ANNOTATIONS.syncWave]: '-1', ...ARGOCD_KEEP_ANNOTATIONS });
    expect(ARGOCD_KEEP_ANNOTATIONS[ARGOCD_ANNOTATIONS.syncOptions]).toBe('Delete=false,Prune=false');
  });

  it("GIVEN the cluster's quota WHEN the ResourceQuota is made THEN it bounds requests, memory, storage, node disk, claims and Pods with the cluster's values, before the envs sync", () => {
    const objects = namespaceObjects(cluster({ quota: { cpu: '6', memory: '12Gi', storage: '40Gi', ephemeralStorage: '8Gi', ephemeralStorageLimit: '32Gi', pods: 30, persistentVolumeClaims: 7 } }), 'ann') as Obj[];
    const quota = objects.find((o) => o.kind === 'ResourceQuota')!;
    expect(quota.metadata.namespace).toBe(objects[0]!.metadata.name);
    expect(quota.metadata.annotations).toEqual({ [ARGOCD_ANNOTATIONS.syncWave]: '-1' });
    expect(quota.spec).toEqual({
      hard: {
        'requests.cpu': '6',
        'requests.memory': '12Gi',
        'limits.memory': '12Gi',
        'requests.storage': '40Gi',
        'requests.ephemeral-storage': '8Gi',
        'limits.ephemeral-storage': '32Gi',
        persistentvolumeclaims: '7',
        pods: '30',
      },
    });
  });

  it('GIVEN a container without resources in the namespace WHEN the LimitRange applies THEN it gets the schema\'s defaults, an ephemeral-storage limit included (the quota requires one)', () => {
    const limits = (namespaceObjects(cluster(), 'ann') as Obj[]).find((o) => o.kind === 'LimitRange')!;
    expect(limits.spec).toEqual({
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: LIMIT_RANGE_DEFAULTS.cpu, memory: LIMIT_RANGE_DEFAULTS.memory, 'ephemeral-storage': LIMIT_RANGE_DEFAULTS.ephemeralStorage },
          default: { memory: LIMIT_RANGE_DEFAULTS.memoryLimit, 'ephemeral-storage': LIMIT_RANGE_DEFAULTS.ephemeralStorageLimit },
        },
      ],
    });
  });
});
