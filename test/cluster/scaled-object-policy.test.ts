/**
 * The admission policy that keeps developers to the force-activation annotation of ScaledObjects
 * (generators/cluster/scaled-object-policy.ts). What it allows and refuses is proved on a real API
 * server in test/integration/access.test.ts; here: when it exists and what it matches.
 */
import { describe, expect, it } from 'vitest';
import { SCALED_OBJECT_POLICY, scaledObjectPolicyObjects } from '../../generators/cluster/scaled-object-policy.ts';
import { clusterModel } from '../../generators/plan/model.ts';

const clusterIn = (mode: 'front-door' | 'ingress-groups') =>
  clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' }, ingress: { mode } });

describe('scaledObjectPolicyObjects', () => {
  it('GIVEN a front-door cluster WHEN generated THEN a policy on ScaledObject updates by the developers group, bound to deny, with one validation per kind of change', () => {
    const [policy, binding] = scaledObjectPolicyObjects(clusterIn('front-door')) as Record<string, any>[];
    expect(policy!.kind).toBe('ValidatingAdmissionPolicy');
    expect(policy!.metadata.name).toBe(SCALED_OBJECT_POLICY);
    expect(policy!.spec.failurePolicy).toBe('Fail');
    expect(policy!.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: ['keda.sh'], apiVersions: ['*'], operations: ['UPDATE'], resources: ['scaledobjects'] }]);
    expect(policy!.spec.matchConditions).toEqual([{ name: 'developers', expression: "'devfleet:developers' in request.userInfo.groups" }]);
    expect(policy!.spec.validations.map((v: { expression: string }) => v.expression)).toEqual([
      'object.spec == oldObject.spec',
      expect.stringContaining('object.metadata.labels'),
      expect.stringContaining("k == 'autoscaling.keda.sh/force-activation'"),
      "!('autoscaling.keda.sh/force-activation' in variables.after) || variables.after['autoscaling.keda.sh/force-activation'] == 'true'",
    ]);
    expect(binding).toEqual({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: SCALED_OBJECT_POLICY, labels: policy!.metadata.labels }, spec: { policyName: SCALED_OBJECT_POLICY, validationActions: ['Deny'] } });
  });

  it('GIVEN a cluster with per-env Ingresses (no ScaledObjects) WHEN generated THEN there is no policy', () => {
    expect(scaledObjectPolicyObjects(clusterIn('ingress-groups'))).toEqual([]);
  });
});
