/**
 * terraform/modules/platform/telepresence-network-policy.tf: who may reach the Telepresence
 * traffic manager, which dials cluster addresses for its clients' tunnels. Evaluated as Terraform
 * computes the policies, with the NetworkPolicy evaluator the developer namespaces are tested with.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ALB_OIDC_SECRET, PLATFORM_SECRET_STORE_NAME } from '../../generators/plan/secret-store.ts';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { kubeSchemaErrors, metadataErrors, type KubeObject } from '../helpers/kube-schemas.ts';
import { mayConnect, type NetworkPolicy, type Pod, type World } from '../helpers/network-policy.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { GENERATED_KEYS, TERRAFORM } from '../helpers/terraform-fixtures.ts';

let policies: NetworkPolicy[];
let world: World;
beforeAll(async () => {
  const platform: Configuration = (await loadConfigurations(TERRAFORM)).find((c) => c.dir === 'modules/platform')!;
  const developers = {
    alice: { kubernetes_user: 'devfleet:developer:alice', namespace: 'dev-alice' },
    bob: { kubernetes_user: 'devfleet:developer:bob', namespace: 'dev-bob' },
  };
  const names = { ingress_class: 'alb', storage_class: 'efs', argocd_namespace: 'argocd', namespace_prefix: 'dev-', developers_group: 'devfleet:developers', telepresence_namespace: 'ambassador', root_app_path: 'clusters/dev/bootstrap/root.yaml', alb_oidc_secret: ALB_OIDC_SECRET, platform_secret_store: PLATFORM_SECRET_STORE_NAME };
  const result = evaluate(platform, {
    variables: ['names', 'keys', 'developers'],
    withoutValidation: ['developers'],
    locals: ['traffic_manager_pod_labels', 'traffic_manager_api_port', 'traffic_manager_injector_port', 'telepresence_network_policies'],
    values: { names, keys: GENERATED_KEYS, developers },
  });
  if (result.code !== 0) throw new Error(result.log);
  policies = result.outputs.telepresence_network_policies as NetworkPolicy[];
  world = { policies, namespaces: { ambassador: {}, 'dev-alice': {}, 'dev-bob': {}, keda: {}, argocd: {}, 'kube-system': {}, 'dev-mallory': {} } };
}, 180_000);

const at = (namespace: string, ip: string, labels: Record<string, string> = {}): Pod => ({ namespace, labels, ip });
const manager = at('ambassador', '10.40.2.20', { app: 'traffic-manager', telepresence: 'manager' });

describe('the traffic manager\'s API port (8081)', () => {
  it('GIVEN a traffic agent in a developer namespace WHEN it arrives THEN it may connect', () => {
    for (const ns of ['dev-alice', 'dev-bob']) expect(mayConnect(world, at(ns, '10.40.17.3', { app: 'shop' }), manager, { port: 8081 }), ns).toBe(true);
  });

  it('GIVEN a Pod of a platform namespace, a namespace that is not a developer\'s, or a load balancer WHEN it connects THEN it may not', () => {
    const outsiders: [string, Pod][] = [
      ['keda interceptor', at('keda', '10.40.1.10', { 'app.kubernetes.io/component': 'interceptor', 'app.kubernetes.io/name': 'http-add-on' })],
      ['argocd repo-server', at('argocd', '10.40.1.30', { 'app.kubernetes.io/name': 'argocd-repo-server' })],
      ['kube-system Pod', at('kube-system', '10.40.1.2')],
      ['a namespace named like a developer\'s but not one', at('dev-mallory', '10.40.17.4')],
      ['an ALB', at('(an ALB ENI)', '10.40.52.10')],
    ];
    for (const [who, source] of outsiders) expect(mayConnect(world, source, manager, { port: 8081 }), who).toBe(false);
  });

  it('GIVEN a developer namespace WHEN it connects to another port of the manager (the x509 listener, metrics) THEN it may not', () => {
    for (const port of [8083, 9900, 80]) expect(mayConnect(world, at('dev-alice', '10.40.17.3'), manager, { port }), String(port)).toBe(false);
  });
});

describe('the agent injector\'s webhook port (8443)', () => {
  it('GIVEN the API server (EKS control-plane ENIs in the node subnets) WHEN it calls the webhook THEN it may', () => {
    expect(mayConnect(world, at('(EKS control plane ENI)', '10.40.0.77'), manager, { port: 8443 })).toBe(true);
  });
});

describe('the policies Terraform installs', () => {
  it('GIVEN the evaluated policies WHEN checked against the Kubernetes schema THEN each is a valid NetworkPolicy with valid names and labels', () => {
    for (const p of policies) expect([...kubeSchemaErrors(p as unknown as KubeObject), ...metadataErrors(p as unknown as KubeObject)], p.metadata.name).toEqual([]);
  });

  it('GIVEN the evaluated policies WHEN read THEN a default deny covers the namespace and the manager admits exactly the developer namespaces on its API port', () => {
    expect(policies.map((p) => [p.metadata.name, p.metadata.namespace])).toEqual([['devfleet-default-deny-ingress', 'ambassador'], ['devfleet-traffic-manager', 'ambassador']]);
    expect(policies[1]!.spec.ingress![0]).toEqual({
      from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['dev-alice', 'dev-bob'] }] } }],
      ports: [{ protocol: 'TCP', port: 8081 }],
    });
  });
});
