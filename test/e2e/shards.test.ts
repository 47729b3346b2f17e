/**
 * More than one Argo CD application controller for one cluster (docs/gitops.md, issue 21): with
 * argocd.shards 2 the harness runs two controllers, as Terraform does on EKS from the same
 * generated tfvars, and registers the API server again as the shard cluster `<cluster>-shard-1`;
 * each controller reconciles only its developers' envs, and going from 1 to 2 shards and back
 * neither deletes nor re-creates any env object.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV_KINDS } from '../../generators/cluster/argocd.ts';
import { ARGOCD_ANNOTATIONS, ARGOCD_SECRET_TYPE_LABEL } from '../../generators/plan/labels.ts';
import { logFile, runningComponents, type LocalCluster } from '../../scripts/cluster.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { applications, e2eCluster, editYaml, kubectlOk, sync, writeSmallFleet } from './harness.ts';

// At 2 shards alice is on shard 1, bob and carol on shard 0 (the golden values of test/plan/argocd-shards.test.ts).
const DEVELOPERS = ['alice', 'bob', 'carol'];
const selector = 'devfleet.dev/cluster=shards';
let root: string;

/** Every env object (the env charts' kinds) and namespace of the fleet, by kind/namespace/name, with its uid. */
async function envObjectUids(cluster: LocalCluster): Promise<Record<string, string>> {
  const kinds = ENV_KINDS.filter((k) => k.kind !== 'Ingress').map((k) => (k.group ? `${k.kind.toLowerCase()}.${k.group}` : k.kind.toLowerCase())).join(',');
  const uids: Record<string, string> = {};
  for (const developer of DEVELOPERS) {
    const out = await kubectlOk(cluster, 'admin', ['get', `${kinds}`, '-n', `dev-${developer}`, '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name}={.metadata.uid}{"\\n"}{end}']);
    for (const line of out.split('\n').filter(Boolean)) {
      const [key, uid] = line.split('=') as [string, string];
      uids[key] = uid;
    }
    uids[`Namespace/dev-${developer}`] = await kubectlOk(cluster, 'admin', ['get', 'namespace', `dev-${developer}`, '-o', 'jsonpath={.metadata.uid}']);
  }
  return uids;
}

/** The Applications a controller holds: its argocd_app_info series (the pinned Argo CD exports them for the Applications its shard processes). */
async function heldApplications(port: number): Promise<string[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...new Set([...text.matchAll(/^argocd_app_info\{[^}]*\bname="([^"]+)"/gm)].map((m) => m[1]!))].sort();
}

/** The Applications a controller's log says it reconciled since `offset` (its "Reconciliation completed" lines). */
function reconciled(file: string, offset: number): string[] {
  const text = readFileSync(file).subarray(offset).toString('utf8');
  // logrus text fields, sorted by key: ... app-qualified-name=<namespace>/<name> application=<name> ...
  return [...new Set([...text.matchAll(/msg="Reconciliation completed".*?\bapplication=(\S+)/g)].map((m) => m[1]!.replace(/^.*\//, '')))].sort();
}

beforeAll(async () => {
  root = writeSmallFleet(tempRoot(), { cluster: 'shards', developers: DEVELOPERS, projects: [{ name: 'store', persistent: true }, { name: 'wiki' }] });
  const run = await sync(root, 'shards');
  expect(run.code, run.stderr).toBe(0);
  expect(run.result.applications).toBe(7);
  expect(e2eCluster().argocd!.shards ?? 1).toBe(1);
});

describe('from 1 to 2 application controllers and back', () => {
  it('GIVEN the fleet synced by one controller WHEN argocd.shards becomes 2 THEN alice\'s envs move to dev-shard-1\'s controller, Synced and Healthy at the new commit, each controller holds and reconciles only its share, and no env object was deleted or re-created', async () => {
    let cluster = e2eCluster();
    const before = await envObjectUids(cluster);
    expect(Object.keys(before).filter((k) => k.startsWith('Deployment/'))).toHaveLength(6);
    expect(Object.keys(before)).toContain('PersistentVolumeClaim/dev-alice/store-db-data');
    editYaml(join(root, 'clusters', 'shards.yaml'), (doc) => {
      (doc.argocd as Record<string, unknown>).shards = 2;
    });
    const run = await sync(root, 'shards', { timeoutSeconds: 300 });
    expect(run.code, run.stderr).toBe(0);
    cluster = e2eCluster();
    expect(cluster.argocd!.shards).toBe(2);

    const apps = await applications(cluster, selector);
    const destination = Object.fromEntries(apps.map((a) => [a.metadata.name, (a.spec as { destination: Record<string, string> }).destination]));
    expect(destination['store--alice']).toEqual({ name: 'shards-shard-1', namespace: 'dev-alice' });
    expect(destination['wiki--alice']).toEqual({ name: 'shards-shard-1', namespace: 'dev-alice' });
    expect(destination['wiki--bob']).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'dev-bob' });
    for (const app of apps) expect({ name: app.metadata.name, sync: app.status?.sync?.status, health: app.status?.health?.status, revision: app.status?.sync?.revision }).toEqual({ name: app.metadata.name, sync: 'Synced', health: 'Healthy', revision: run.result.commit });

    // Shard 0 holds the root and bob's and carol's envs, shard 1 alice's; nobody holds both.
    expect(await heldApplications(cluster.argocd!.controllerMetricsPort)).toEqual(['devfleet-shards-root', 'store--bob', 'store--carol', 'wiki--bob', 'wiki--carol']);
    expect(await heldApplications(cluster.argocd!.shardMetricsPort!)).toEqual(['store--alice', 'wiki--alice']);
    // Every Application asked to compare again now: each is reconciled by its own controller only.
    const logs = ['argocd-application-controller', 'argocd-application-controller-1'].map((c) => logFile(cluster.dir, c as 'argocd-application-controller'));
    const offsets = logs.map((f) => statSync(f).size);
    await kubectlOk(cluster, 'admin', ['annotate', '--overwrite', '-n', cluster.argocd!.namespace, 'applications.argoproj.io', '-l', selector, `${ARGOCD_ANNOTATIONS.refresh}=normal`]);
    const all = apps.map((a) => a.metadata.name).sort();
    let zero: string[] = [];
    let one: string[] = [];
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1000))) {
      [zero, one] = logs.map((f, i) => reconciled(f, offsets[i]!)) as [string[], string[]];
      if (all.every((a) => zero.includes(a) || one.includes(a))) break;
    }
    expect(one).toEqual(['store--alice', 'wiki--alice']);
    expect(zero).toEqual(['devfleet-shards-root', 'store--bob', 'store--carol', 'wiki--bob', 'wiki--carol']);

    // Resharding moved no object: every env object and namespace is the one created before.
    expect(await envObjectUids(cluster)).toEqual(before);
  });

  it('GIVEN 2 shards WHEN argocd.shards is removed (1 for this fleet) THEN one controller holds every env again, all Synced and Healthy at the new commit, the shard cluster is gone and no env object was deleted or re-created', async () => {
    let cluster = e2eCluster();
    const before = await envObjectUids(cluster);
    editYaml(join(root, 'clusters', 'shards.yaml'), (doc) => {
      delete (doc.argocd as Record<string, unknown>).shards;
    });
    const run = await sync(root, 'shards', { timeoutSeconds: 300 });
    expect(run.code, run.stderr).toBe(0);
    cluster = e2eCluster();
    expect(cluster.argocd!.shards).toBe(1);
    expect(runningComponents(cluster.dir)['argocd-application-controller-1']).toBeUndefined();
    expect(await kubectlOk(cluster, 'admin', ['get', 'secrets', '-n', cluster.argocd!.namespace, '-l', `${ARGOCD_SECRET_TYPE_LABEL}=cluster`, '-o', 'name'])).toBe('');
    const apps = await applications(cluster, selector);
    for (const app of apps) {
      expect({ name: app.metadata.name, sync: app.status?.sync?.status, health: app.status?.health?.status, revision: app.status?.sync?.revision }).toEqual({ name: app.metadata.name, sync: 'Synced', health: 'Healthy', revision: run.result.commit });
      if (app.metadata.name !== 'devfleet-shards-root') expect((app.spec as { destination: Record<string, string> }).destination.server).toBe('https://kubernetes.default.svc');
    }
    expect(await heldApplications(cluster.argocd!.controllerMetricsPort)).toEqual(apps.map((a) => a.metadata.name).sort());
    expect(await envObjectUids(cluster)).toEqual(before);
  });
});
