/**
 * terraform/modules/platform/front-door-network-policy.tf: who may reach KEDA and the KEDA HTTP
 * add-on, asked of the NetworkPolicy evaluator the developer namespaces are tested with
 * (test/helpers/network-policy.ts), with the policies exactly as Terraform evaluates them. The
 * interceptor forwards to whichever env the Host header names: only the load balancers' own
 * subnets (var.load_balancer_cidrs) may reach its proxy port, never a Pod.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { blocks, loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { INTERCEPTOR_POD_LABELS } from '../../generators/cluster/network-policy.ts';
import { kubeSchemaErrors, metadataErrors, type KubeObject } from '../helpers/kube-schemas.ts';
import { mayConnect, type NetworkPolicy, type Pod, type World } from '../helpers/network-policy.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { body, GENERATED_KEYS, TERRAFORM } from '../helpers/terraform-fixtures.ts';

let platform: Configuration;
let policies: NetworkPolicy[];
let world: World;
const LB_CIDRS = ['10.40.48.0/20'];
beforeAll(async () => {
  platform = (await loadConfigurations(TERRAFORM)).find((c) => c.dir === 'modules/platform')!;
  const result = evaluate(platform, {
    variables: ['keys', 'load_balancer_cidrs'],
    locals: ['keda_namespace', 'interceptor_proxy_port', 'interceptor_admin_port', 'http_scaler_port', 'keda_pods', 'keda_operator_grpc_port', 'keda_metrics_apiserver_port', 'keda_webhooks_port', 'keda_network_policy_labels', 'keda_load_balancer_peers', 'keda_ports', 'keda_network_policies'],
    values: { keys: GENERATED_KEYS, load_balancer_cidrs: LB_CIDRS },
  });
  if (result.code !== 0) throw new Error(result.log);
  policies = result.outputs.keda_network_policies as NetworkPolicy[];
  world = { policies, namespaces: { keda: {}, 'dev-alice': {}, 'dev-bob': {}, 'kube-system': {}, argocd: {} } };
}, 180_000);

// Node subnets 10.40.0.0/20 .. 10.40.32.0/20 hold every Pod; the load balancers' range is 10.40.48.0/20.
const at = (namespace: string, ip: string, labels: Record<string, string> = {}): Pod => ({ namespace, labels, ip });
const interceptor = at('keda', '10.40.1.10', { ...INTERCEPTOR_POD_LABELS, 'app.kubernetes.io/part-of': 'keda-add-ons-http', 'app.kubernetes.io/instance': 'http-add-on' });
const scaler = at('keda', '10.40.1.11', { 'app.kubernetes.io/component': 'scaler', 'app.kubernetes.io/name': 'http-add-on', 'app.kubernetes.io/instance': 'http-add-on' });
const addOnOperator = at('keda', '10.40.1.12', { 'app.kubernetes.io/component': 'operator', 'app.kubernetes.io/name': 'http-add-on' });
const kedaOperator = at('keda', '10.40.1.13', { app: 'keda-operator', name: 'keda-operator', 'app.kubernetes.io/name': 'keda-operator' });
const metricsApiserver = at('keda', '10.40.1.14', { app: 'keda-operator-metrics-apiserver', 'app.kubernetes.io/name': 'keda-operator-metrics-apiserver' });
const webhooks = at('keda', '10.40.1.15', { app: 'keda-admission-webhooks', name: 'keda-admission-webhooks', 'app.kubernetes.io/name': 'keda-admission-webhooks' });
const alb = (ip: string): Pod => at('(an ALB ENI, not a Pod)', ip);
/** Pods (and addresses) that are not load balancers, everywhere in the cluster and next to the range. */
const outsiders: [string, Pod][] = [
  ['an env Pod in dev-alice', at('dev-alice', '10.40.17.9', { 'app.kubernetes.io/name': 'shop' })],
  ['an env Pod in dev-bob carrying the interceptor\'s labels', at('dev-bob', '10.40.33.2', INTERCEPTOR_POD_LABELS)],
  ['a kube-system Pod', at('kube-system', '10.40.2.2', { 'k8s-app': 'kube-dns' })],
  ['an Argo CD Pod', at('argocd', '10.40.5.5', { 'app.kubernetes.io/name': 'argocd-repo-server' })],
  ['the add-on\'s scaler', scaler],
  ['the KEDA operator', kedaOperator],
  ['an address just below the range', at('default', '10.40.47.255')],
  ['an address just above the range', at('default', '10.40.64.0')],
];

describe('the interceptor\'s proxy port (8080)', () => {
  it('GIVEN a Pod anywhere in the cluster, or any address outside the load balancers\' subnets WHEN it connects to the proxy THEN it may not (no curl -H "Host: <another env>" around the isolation)', () => {
    for (const [who, source] of outsiders) expect(mayConnect(world, source, interceptor, { port: 8080 }), who).toBe(false);
  });

  it('GIVEN an ALB in the load balancers\' subnets (internal or public) WHEN it forwards a request THEN it may', () => {
    for (const ip of ['10.40.52.10', '10.40.53.200', '10.40.48.7', '10.40.63.254']) expect(mayConnect(world, alb(ip), interceptor, { port: 8080 }), ip).toBe(true);
  });
});

describe('the interceptor\'s admin port (9090)', () => {
  it('GIVEN the ALB\'s health check (from its own ENIs, in the same subnets) WHEN it asks /readyz THEN it may', () => {
    expect(mayConnect(world, alb('10.40.52.10'), interceptor, { port: 9090 })).toBe(true);
  });

  it('GIVEN the add-on\'s scaler WHEN it polls the queue counts THEN it may; on the proxy port it may not', () => {
    expect(mayConnect(world, scaler, interceptor, { port: 9090 })).toBe(true);
    expect(mayConnect(world, scaler, interceptor, { port: 8080 })).toBe(false);
  });

  it('GIVEN any other Pod WHEN it connects to the admin or metrics port THEN it may not', () => {
    for (const [who, source] of outsiders.filter(([, p]) => p !== scaler)) expect(mayConnect(world, source, interceptor, { port: 9090 }), who).toBe(false);
    expect(mayConnect(world, alb('10.40.52.10'), interceptor, { port: 2223 })).toBe(false);
  });
});

describe('the rest of the keda namespace', () => {
  it('GIVEN the add-on\'s scaler (gRPC 9090) WHEN the KEDA operator calls it THEN it may; the interceptor, an env Pod or a load balancer may not', () => {
    expect(mayConnect(world, kedaOperator, scaler, { port: 9090 })).toBe(true);
    for (const source of [interceptor, at('dev-alice', '10.40.17.9'), alb('10.40.52.10'), metricsApiserver]) expect(mayConnect(world, source, scaler, { port: 9090 })).toBe(false);
  });

  it('GIVEN the KEDA operator (gRPC 9666) WHEN KEDA\'s metrics API server calls it THEN it may; nobody else, on no other port', () => {
    expect(mayConnect(world, metricsApiserver, kedaOperator, { port: 9666 })).toBe(true);
    for (const source of [interceptor, scaler, at('dev-alice', '10.40.17.9')]) expect(mayConnect(world, source, kedaOperator, { port: 9666 })).toBe(false);
    expect(mayConnect(world, metricsApiserver, kedaOperator, { port: 8080 })).toBe(false);
  });

  it('GIVEN the metrics API server (6443) and the admission webhooks (9443) WHEN the API server calls them (from the node subnets) THEN it may, on those ports only', () => {
    const apiServer = at('(EKS control plane ENI)', '10.40.0.77');
    expect(mayConnect(world, apiServer, metricsApiserver, { port: 6443 })).toBe(true);
    expect(mayConnect(world, apiServer, webhooks, { port: 9443 })).toBe(true);
    expect(mayConnect(world, apiServer, metricsApiserver, { port: 8080 })).toBe(false);
    expect(mayConnect(world, apiServer, webhooks, { port: 8080 })).toBe(false);
  });

  it('GIVEN the add-on\'s operator WHEN anything connects THEN it may not (it serves only probes, which come from the node)', () => {
    for (const source of [interceptor, scaler, kedaOperator, alb('10.40.52.10')]) for (const port of [8080, 8081, 8443]) expect(mayConnect(world, source, addOnOperator, { port })).toBe(false);
  });
});

describe('the policies Terraform installs', () => {
  it('GIVEN the evaluated policies WHEN checked against the Kubernetes schema THEN each is a valid NetworkPolicy with valid names and labels', () => {
    for (const p of policies) expect([...kubeSchemaErrors(p as unknown as KubeObject), ...metadataErrors(p as unknown as KubeObject)], p.metadata.name).toEqual([]);
  });

  it('GIVEN the evaluated policies WHEN read THEN the interceptor admits exactly the load balancers\' ranges (proxy and health check) and the scaler (admin), and a default deny covers every Pod of keda', () => {
    expect(policies.map((p) => p.metadata.name)).toEqual([
      'devfleet-default-deny-ingress',
      'devfleet-interceptor',
      'devfleet-http-scaler',
      'devfleet-keda-operator',
      'devfleet-keda-metrics-apiserver',
      'devfleet-keda-admission-webhooks',
    ]);
    expect(policies.every((p) => p.metadata.namespace === 'keda' && (p.spec.policyTypes ?? []).join() === 'Ingress')).toBe(true);
    expect(policies[0]!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(policies[1]!.spec).toEqual({
      podSelector: { matchLabels: { ...INTERCEPTOR_POD_LABELS } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ ipBlock: { cidr: '10.40.48.0/20' } }], ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }] },
        { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'scaler', 'app.kubernetes.io/name': 'http-add-on' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
      ],
    });
  });

  it('GIVEN module platform WHEN its resources are read THEN one kubectl_manifest per policy is applied with the front door, after KEDA and before the front-door Ingress', () => {
    const manifests = body(platform.files.get('front-door-network-policy.tf')!, 'resource', 'kubectl_manifest', 'keda_network_policies');
    expect(manifests.for_each).toContain('local.keda_network_policies');
    expect(manifests.for_each).toContain('var.front_door.enabled');
    expect(manifests.depends_on).toEqual(['${helm_release.keda}']);
    const ingress = blocks(platform, 'resource', 2).find((b) => b.labels.join('.') === 'kubernetes_ingress_v1.front_door')!;
    expect(ingress.body.depends_on).toContain('${kubectl_manifest.keda_network_policies}');
  });
});
