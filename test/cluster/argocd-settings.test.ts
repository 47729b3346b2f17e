import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { argocdCm, argocdComponentEnv, ARGOCD_CMD_PARAMS, ARGOCD_ENV, argocdShardTfvars, argocdTfvars, SHARD_EXEC_PROVIDER, watchedKinds } from '../../generators/cluster/argocd-settings.ts';
import { clusterModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { REPO } from '../helpers/fixtures.ts';

/** Every `group/kind` in the committed tree of the bundled examples (synth --check keeps it current). */
function kindsInTree(dir: string): Set<string> {
  const kinds = new Set<string>();
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      for (const k of kindsInTree(path)) kinds.add(k);
    } else if (/\.ya?ml$/.test(entry) && !['Chart.yaml', 'values.yaml'].includes(entry)) {
      // Chart templates hold {{ .Values.x }}: only their apiVersion and kind lines are read.
      const text = readFileSync(path, 'utf8');
      for (const doc of text.split(/^---$/m)) {
        const apiVersion = /^apiVersion: (\S+)$/m.exec(doc)?.[1];
        const kind = /^kind: (\S+)$/m.exec(doc)?.[1];
        if (apiVersion && kind) kinds.add(`${apiVersion.includes('/') ? apiVersion.split('/')[0] : ''}/${kind}`);
      }
    }
  }
  return kinds;
}

describe('Argo CD fleet settings', () => {
  it('GIVEN the generated tree of the bundled examples WHEN its kinds are listed THEN the controller watches every one of them, and none of the kinds workloads make (Pods, ReplicaSets, Secrets, Jobs)', () => {
    const watched = new Set(watchedKinds().map((k) => `${k.group}/${k.kind}`));
    const inTree = kindsInTree(join(REPO, 'clusters', 'dev'));
    expect(inTree.size).toBeGreaterThan(15);
    expect([...inTree].filter((k) => !watched.has(k))).toEqual([]);
    // Ingress is in the tree of a cluster with per-env Ingresses (ingress.mode ingress-groups).
    expect(watched.has('networking.k8s.io/Ingress')).toBe(true);
    for (const k of ['/Pod', 'apps/ReplicaSet', '/Secret', 'batch/Job', '/Endpoints', '/Event']) expect(watched.has(k), k).toBe(false);
  });

  it('GIVEN argocd-cm WHEN read as Argo CD reads it THEN resource.inclusions is a YAML list of groups and kinds for every cluster, and reconciliation has a timeout and a jitter', () => {
    const cm = argocdCm();
    const inclusions = parse(cm['resource.inclusions']!) as { apiGroups: string[]; kinds: string[]; clusters: string[] }[];
    expect(inclusions.flatMap((i) => i.kinds.map((kind) => ({ group: i.apiGroups[0], kind })))).toEqual(watchedKinds());
    for (const i of inclusions) expect(i.clusters).toEqual(['*']);
    expect({ timeout: cm['timeout.reconciliation'], jitter: cm['timeout.reconciliation.jitter'] }).toEqual({ timeout: '180s', jitter: '60s' });
  });

  it('GIVEN argocd-cm WHEN its ignoreResourceUpdates are read THEN each is a list of RFC 6901 pointers, the PVC list names the binder\'s annotations and volumeName, and no list hides a spec field Git sets', () => {
    const cm = argocdCm();
    const lists = Object.entries(cm).filter(([k]) => k.startsWith('resource.customizations.ignoreResourceUpdates.'));
    expect(lists.map(([k]) => k.slice('resource.customizations.ignoreResourceUpdates.'.length)).sort()).toEqual(['PersistentVolumeClaim', 'apps_Deployment', 'argoproj.io_Application']);
    for (const [key, value] of lists) {
      const { jsonPointers } = parse(value) as { jsonPointers: string[] };
      for (const p of jsonPointers) expect(p, key).toMatch(/^(\/([^~/]|~[01])+)+$/);
    }
    const pvc = (parse(cm['resource.customizations.ignoreResourceUpdates.PersistentVolumeClaim']!) as { jsonPointers: string[] }).jsonPointers;
    expect(pvc).toContain('/metadata/annotations/pv.kubernetes.io~1bind-completed');
    expect(pvc).toContain('/spec/volumeName');
    // The chart sets a PVC's size, access modes and class, a Deployment's spec: never ignored.
    for (const p of pvc) expect(p).not.toMatch(/^\/spec\/(resources|accessModes|storageClassName)/);
    expect(parse(cm['resource.customizations.ignoreResourceUpdates.apps_Deployment']!)).toEqual({ jsonPointers: ['/metadata/annotations/deployment.kubernetes.io~1revision'] });
  });

  it('GIVEN the settings WHEN the harness starts Argo CD THEN each component gets them as the environment its install manifest maps them to, every parameter included', () => {
    expect(argocdComponentEnv('application-controller')).toEqual({
      ARGOCD_APPLICATION_CONTROLLER_STATUS_PROCESSORS: '50',
      ARGOCD_APPLICATION_CONTROLLER_OPERATION_PROCESSORS: '25',
      ARGOCD_APPLICATION_CONTROLLER_KUBECTL_PARALLELISM_LIMIT: '25',
      ARGOCD_K8S_CLIENT_QPS: '100',
      ARGOCD_K8S_CLIENT_BURST: '200',
      ARGOCD_APPLICATION_CONTROLLER_SELF_HEAL_TIMEOUT_SECONDS: '10',
      ARGOCD_APPLICATION_CONTROLLER_SELF_HEAL_BACKOFF_TIMEOUT_SECONDS: '0',
      ARGOCD_RECONCILIATION_TIMEOUT: '180s',
      ARGOCD_RECONCILIATION_JITTER: '60s',
    });
    expect(argocdComponentEnv('repo-server')).toEqual({ ARGOCD_REPO_SERVER_PARALLELISM_LIMIT: '8', ARGOCD_RECONCILIATION_TIMEOUT: '180s' });
    const mapped = new Set(ARGOCD_ENV.map((e) => e.key));
    expect(Object.keys(ARGOCD_CMD_PARAMS).filter((k) => !mapped.has(k))).toEqual([]);
  });

  it('GIVEN the settings WHEN handed to Terraform THEN the tfvars carry the same parameters and argocd-cm keys', () => {
    expect(argocdTfvars()).toEqual({ cmd_params: { ...ARGOCD_CMD_PARAMS }, cm: argocdCm() });
  });
});

describe('shard inputs for Terraform', () => {
  it('GIVEN argocd.shards 2 WHEN the tfvars inputs are made THEN 2 controllers and one shard cluster: its name, shard, the ExternalName host in Argo CD\'s namespace, TLS pinned to the API server\'s name and the ServiceAccount token through an exec plugin (no token, no CA: Terraform adds the CA)', () => {
    const plan = planFleet([clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'Asia/Tokyo', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/fleet.git', shards: 2 } })], []).clusters[0]!;
    const inputs = argocdShardTfvars(plan);
    expect(inputs.controllers).toBe(2);
    expect(inputs.shard_service_target).toBe('kubernetes.default.svc.cluster.local');
    expect(inputs.shard_clusters).toEqual([{ name: 'dev-shard-1', shard: '1', server: 'https://dev-shard-1.argocd.svc', config: { tlsClientConfig: { serverName: 'kubernetes.default.svc' }, execProviderConfig: { ...SHARD_EXEC_PROVIDER, args: [...SHARD_EXEC_PROVIDER.args] } } }]);
    // The plugin prints an ExecCredential with the projected token, read when client-go asks.
    expect(SHARD_EXEC_PROVIDER.args[1]).toMatch(/"kind":"ExecCredential".*\$\(cat \/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/token\)/);
  });
});
