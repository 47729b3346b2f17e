/**
 * generators/cluster/ingress-policy.ts as data: what the admission policy on developer namespaces'
 * Ingresses demands in each ingress mode. What the API server makes of the CEL rules is proven in
 * test/integration/ingress-policy.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessAnnotations } from '../../generators/chart/ingress.ts';
import { ENV_INGRESS_POLICY, ingressPolicyObjects, NO_INGRESS_MESSAGE } from '../../generators/cluster/ingress-policy.ts';
import { developerNamespaceSelector } from '../../generators/cluster/replica-cap.ts';
import { clusterModel } from '../../generators/plan/model.ts';
import { ARGOCD_WEBHOOK_HOST_LABEL, HEADLAMP_HOST_LABEL } from '../../generators/plan/names.ts';
import { expression, loadConfigurations, locals } from '../../generators/terraform/hcl.ts';
import { REPO } from '../helpers/fixtures.ts';

const base = { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.com/f.git' } };

describe('the env Ingress policy', () => {
  it('GIVEN a cluster behind the front door WHEN generated THEN every Ingress in a developer namespace is refused, on create and update', () => {
    const cluster = clusterModel('clusters/dev.yaml', base);
    expect(cluster.ingress.mode).toBe('front-door');
    const [policy, binding] = ingressPolicyObjects(cluster) as Record<string, any>[];
    expect(policy!.spec.matchConstraints).toEqual({
      namespaceSelector: developerNamespaceSelector(cluster),
      resourceRules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] }],
    });
    expect(policy!.spec.failurePolicy).toBe('Fail');
    expect(policy!.spec.validations).toEqual([{ expression: 'false', reason: 'Forbidden', message: NO_INGRESS_MESSAGE }]);
    expect(binding).toMatchObject({ kind: 'ValidatingAdmissionPolicyBinding', spec: { policyName: ENV_INGRESS_POLICY, validationActions: ['Deny'] } });
  });

  it('GIVEN per-env IngressGroups with CIDRs and OIDC WHEN generated THEN the class, the env groups only (not the platform group), the guard\'s annotations and the hosts are checked', () => {
    const cluster = clusterModel('clusters/dev.yaml', {
      ...base,
      ingress: {
        mode: 'ingress-groups', groups: 3, scheme: 'internet-facing', sourceCidrs: ['203.0.113.0/24'],
        sso: { type: 'oidc', issuer: 'https://idp.example.com', authorizationEndpoint: 'https://idp.example.com/a', tokenEndpoint: 'https://idp.example.com/t', userInfoEndpoint: 'https://idp.example.com/u' },
      },
    });
    const [policy] = ingressPolicyObjects(cluster) as Record<string, any>[];
    const [klass, group, access, hosts] = (policy!.spec.validations as { expression: string }[]).map((v) => v.expression);
    expect(klass).toBe("has(object.spec.ingressClassName) && object.spec.ingressClassName == 'alb' && !('kubernetes.io/ingress.class' in variables.annotations)");
    expect(group).toBe("'alb.ingress.kubernetes.io/group.name' in variables.annotations && variables.annotations['alb.ingress.kubernetes.io/group.name'] in ['devfleet-dev-0', 'devfleet-dev-1', 'devfleet-dev-2']");
    expect(group).not.toContain('devfleet-dev-platform');
    const guard = accessAnnotations(cluster);
    expect(Object.keys(guard)).toContain('alb.ingress.kubernetes.io/auth-type');
    for (const [key, value] of Object.entries(guard)) expect(access).toContain(`'${key}' in variables.annotations && variables.annotations['${key}'] == '${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`);
    expect(access).toContain("!('alb.ingress.kubernetes.io/auth-idp-cognito' in variables.annotations)");
    expect(hosts).toContain("r.host.endsWith('.dev.example.com')");
    expect(hosts).toContain("!(r.host in ['headlamp.dev.example.com', 'argocd-webhook.dev.example.com'])");
  });

  it('GIVEN terraform/modules/platform WHEN Headlamp\'s host is read THEN it is the host the policy keeps envs off', async () => {
    const platform = (await loadConfigurations(join(REPO, 'terraform'))).find((c) => c.dir === 'modules/platform')!;
    expect(expression(locals(platform).get('headlamp_host'))).toBe(`${HEADLAMP_HOST_LABEL}.\${var.domain}`);
  });

  it('GIVEN terraform/modules/platform WHEN Argo CD\'s webhook host is read THEN it is the other host the policy keeps envs off', async () => {
    const platform = (await loadConfigurations(join(REPO, 'terraform'))).find((c) => c.dir === 'modules/platform')!;
    expect(expression(locals(platform).get('argocd_webhook_host'))).toBe(`${ARGOCD_WEBHOOK_HOST_LABEL}.\${var.domain}`);
  });
});
