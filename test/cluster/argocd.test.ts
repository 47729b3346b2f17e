import { describe, expect, it } from 'vitest';
import { bootstrapObjects, envAppProject, envApplication } from '../../generators/cluster/argocd.ts';
import { refreshedByWebhook } from '../../scripts/cluster-sync.ts';
import { namespaceObjects } from '../../generators/cluster/namespaces.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';

const definition = {
  name: 'dev',
  domain: 'dev.example.com',
  timeZone: 'Asia/Tokyo',
  developers: [{ name: 'alice' }, { name: 'bob' }],
  argocd: { repoURL: 'https://git.example.com/fleet.git', targetRevision: 'release' },
  quota: { cpu: '4', memory: '8Gi' },
};
const cluster = clusterModel('clusters/dev.yaml', definition);
const project = projectModel('projects/web.yaml', {
  name: 'web',
  containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] }],
  routes: [{ host: 'web', port: 'http', path: '/app' }],
  developers: ['alice'],
});
const plan = planFleet([cluster], [project]).clusters[0]!;
const perEnvIngresses = planFleet([clusterModel('clusters/dev.yaml', { ...definition, ingress: { mode: 'ingress-groups' } })], [project]).clusters[0]!;

describe('env Application', () => {
  it('GIVEN the env alice/web behind the front door WHEN generated THEN it is exactly the documented Application: KEDA\'s values, and Argo CD ignores replicas and the force-activation annotation', () => {
    expect(envApplication(plan.envs[0]!)).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'web--alice',
        namespace: 'argocd',
        labels: {
          'app.kubernetes.io/part-of': 'devfleet',
          'app.kubernetes.io/managed-by': 'devfleet',
          'devfleet.dev/cluster': 'dev',
          'app.kubernetes.io/name': 'web',
          'app.kubernetes.io/instance': 'web--alice',
          'devfleet.dev/project': 'web',
          'devfleet.dev/developer': 'alice',
        },
        // Only a commit that changes the chart folder renders this env again.
        annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'devfleet-dev',
        source: {
          repoURL: 'https://git.example.com/fleet.git',
          targetRevision: 'release',
          path: 'clusters/dev/charts/web',
          helm: {
            releaseName: 'web',
            valuesObject: {
              developer: 'alice',
              schedule: { sleep: '2200-daily', wake: 'never' },
              hosts: { web: 'web--alice.dev.example.com' },
              scaling: { minReplicas: 0, idleSeconds: 3600, wakeStart: '0 0 1 1 *', wakeEnd: '0 0 31 2 *' },
            },
          },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'dev-alice' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['RespectIgnoreDifferences=true', 'Validate=false'],
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        },
        ignoreDifferences: [
          { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
          { group: 'keda.sh', kind: 'ScaledObject', jsonPointers: ['/metadata/annotations/autoscaling.keda.sh~1force-activation'] },
        ],
        info: [{ name: 'URL', value: 'https://web--alice.dev.example.com/app' }],
      },
    });
  });

  it('GIVEN the same env with per-env Ingresses WHEN generated THEN its values name its IngressGroup and Argo CD ignores only the replicas', () => {
    const spec = (envApplication(perEnvIngresses.envs[0]!) as { spec: Record<string, any> }).spec;
    expect(spec.source.helm.valuesObject).toEqual({ developer: 'alice', schedule: { sleep: '2200-daily', wake: 'never' }, ingressGroup: 'devfleet-dev-0', hosts: { web: 'web--alice.dev.example.com' } });
    expect(spec.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]);
  });
});

describe('env Applications on shards', () => {
  const sharded = planFleet([clusterModel('clusters/dev.yaml', { ...definition, developers: [{ name: 'alice' }, { name: 'bob' }, { name: 'dave' }], argocd: { ...definition.argocd, shards: 2 } })], [{ ...project, developers: 'all' as const }]).clusters[0]!;
  const destinationOf = (developer: string) => (envApplication(sharded.envs.find((e) => e.developer === developer)!, 2) as { spec: { destination: unknown } }).spec.destination;

  it('GIVEN 2 shards WHEN the envs are generated THEN shard 0 (bob) keeps the in-cluster destination, shard 1 (alice, dave) names the cluster dev-shard-1, each in its own namespace', () => {
    expect(destinationOf('bob')).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'dev-bob' });
    expect(destinationOf('alice')).toEqual({ name: 'dev-shard-1', namespace: 'dev-alice' });
    expect(destinationOf('dave')).toEqual({ name: 'dev-shard-1', namespace: 'dev-dave' });
  });

  it('GIVEN 2 shards WHEN the env AppProject is generated THEN it allows the developer namespaces in-cluster and on dev-shard-1', () => {
    expect((envAppProject(sharded) as { spec: { destinations: unknown } }).spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'dev-*' },
      { name: 'dev-shard-1', namespace: 'dev-*' },
    ]);
  });
});

describe('AppProjects and bootstrap', () => {
  it('GIVEN the plan WHEN the env AppProject is generated THEN it allows only this repo, the developer namespaces (by prefix, so the envs of a developer who leaves can still be deleted) and no cluster-scoped kinds', () => {
    const spec = (envAppProject(plan) as { spec: Record<string, unknown> }).spec;
    expect(spec.sourceRepos).toEqual(['https://git.example.com/fleet.git']);
    expect(spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'dev-*' }]);
    expect(spec.clusterResourceWhitelist).toEqual([]);
    expect(plan.cluster.ingress.mode).toBe('front-door');
    // Behind the front door no Ingress: one that reached Git would not be synced.
    expect((spec.namespaceResourceWhitelist as { kind: string }[]).map((k) => k.kind).sort()).toEqual(['Deployment', 'ExternalSecret', 'InterceptorRoute', 'Password', 'PersistentVolumeClaim', 'ScaledObject', 'Service', 'ServiceAccount']);
    const groups = { ...plan, cluster: { ...plan.cluster, ingress: { ...plan.cluster.ingress, mode: 'ingress-groups' as const } } };
    const withIngress = (envAppProject(groups) as { spec: Record<string, unknown> }).spec;
    expect((withIngress.namespaceResourceWhitelist as { kind: string }[]).map((k) => k.kind)).toContain('Ingress');
  });

  it('GIVEN the cluster WHEN bootstrapped THEN the root app syncs clusters/dev/apps recursively in the platform project', () => {
    const [platform, root] = bootstrapObjects(cluster) as [{ metadata: { name: string }; spec: Record<string, unknown> }, { metadata: { name: string }; spec: Record<string, any> }];
    expect(platform.metadata.name).toBe('devfleet-dev-platform');
    expect(platform.spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    ]);
    expect(root.metadata.name).toBe('devfleet-dev-root');
    expect(root.spec.project).toBe('devfleet-dev-platform');
    expect(root.spec.source).toEqual({ repoURL: 'https://git.example.com/fleet.git', targetRevision: 'release', path: 'clusters/dev/apps', directory: { recurse: true } });
    // Each of its thousand Applications is applied without kubectl's OpenAPI check (FLEET_SYNC_OPTIONS).
    expect(root.spec.syncPolicy).toEqual({ automated: { prune: true, selfHeal: true }, syncOptions: ['Validate=false'] });
    // Its diff of the env Applications skips what Argo CD writes on them.
    expect(root.spec.ignoreDifferences).toEqual([{ group: 'argoproj.io', kind: 'Application', jsonPointers: ['/status', '/operation'] }]);
  });

  it('GIVEN the root app WHEN a commit changes only a chart THEN Argo CD\'s webhook leaves the root alone: its manifest paths are its own folder', () => {
    const root = bootstrapObjects(cluster)[1] as { metadata: { name: string; annotations?: Record<string, string> }; spec: { source: { path: string } } };
    expect(root.metadata.annotations).toEqual({ 'argocd.argoproj.io/manifest-generate-paths': '.' });
    expect(refreshedByWebhook(root, ['clusters/dev/charts/store/values.yaml'])).toBe(false);
    expect(refreshedByWebhook(root, ['clusters/dev/apps/envs/dev-kim/store.yaml'])).toBe(true);
    // A folder that only starts like apps/ is not its folder.
    expect(refreshedByWebhook(root, ['clusters/dev/apps-old/x.yaml'])).toBe(false);
  });
});

describe('developer namespace', () => {
  it('GIVEN a developer WHEN the namespace objects are generated THEN Pod Security, quota and limits are as documented and the namespace is never pruned', () => {
    const [ns, quota, limits] = namespaceObjects(cluster, 'bob') as Record<string, any>[];
    expect(ns!.metadata.name).toBe('dev-bob');
    expect(ns!.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'devfleet.dev/developer': 'bob',
    });
    expect(ns!.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Delete=false,Prune=false');
    expect(quota!.metadata.namespace).toBe('dev-bob');
    expect(quota!.spec.hard).toEqual({
      'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '8Gi', 'requests.storage': '100Gi', persistentvolumeclaims: '30', pods: '50',
      // Node disk (issue 17): the cluster schema's defaults.
      'requests.ephemeral-storage': '8Gi', 'limits.ephemeral-storage': '32Gi',
    });
    expect(limits!.spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '50m', memory: '128Mi', 'ephemeral-storage': '256Mi' }, default: { memory: '256Mi', 'ephemeral-storage': '1Gi' } },
    ]);
  });
});
