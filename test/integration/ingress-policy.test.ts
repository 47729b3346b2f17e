/**
 * The env Ingress policy (generators/cluster/ingress-policy.ts) as the real kube-apiserver
 * enforces it: behind the front door (the bundled cluster's tree) no Ingress enters a developer
 * namespace; with per-env IngressGroups (a cluster `lab`, its policy applied under another name so
 * the two never meet) only the Ingress the chart generates does, and none that joins the
 * platform's group, drops the sign-in, widens the CIDRs or serves Headlamp's host.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingressAnnotations } from '../../generators/chart/ingress.ts';
import { ingressPolicyObjects, NO_INGRESS_MESSAGE } from '../../generators/cluster/ingress-policy.ts';
import { namespaceObjects } from '../../generators/cluster/namespaces.ts';
import { clusterModel } from '../../generators/plan/model.ts';
import { ingressGroupName } from '../../generators/plan/names.ts';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { REPO } from '../helpers/fixtures.ts';
import { applyForReal, dryRunApply, ensureNamespaces, eventually, type KubeObject, localCluster, manifestOf, namespacesOf, treeManifests } from './kube.ts';

let cluster: LocalCluster;

const lab = clusterModel('clusters/lab.yaml', {
  name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.com/f.git' },
  ingress: {
    mode: 'ingress-groups', groups: 2, scheme: 'internet-facing', sourceCidrs: ['203.0.113.0/24'],
    sso: { type: 'oidc', issuer: 'https://idp.example.com', authorizationEndpoint: 'https://idp.example.com/a', tokenEndpoint: 'https://idp.example.com/t', userInfoEndpoint: 'https://idp.example.com/u' },
  },
});
const LAB_POLICY = 'test-lab-env-ingresses';

/** The env Ingress as the chart renders it for `lab` (group 1, one host). */
function envIngress(namespace: string, change: (annotations: Record<string, string>, spec: Record<string, any>) => void = () => {}): KubeObject {
  const annotations = { ...ingressAnnotations(lab), 'alb.ingress.kubernetes.io/group.name': ingressGroupName('lab', 1) };
  const spec: Record<string, any> = {
    ingressClassName: 'alb',
    rules: [{ host: 'shop-ann.lab.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { name: 'http' } } } }] } }],
  };
  change(annotations, spec);
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'probe', namespace, annotations }, spec } as unknown as KubeObject;
}

const refused = async (object: KubeObject) => (await dryRunApply(cluster, [manifestOf(object)])).rejected.join('\n');

beforeAll(async () => {
  cluster = await localCluster();
  const tree = [...treeManifests(join(REPO, 'clusters', 'dev', 'apps', 'namespaces')), ...treeManifests(join(REPO, 'clusters', 'dev', 'apps', 'platform'))];
  await ensureNamespaces(cluster, [...namespacesOf(tree), 'ops-tools']);
  await applyForReal(cluster, tree);
  const [policy, binding] = ingressPolicyObjects(lab) as any[];
  policy.metadata.name = LAB_POLICY;
  binding.metadata.name = LAB_POLICY;
  binding.spec.policyName = LAB_POLICY;
  await applyForReal(cluster, [...namespaceObjects(lab, 'ann'), policy, binding].map((o) => manifestOf(o as KubeObject)));
  await eventually('both Ingress policies are enforced', async () => {
    const front = await refused(envIngress('dev-bob'));
    const groups = await refused(envIngress('dev-ann', (a) => (a['alb.ingress.kubernetes.io/group.name'] = 'devfleet-lab-platform')));
    return front.includes('ValidatingAdmissionPolicy') && groups.includes(LAB_POLICY) ? true : undefined;
  });
}, 300_000);

describe('env Ingresses on a real API server', () => {
  it('GIVEN the bundled cluster behind the front door WHEN any Ingress is applied in a developer namespace THEN it is refused, saying why; outside developer namespaces it is not', async () => {
    expect(await refused(envIngress('dev-bob'))).toContain(NO_INGRESS_MESSAGE);
    expect(await refused(envIngress('ops-tools'))).toBe('');
  });

  it('GIVEN a cluster with IngressGroups WHEN the Ingress the chart generates is applied THEN it is admitted', async () => {
    expect(await refused(envIngress('dev-ann'))).toBe('');
  });

  it('GIVEN that Ingress changed to join the platform group, use another class or the legacy annotation, drop the sign-in, widen the CIDRs, serve Headlamp\'s or Argo CD\'s webhook host, a wildcard or a default backend WHEN applied THEN each is refused', async () => {
    const changes: [string, (a: Record<string, string>, s: Record<string, any>) => void][] = [
      ['platform group', (a) => (a['alb.ingress.kubernetes.io/group.name'] = 'devfleet-lab-platform')],
      ['no group', (a) => delete a['alb.ingress.kubernetes.io/group.name']],
      ['another class', (_, s) => (s.ingressClassName = 'devfleet-platform')],
      ['legacy class annotation', (a) => (a['kubernetes.io/ingress.class'] = 'alb')],
      ['no sign-in', (a) => delete a['alb.ingress.kubernetes.io/auth-type']],
      ['sign-in off', (a) => (a['alb.ingress.kubernetes.io/auth-on-unauthenticated-request'] = 'allow')],
      ['another IdP', (a) => (a['alb.ingress.kubernetes.io/auth-type'] = 'cognito')],
      ['the internet', (a) => (a['alb.ingress.kubernetes.io/inbound-cidrs'] = '0.0.0.0/0')],
      ['Headlamp\'s host', (_, s) => (s.rules[0].host = 'headlamp.lab.example.com')],
      ['Argo CD\'s webhook host', (_, s) => (s.rules[0].host = 'argocd-webhook.lab.example.com')],
      ['a wildcard', (_, s) => (s.rules[0].host = '*.lab.example.com')],
      ['another domain', (_, s) => (s.rules[0].host = 'shop.example.org')],
      ['a default backend', (_, s) => (s.defaultBackend = { service: { name: 'shop', port: { name: 'http' } } })],
    ];
    for (const [what, change] of changes) expect(await refused(envIngress('dev-ann', change)), what).toContain(LAB_POLICY);
  });
});
