/**
 * generators/cluster/network-policy.ts: who may reach whom under the generated NetworkPolicies,
 * asked of a small evaluator of the NetworkPolicy semantics (test/helpers/network-policy.ts),
 * which is itself tested first on the cases that are easy to get wrong.
 */
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { FRONT_DOOR_NAMESPACE, INTERCEPTOR_POD_LABELS, LOAD_BALANCER_POLICY, networkPolicyObjects, NFS_PORT, TRAFFIC_MANAGER_POD_LABELS } from '../../generators/cluster/network-policy.ts';
import { bootstrapObjects } from '../../generators/cluster/argocd.ts';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { TELEPRESENCE_NAMESPACE } from '../../generators/plan/names.ts';
import { clusterTree } from '../../generators/synth/cluster-tree.ts';
import { expression, loadConfigurations, locals } from '../../generators/terraform/hcl.ts';
import { REPO, tempRoot } from '../helpers/fixtures.ts';
import { type Labels, mayConnect, type NetworkPolicy, type Pod, type World } from '../helpers/network-policy.ts';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any };

async function worldOf(root: string): Promise<{ world: World; namespaces: string[]; objects: Obj[] }> {
  const [plan] = (await loadFleet(root)).clusters;
  const objects = [...clusterTree(plan!)]
    .filter(([path]) => path.startsWith('apps/') && path.endsWith('.yaml'))
    .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS() as Obj));
  const namespaceObjects = objects.filter((o) => o.kind === 'Namespace');
  const world: World = {
    policies: objects.filter((o) => o.kind === 'NetworkPolicy') as unknown as NetworkPolicy[],
    // The platform's namespaces as Terraform creates them: no labels of their own.
    namespaces: Object.fromEntries([...namespaceObjects.map((n) => [n.metadata.name, n.metadata.labels ?? {}]), ...['kube-system', 'default', 'keda', 'ambassador', 'argocd'].map((n) => [n, {}])]),
  };
  return { world, namespaces: namespaceObjects.map((n) => n.metadata.name).sort(), objects };
}

let ip = 0;
const pod = (namespace: string, labels: Labels = {}): Pod => ({ namespace, labels, ip: `10.40.${Math.floor(++ip / 250)}.${ip % 250}` });

/**
 * The interceptor Pod's labels as the keda-add-ons-http 0.15.0 chart renders them when released as
 * Terraform installs it (`helm template http-add-on keda-add-ons-http --version 0.15.0 -n keda`,
 * read 2026-11-30; the chart archive itself is not vendored: it is not ours to commit). The
 * operator and the scaler carry the same labels but for `component`, which is how the policy tells
 * them apart.
 */
function interceptorPodLabels(): Labels {
  return {
    'app.kubernetes.io/component': 'interceptor',
    'app.kubernetes.io/name': 'http-add-on',
    'app.kubernetes.io/part-of': 'keda-add-ons-http',
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/instance': 'http-add-on',
    'app.kubernetes.io/version': '0.15.0',
    'helm.sh/chart': 'keda-add-ons-http-0.15.0',
  };
}

describe('the NetworkPolicy evaluator', () => {
  const ns = { a: {}, b: { team: 'blue' } };
  const policy = (namespace: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({ metadata: { name: 'p', namespace }, spec });

  it('GIVEN no policy, or one that selects other Pods WHEN asked THEN the Pod accepts everything (not isolated)', () => {
    expect(mayConnect({ policies: [], namespaces: ns }, pod('b'), pod('a'))).toBe(true);
    const dbOnly = policy('a', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] });
    expect(mayConnect({ policies: [dbOnly], namespaces: ns }, pod('b'), pod('a', { app: 'web' }))).toBe(true);
    expect(mayConnect({ policies: [dbOnly], namespaces: ns }, pod('b'), pod('a', { app: 'db' }))).toBe(false);
  });

  it('GIVEN namespaceSelector and podSelector in ONE peer, or in two peers WHEN asked THEN one peer means AND, two peers mean OR', () => {
    const and = policy('a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: { matchLabels: { role: 'x' } } }] }] });
    const or = policy('a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }, { podSelector: { matchLabels: { role: 'x' } } }] }] });
    expect(mayConnect({ policies: [and], namespaces: ns }, pod('b', { role: 'x' }), pod('a'))).toBe(true);
    expect(mayConnect({ policies: [and], namespaces: ns }, pod('b'), pod('a'))).toBe(false);
    expect(mayConnect({ policies: [and], namespaces: ns }, pod('a', { role: 'x' }), pod('a'))).toBe(false);
    expect(mayConnect({ policies: [or], namespaces: ns }, pod('b'), pod('a'))).toBe(true);
    // A podSelector alone means the policy's own namespace.
    expect(mayConnect({ policies: [or], namespaces: ns }, pod('a', { role: 'x' }), pod('a'))).toBe(true);
    expect(mayConnect({ policies: [or], namespaces: { a: {}, b: {} } }, pod('b', { role: 'x' }), pod('a'))).toBe(false);
  });

  it('GIVEN an ipBlock admitting the VPC CIDR WHEN a Pod of another namespace (a VPC address on EKS) connects THEN it is admitted: such a block admits every Pod', () => {
    const vpc = policy('a', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.40.0.0/16', except: ['10.40.200.0/24'] } }] }] });
    expect(mayConnect({ policies: [vpc], namespaces: ns }, { namespace: 'b', labels: {}, ip: '10.40.3.7' }, pod('a'))).toBe(true);
    expect(mayConnect({ policies: [vpc], namespaces: ns }, { namespace: 'b', labels: {}, ip: '10.40.200.7' }, pod('a'))).toBe(false);
    expect(mayConnect({ policies: [vpc], namespaces: ns }, { namespace: 'b', labels: {}, ip: '10.41.0.1' }, pod('a'))).toBe(false);
  });

  it('GIVEN rules with ports, matchExpressions and an egress policy WHEN asked THEN ports, expressions and the source side count', () => {
    const ports = policy('a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['blue'] }] } }], ports: [{ port: 5432 }, { port: 'http' }] }] });
    const world = { policies: [ports], namespaces: ns };
    expect(mayConnect(world, pod('b'), pod('a'), { port: 5432 })).toBe(true);
    expect(mayConnect(world, pod('b'), pod('a'), { port: 3306 })).toBe(false);
    expect(mayConnect(world, pod('b'), pod('a'), { port: 8080, name: 'http' })).toBe(true);
    expect(mayConnect(world, pod('b'), pod('a'), { port: 5432, protocol: 'UDP' })).toBe(false);
    const denyEgress = policy('b', { podSelector: {}, policyTypes: ['Egress'] });
    expect(mayConnect({ policies: [ports, denyEgress], namespaces: ns }, pod('b'), pod('a'), { port: 5432 })).toBe(false);
  });
});

describe('network isolation of the bundled cluster', () => {
  let world: World;
  let namespaces: string[];
  let interceptor: Pod;
  beforeAll(async () => {
    ({ world, namespaces } = await worldOf(REPO));
    interceptor = pod(FRONT_DOOR_NAMESPACE, interceptorPodLabels());
  });
  const env = (namespace: string, container = 'mysql') => pod(namespace, { 'app.kubernetes.io/name': 'my-app', 'app.kubernetes.io/instance': 'my-app', container });

  it('GIVEN every developer namespace WHEN a Pod of the same namespace connects THEN it may, on any port', () => {
    expect(namespaces).toEqual(['dev-alice', 'dev-bob', 'dev-carol', 'dev-dave', 'dev-erin']);
    for (const ns of namespaces) for (const port of [80, 3306, 5432, 6379, 27017]) expect(mayConnect(world, env(ns, 'web'), env(ns), { port }), `${ns}:${port}`).toBe(true);
  });

  it('GIVEN every ordered pair of developer namespaces WHEN a Pod of one connects to a database of the other THEN it may not', () => {
    for (const from of namespaces) for (const to of namespaces.filter((n) => n !== from)) {
      for (const port of [80, 3306, 5432, 6379, 27017]) expect(mayConnect(world, env(from), env(to), { port }), `${from} -> ${to}:${port}`).toBe(false);
    }
  });

  it('GIVEN the front door\'s interceptor Pod, labelled as the vendored add-on chart renders it WHEN it connects to any env THEN it may', () => {
    expect(interceptor.labels).toMatchObject(INTERCEPTOR_POD_LABELS);
    for (const ns of namespaces) expect(mayConnect(world, interceptor, env(ns, 'web'), { port: 8080 }), ns).toBe(true);
  });

  it('GIVEN the Telepresence traffic manager WHEN it connects to any env THEN it may', () => {
    const manager = pod(TELEPRESENCE_NAMESPACE, { app: 'traffic-manager', telepresence: 'manager', 'app.kubernetes.io/name': 'traffic-manager' });
    for (const ns of namespaces) expect(mayConnect(world, manager, env(ns), { port: 3306 }), ns).toBe(true);
  });

  it('GIVEN another Pod of the traffic manager\'s namespace (a Helm hook, a forwarder) or the manager\'s labels copied elsewhere WHEN it connects to an env THEN it may not', () => {
    for (const [who, source] of [
      ['hook Pod in ambassador', pod(TELEPRESENCE_NAMESPACE, { 'app.kubernetes.io/name': 'telepresence-oss', job: 'uninstall' })],
      ['manager labels in dev-bob', pod('dev-bob', { ...TRAFFIC_MANAGER_POD_LABELS })],
      ['manager labels in keda', pod(FRONT_DOOR_NAMESPACE, { ...TRAFFIC_MANAGER_POD_LABELS })],
    ] as const) expect(mayConnect(world, source, env('dev-alice'), { port: 3306 }), who).toBe(false);
  });

  it('GIVEN Pods that are not the interceptor (another Pod in keda, the interceptor\'s labels copied into a developer namespace or the default namespace) and any kube-system Pod WHEN they connect THEN they may not', () => {
    const outsiders: [string, Pod][] = [
      ['keda operator', pod(FRONT_DOOR_NAMESPACE, { 'app.kubernetes.io/name': 'keda-operator' })],
      ['interceptor labels in dev-bob', pod('dev-bob', interceptor.labels)],
      ['interceptor labels in default', pod('default', interceptor.labels)],
      ['kube-system Pod', pod('kube-system', { 'k8s-app': 'kube-dns' })],
      ['kube-system Pod with no labels', pod('kube-system')],
      ['argocd Pod', pod('argocd', { 'app.kubernetes.io/name': 'argocd-server' })],
    ];
    for (const [who, source] of outsiders) expect(mayConnect(world, source, env('dev-alice'), { port: 3306 }), who).toBe(false);
  });

  it('GIVEN an env Pod WHEN it resolves names with CoreDNS in kube-system, or calls HTTPS, a database or any other port but NFS THEN it may', () => {
    expect(mayConnect(world, env('dev-alice'), pod('kube-system', { 'k8s-app': 'kube-dns' }), { port: 53, protocol: 'UDP' })).toBe(true);
    expect(mayConnect(world, env('dev-alice'), pod('kube-system', { 'k8s-app': 'kube-dns' }), { port: 53 })).toBe(true);
    for (const port of [1, 443, 2048, 2050, 3306, 10249, 10251, 65535]) expect(mayConnect(world, env('dev-alice', 'web'), env('dev-alice'), { port }), String(port)).toBe(true);
    expect(mayConnect(world, env('dev-alice'), pod('kube-system'), { port: 2049, protocol: 'UDP' })).toBe(true);
  });

  it('GIVEN an EFS mount target (a VPC address on TCP 2049) WHEN a Pod of any developer namespace connects THEN it may not: volumes are mounted by the node, never by a Pod', () => {
    const mountTarget: Pod = { namespace: 'vpc (not a Pod)', labels: {}, ip: '10.0.32.10' };
    for (const ns of namespaces) {
      expect(mayConnect(world, env(ns), mountTarget, { port: NFS_PORT }), ns).toBe(false);
      expect(mayConnect(world, env(ns), mountTarget, { port: 443 }), ns).toBe(true);
    }
  });

  it('GIVEN every generated policy WHEN scanned THEN none admits an ipBlock (on EKS a CIDR covering the VPC admits every Pod)', () => {
    expect(world.policies.length).toBe(3 * namespaces.length);
    expect(JSON.stringify(world.policies)).not.toContain('ipBlock');
  });
});

describe('network isolation of a definition set the generators were not written against', () => {
  it('GIVEN another prefix, long developer names and per-env IngressGroups WHEN synthesised THEN no developer namespace admits another\'s Pods, and the interceptor still gets in', async () => {
    const developers = ['x', 'a-long-dev-name-2020', 'team-b', 'zz9'].map((name) => ({ name }));
    const root = tempRoot({
      'clusters/lab.yaml': stringify({ name: 'lab', domain: 'lab.example.org', timeZone: 'UTC', namespacePrefix: 'sandbox-', developers, argocd: { repoURL: 'https://git.example.org/f.git' }, ingress: { mode: 'ingress-groups' } }),
      'projects/db.yaml': stringify({ name: 'db', containers: [{ name: 'pg', image: 'postgres:17', ports: [{ name: 'pg', port: 5432 }] }] }),
    });
    const { world, namespaces } = await worldOf(root);
    expect(namespaces).toEqual(['sandbox-a-long-dev-name-2020', 'sandbox-team-b', 'sandbox-x', 'sandbox-zz9']);
    const interceptor = pod(FRONT_DOOR_NAMESPACE, INTERCEPTOR_POD_LABELS);
    for (const to of namespaces) {
      expect(mayConnect(world, interceptor, pod(to), { port: 5432 })).toBe(true);
      for (const from of namespaces) expect(mayConnect(world, pod(from), pod(to), { port: 5432 }), `${from} -> ${to}`).toBe(from === to);
    }
  });
});

describe('per-env load balancers (ingress.mode: ingress-groups) and the load-balancer subnets', () => {
  // Node subnets 10.40.0.0/20 and 10.40.16.0/20 hold every Pod (the VPC CNI gives Pods VPC
  // addresses); the load balancers' own subnets are 10.40.52.0/24 (internal) and 10.40.48.0/24 (public).
  const LB_CIDRS = ['10.40.48.0/20'];
  const alb = (ip: string): Pod => ({ namespace: '(an ALB ENI, not a Pod)', labels: {}, ip });
  const at = (namespace: string, ip: string, labels: Labels = {}): Pod => ({ namespace, labels, ip });
  const project = { name: 'web', containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', port: 8080 }, { name: 'debug', port: 9229 }] }, { name: 'db', image: 'postgres:17', ports: [{ name: 'pg', port: 5432 }] }], routes: [{ host: 'web.example.org', port: 'http' }] };
  const fleetOf = (ingress: Record<string, unknown>) =>
    tempRoot({
      'clusters/lab.yaml': stringify({ name: 'lab', domain: 'lab.example.org', timeZone: 'UTC', developers: [{ name: 'ann' }, { name: 'bob' }], argocd: { repoURL: 'https://git.example.org/f.git' }, network: { loadBalancerCidrs: LB_CIDRS }, ingress }),
      'projects/web.yaml': stringify(project),
    });

  it('GIVEN ingress-groups WHEN an ALB in the load-balancer subnets sends a request or a health check to an env\'s routed port THEN it may', async () => {
    const { world } = await worldOf(fleetOf({ mode: 'ingress-groups' }));
    for (const ns of ['dev-ann', 'dev-bob']) {
      for (const ip of ['10.40.52.10', '10.40.48.77', '10.40.63.254']) expect(mayConnect(world, alb(ip), at(ns, '10.40.3.9'), { port: 8080, name: 'http' }), `${ip} -> ${ns}`).toBe(true);
    }
  });

  it('GIVEN ingress-groups WHEN the load-balancer subnets connect to a port no route names (debug, database) THEN they may not', async () => {
    const { world } = await worldOf(fleetOf({ mode: 'ingress-groups' }));
    for (const port of [9229, 5432, 22]) expect(mayConnect(world, alb('10.40.52.10'), at('dev-ann', '10.40.3.9'), { port }), String(port)).toBe(false);
  });

  it('GIVEN ingress-groups WHEN a Pod outside the load-balancer subnets (another developer\'s env, kube-system, an address next to the range) connects to the routed port THEN it may not', async () => {
    const { world } = await worldOf(fleetOf({ mode: 'ingress-groups' }));
    const outsiders: [string, Pod][] = [
      ['env Pod in dev-bob', at('dev-bob', '10.40.17.4', { 'app.kubernetes.io/name': 'web' })],
      ['kube-system Pod', at('kube-system', '10.40.1.2', { 'k8s-app': 'kube-dns' })],
      ['address just below the range', at('default', '10.40.47.255')],
      ['address just above the range', at('default', '10.40.64.0')],
    ];
    for (const [who, source] of outsiders) expect(mayConnect(world, source, at('dev-ann', '10.40.3.9'), { port: 8080, name: 'http' }), who).toBe(false);
  });

  it('GIVEN the front door (the default mode) WHEN the load-balancer subnets connect to an env directly THEN they may not: only the interceptor reaches envs, and no policy carries an ipBlock', async () => {
    const { world } = await worldOf(fleetOf({}));
    expect(mayConnect(world, alb('10.40.52.10'), at('dev-ann', '10.40.3.9'), { port: 8080, name: 'http' })).toBe(false);
    expect(JSON.stringify(world.policies)).not.toContain('ipBlock');
  });

  it('GIVEN ingress-groups WHEN the policies are generated THEN the load-balancer policy admits exactly the definition\'s ranges on the routed container ports', () => {
    const cluster = clusterModel('clusters/lab.yaml', { name: 'lab', domain: 'lab.example.org', timeZone: 'UTC', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.org/f.git' }, network: { loadBalancerCidrs: ['10.40.48.0/20', '10.40.240.0/24'] }, ingress: { mode: 'ingress-groups' } });
    const objects = networkPolicyObjects(cluster, 'ann', [{ project: projectModel('projects/web.yaml', project as any) } as any]) as Obj[];
    expect(objects.map((o) => o.metadata.name)).toEqual(['devfleet-default-deny-ingress', 'devfleet-allow-ingress', 'devfleet-egress', LOAD_BALANCER_POLICY]);
    expect(objects[3]!.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.40.48.0/20' } }, { ipBlock: { cidr: '10.40.240.0/24' } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
  });
});

describe('the names the policies rely on', () => {
  it('GIVEN terraform/modules/platform WHEN its keda namespace is read THEN it is the namespace the policies admit the interceptor from', async () => {
    const platform = (await loadConfigurations(join(REPO, 'terraform'))).find((c) => c.dir === 'modules/platform')!;
    expect(expression(locals(platform).get('keda_namespace'))).toBe(FRONT_DOOR_NAMESPACE);
  });

  it('GIVEN terraform/modules/platform WHEN the traffic manager\'s Pod labels are read THEN they are the labels the policies admit the manager by', async () => {
    const platform = (await loadConfigurations(join(REPO, 'terraform'))).find((c) => c.dir === 'modules/platform')!;
    expect(locals(platform).get('traffic_manager_pod_labels')).toEqual(TRAFFIC_MANAGER_POD_LABELS);
  });

  it('GIVEN a developer WHEN the policies are generated THEN there is a default deny, one allow policy and the egress policy without NFS, all synced before the envs', () => {
    const cluster = clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.com/f.git' } });
    const [deny, allow, egress] = networkPolicyObjects(cluster, 'ann') as Obj[];
    expect(egress).toMatchObject({ kind: 'NetworkPolicy', metadata: { name: 'devfleet-egress', namespace: 'dev-ann', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } }, spec: { podSelector: {}, policyTypes: ['Egress'] } });
    expect(egress!.spec.egress).toEqual([{ ports: [
      { protocol: 'TCP', port: 1, endPort: 2048 },
      { protocol: 'TCP', port: 2050, endPort: 10249 },
      { protocol: 'TCP', port: 10251, endPort: 65535 },
      { protocol: 'UDP', port: 1, endPort: 65535 },
      { protocol: 'SCTP', port: 1, endPort: 65535 },
    ] }]);
    expect(deny).toMatchObject({ kind: 'NetworkPolicy', metadata: { name: 'devfleet-default-deny-ingress', namespace: 'dev-ann', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    expect(deny!.spec.ingress).toBeUndefined();
    expect(allow!.spec.ingress).toEqual([
      { from: [{ podSelector: {} }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } }, podSelector: { matchLabels: { 'app.kubernetes.io/component': 'interceptor', 'app.kubernetes.io/name': 'http-add-on' } } }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ambassador' } }, podSelector: { matchLabels: { app: 'traffic-manager', telepresence: 'manager' } } }] },
    ]);
    const platform = bootstrapObjects(cluster)[0] as Obj;
    expect(platform.spec.namespaceResourceWhitelist).toContainEqual({ group: 'networking.k8s.io', kind: 'NetworkPolicy' });
  });
});
