/**
 * terraform/modules/platform/platform-network-policy.tf: who may reach Argo CD, External Secrets
 * and Headlamp, asked of the NetworkPolicy evaluator the developer namespaces are tested with
 * (test/helpers/network-policy.ts), with these policies exactly as Terraform evaluates them and
 * the bundled cluster's generated developer-namespace policies next to them (a connection needs
 * the source's egress and the destination's ingress). An env Pod reaches none of them directly.
 */
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_PORT } from '../../generators/cluster/network-policy.ts';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { clusterTree } from '../../generators/synth/cluster-tree.ts';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { REPO } from '../helpers/fixtures.ts';
import { mayConnect, type NetworkPolicy, type Pod, type World } from '../helpers/network-policy.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { GENERATED_KEYS, TERRAFORM } from '../helpers/terraform-fixtures.ts';

const LB_CIDRS = ['10.40.48.0/20'];
let world: World;
let platformPolicies: NetworkPolicy[];
beforeAll(async () => {
  const platform: Configuration = (await loadConfigurations(TERRAFORM)).find((c) => c.dir === 'modules/platform')!;
  const result = evaluate(platform, {
    variables: ['names', 'keys', 'load_balancer_cidrs'],
    locals: [
      'external_secrets_namespace', 'external_secrets_webhook_port', 'headlamp_namespace', 'argocd_pods', 'external_secrets_webhook_pods', 'headlamp_pods',
      'argocd_redis_port', 'argocd_repo_server_port', 'headlamp_port', 'platform_network_policy_labels', 'argocd_peers', 'platform_network_policies',
    ],
    values: {
      load_balancer_cidrs: LB_CIDRS,
      keys: GENERATED_KEYS,
      names: { ingress_class: 'alb', storage_class: 'efs', argocd_namespace: 'argocd', namespace_prefix: 'dev-', developers_group: 'devfleet:developers', telepresence_namespace: 'ambassador', root_app_path: 'clusters/dev/bootstrap/root.yaml', alb_oidc_secret: 'devfleet-alb-oidc', platform_secret_store: 'devfleet-platform-secrets' },
    },
  });
  if (result.code !== 0) throw new Error(result.log);
  platformPolicies = result.outputs.platform_network_policies as NetworkPolicy[];
  const [plan] = (await loadFleet(REPO)).clusters;
  const generated = [...clusterTree(plan!)]
    .filter(([path]) => path.startsWith('apps/namespaces/'))
    .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS() as { kind: string }))
    .filter((o) => o.kind === 'NetworkPolicy') as unknown as NetworkPolicy[];
  world = { policies: [...platformPolicies, ...generated], namespaces: {} };
}, 180_000);

// Node subnets 10.40.0.0/20 .. 10.40.32.0/20 hold every Pod (and the control plane's ENIs); the load balancers' range is 10.40.48.0/20.
const at = (namespace: string, ip: string, labels: Record<string, string> = {}): Pod => ({ namespace, labels, ip });
const argocd = (component: string, ip: string) => at('argocd', ip, { 'app.kubernetes.io/name': `argocd-${component}`, 'app.kubernetes.io/instance': 'argocd', 'app.kubernetes.io/part-of': 'argocd', 'app.kubernetes.io/component': component });
const redis = argocd('redis', '10.40.2.10');
const repoServer = argocd('repo-server', '10.40.2.11');
const server = argocd('server', '10.40.2.12');
const controller = argocd('application-controller', '10.40.2.13');
const appSet = argocd('applicationset-controller', '10.40.2.14');
const webhook = at('external-secrets', '10.40.3.10', { 'app.kubernetes.io/name': 'external-secrets-webhook', 'app.kubernetes.io/instance': 'external-secrets' });
const esoController = at('external-secrets', '10.40.3.11', { 'app.kubernetes.io/name': 'external-secrets', 'app.kubernetes.io/instance': 'external-secrets' });
const headlamp = at('headlamp', '10.40.4.10', { 'app.kubernetes.io/name': 'headlamp', 'app.kubernetes.io/instance': 'headlamp' });
/** The EKS control plane's ENI in a node subnet (not a Pod: no policy of its own). */
const apiServer = at('(control plane ENI)', '10.40.1.200');
const alb = (ip: string) => at('(an ALB ENI, not a Pod)', ip);

/** Env Pods of every developer namespace of the bundled cluster, one carrying an Argo CD component's labels. */
const envPods: [string, Pod][] = [
  ['an env Pod in dev-alice', at('dev-alice', '10.40.17.9', { 'app.kubernetes.io/name': 'shop' })],
  ['an env Pod in dev-bob with argocd-server\'s labels', at('dev-bob', '10.40.33.2', server.labels)],
  ['an env Pod in dev-erin', at('dev-erin', '10.40.20.2', { 'app.kubernetes.io/name': 'notes-api' })],
];

describe('Argo CD', () => {
  it('GIVEN an env Pod of any developer namespace WHEN it connects to argocd-redis, the repo-server, argocd-server or the application controller, on any port THEN it may not', () => {
    for (const [who, source] of envPods) {
      for (const [target, port] of [[redis, 6379], [repoServer, 8081], [server, 8080], [server, 8083], [controller, 8082], [redis, 80]] as const) {
        expect(mayConnect(world, source, target, { port }), `${who} -> ${target.labels['app.kubernetes.io/name']}:${port}`).toBe(false);
      }
    }
  });

  it('GIVEN Argo CD\'s own components WHEN they call Redis and the repo-server THEN they may; the repo-server may not call the controller', () => {
    for (const caller of [server, controller, repoServer]) expect(mayConnect(world, caller, redis, { port: 6379 }), caller.labels['app.kubernetes.io/name']).toBe(true);
    for (const caller of [server, controller, appSet]) expect(mayConnect(world, caller, repoServer, { port: 8081 }), caller.labels['app.kubernetes.io/name']).toBe(true);
    expect(mayConnect(world, appSet, redis, { port: 6379 })).toBe(false);
    expect(mayConnect(world, repoServer, controller, { port: 8082 })).toBe(false);
    expect(mayConnect(world, at('kube-system', '10.40.1.5', { 'k8s-app': 'kube-dns' }), redis, { port: 6379 })).toBe(false);
  });
});

describe('the External Secrets webhook', () => {
  it('GIVEN the API server (from a node-subnet ENI) WHEN it sends an admission review THEN it may', () => {
    expect(mayConnect(world, apiServer, webhook, { port: WEBHOOK_PORT })).toBe(true);
  });

  it('GIVEN an env Pod WHEN it connects to the webhook or the ESO controller THEN it may not (its own egress policy keeps it off the webhook port)', () => {
    for (const [who, source] of envPods) {
      expect(mayConnect(world, source, webhook, { port: WEBHOOK_PORT }), who).toBe(false);
      expect(mayConnect(world, source, esoController, { port: 8080 }), who).toBe(false);
    }
  });
});

describe('Headlamp', () => {
  it('GIVEN an ALB in the load balancers\' subnets WHEN it forwards a request THEN it may; an env Pod, a platform Pod or an address next to the range may not', () => {
    expect(mayConnect(world, alb('10.40.52.10'), headlamp, { port: 4466 })).toBe(true);
    for (const [who, source] of [...envPods, ['argocd-server', server], ['just below the range', at('default', '10.40.47.255')]] as [string, Pod][]) {
      expect(mayConnect(world, source, headlamp, { port: 4466 }), who).toBe(false);
    }
  });
});

describe('the policies', () => {
  it('GIVEN the platform\'s policies WHEN listed THEN each namespace has a default deny and the named ones', () => {
    expect(platformPolicies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'argocd/devfleet-default-deny-ingress', 'argocd/devfleet-argocd-redis', 'argocd/devfleet-argocd-repo-server',
      'external-secrets/devfleet-default-deny-ingress', 'external-secrets/devfleet-external-secrets-webhook',
      'headlamp/devfleet-default-deny-ingress', 'headlamp/devfleet-headlamp',
    ]);
  });
});
