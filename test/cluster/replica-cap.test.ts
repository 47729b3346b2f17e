/**
 * generators/cluster/replica-cap.ts as data: which namespaces and requests the policy matches.
 * What the API server makes of the CEL rule is proven in test/integration/replica-cap.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { namespaceObjects } from '../../generators/cluster/namespaces.ts';
import { developerNamespaceSelector, MAX_ENV_REPLICAS, REPLICA_CAP_POLICY, replicaCapObjects } from '../../generators/cluster/replica-cap.ts';
import { clusterModel } from '../../generators/plan/model.ts';
import { type LabelSelector, selects } from '../helpers/network-policy.ts';

const cluster = clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.com/f.git' } });

describe('the replica cap policy', () => {
  it('GIVEN the cluster WHEN generated THEN one cluster-scoped policy matches Deployments and their scale subresource on create and update, and one binding denies', () => {
    const [policy, binding] = replicaCapObjects(cluster) as Record<string, any>[];
    expect(policy!.metadata.namespace).toBeUndefined();
    expect(policy!.spec.failurePolicy).toBe('Fail');
    expect(policy!.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'deployments/scale'] },
    ]);
    expect(policy!.spec.validations[0].expression).toContain(`object.spec.replicas <= ${MAX_ENV_REPLICAS}`);
    expect(binding).toEqual(expect.objectContaining({ kind: 'ValidatingAdmissionPolicyBinding', spec: { policyName: REPLICA_CAP_POLICY, validationActions: ['Deny'] } }));
  });

  it('GIVEN the namespaces of this cluster, of another cluster and the platform\'s WHEN the selector is applied THEN only this cluster\'s developer namespaces match', () => {
    const selector = developerNamespaceSelector(cluster) as LabelSelector;
    const own = (namespaceObjects(cluster, 'ann')[0] as { metadata: { labels: Record<string, string> } }).metadata.labels;
    const other = clusterModel('clusters/lab.yaml', { name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.com/f.git' } });
    const foreign = (namespaceObjects(other, 'ann')[0] as { metadata: { labels: Record<string, string> } }).metadata.labels;
    expect(selects(selector, own)).toBe(true);
    expect(selects(selector, foreign)).toBe(false);
    const platforms: Record<string, string>[] = [{}, { 'kubernetes.io/metadata.name': 'kube-system' }, { 'devfleet.dev/cluster': 'dev', 'kubernetes.io/metadata.name': 'argocd' }];
    for (const platform of platforms) expect(selects(selector, platform)).toBe(false);
  });
});
