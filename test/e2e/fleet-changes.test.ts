/**
 * Changes to the definitions, as Argo CD applies them: removing a developer removes their
 * Applications and workloads but keeps their PVCs and namespace; removing a project does the same
 * for its envs; a change to one project re-syncs only that project's envs and runs Helm only for
 * them (manifest-generate-paths, read from the repo-server's log); removing a project's
 * persistent volume keeps its PVC and leaves the envs' Applications Synced and Healthy.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { type Application, application, applications, e2eCluster, editYaml, exists, helmRuns, kubectlOk, names, sync, writeSmallFleet } from './harness.ts';

let cluster: LocalCluster;
let root: string;
const selector = 'devfleet.dev/cluster=changes';
const appNames = async () => (await applications(cluster, selector)).map((a) => a.metadata.name).sort();
const history = (apps: Application[]) => Object.fromEntries(apps.map((a) => [a.metadata.name, (a.status?.history ?? []).map((h) => h.id)]));

beforeAll(async () => {
  cluster = e2eCluster();
  root = writeSmallFleet(tempRoot(), {
    cluster: 'changes',
    developers: ['kim', 'lee', 'max'],
    projects: [{ name: 'store', persistent: true }, { name: 'blog', persistent: true }, { name: 'wiki' }],
  });
  const run = await sync(root, 'changes');
  expect(run.code, run.stderr).toBe(0);
  expect(run.result.applications).toBe(10);
});

describe('a change to one project', () => {
  it('GIVEN every env synced WHEN only wiki changes THEN only the wiki envs are synced again, at the new commit', async () => {
    const before = history(await applications(cluster, selector));
    editYaml(join(root, 'projects', 'wiki.yaml'), (doc) => {
      (doc.containers as { image: string }[])[0]!.image = 'nginx:1.28';
    });
    const helm = helmRuns(cluster);
    const run = await sync(root, 'changes');
    expect(run.code, run.stderr).toBe(0);
    // The commit changed charts/wiki/ only: Helm rendered the three wiki envs once each, and every
    // other env's manifests came from the previous commit's (manifest-generate-paths). Without the
    // annotation every env of the cluster is rendered again.
    expect(helm()).toEqual(['dev-kim/wiki', 'dev-lee/wiki', 'dev-max/wiki']);
    const after = await applications(cluster, selector);
    // Env Applications (the root, the platform's, is not an env) that ran a sync operation again.
    const envs = after.filter((a) => a.metadata.labels?.['devfleet.dev/project']);
    expect(envs).toHaveLength(9);
    const resynced = envs.filter((a) => (a.status?.history ?? []).length > (before[a.metadata.name] ?? []).length).map((a) => a.metadata.name).sort();
    expect(resynced).toEqual(['wiki--kim', 'wiki--lee', 'wiki--max']);
    for (const app of after.filter((a) => a.metadata.name.startsWith('wiki--'))) expect(app.status?.history?.at(-1)?.revision).toBe(run.result.commit);
    // Every other env compared at the new commit, found nothing to do, and stayed Synced.
    for (const app of after) expect({ name: app.metadata.name, revision: app.status?.sync?.revision, sync: app.status?.sync?.status }).toEqual({ name: app.metadata.name, revision: run.result.commit, sync: 'Synced' });
    expect(await names(cluster, 'deployments', 'dev-kim')).toEqual(['blog', 'store', 'wiki']);
  });
});

describe('removing a developer', () => {
  it('GIVEN max has three envs WHEN max leaves the cluster definition THEN their Applications, Deployments and Services go, their PVCs and namespace stay', async () => {
    expect(await names(cluster, 'persistentvolumeclaims', 'dev-max')).toEqual(['blog-db-data', 'store-db-data']);
    editYaml(join(root, 'clusters', 'changes.yaml'), (doc) => {
      doc.developers = (doc.developers as { name: string }[]).filter((d) => d.name !== 'max');
    });
    const run = await sync(root, 'changes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.result.applications).toBe(7);
    expect((await appNames()).filter((n) => n.endsWith('--max'))).toEqual([]);
    expect(await names(cluster, 'deployments', 'dev-max')).toEqual([]);
    expect(await names(cluster, 'services', 'dev-max')).toEqual([]);
    expect(await names(cluster, 'ingresses', 'dev-max')).toEqual([]);
    expect(await names(cluster, 'persistentvolumeclaims', 'dev-max')).toEqual(['blog-db-data', 'store-db-data']);
    expect(await exists(cluster, 'namespace', 'dev-max')).toBe(true);
    // Nobody else lost anything.
    expect(await names(cluster, 'deployments', 'dev-kim')).toEqual(['blog', 'store', 'wiki']);
  });
});

describe('removing a project', () => {
  it('GIVEN blog has envs for kim and lee WHEN projects/blog.yaml is deleted THEN its Applications and workloads go, its PVCs stay', async () => {
    rmSync(join(root, 'projects', 'blog.yaml'));
    const run = await sync(root, 'changes');
    expect(run.code, run.stderr).toBe(0);
    expect(await appNames()).toEqual(['devfleet-changes-root', 'store--kim', 'store--lee', 'wiki--kim', 'wiki--lee']);
    for (const ns of ['dev-kim', 'dev-lee']) {
      expect(await names(cluster, 'deployments', ns)).toEqual(['store', 'wiki']);
      expect(await names(cluster, 'services', ns)).toEqual(['store', 'wiki']);
      expect(await names(cluster, 'persistentvolumeclaims', ns)).toEqual(['blog-db-data', 'store-db-data']);
    }
  });
});

describe('removing a persistent volume', () => {
  it('GIVEN store keeps its db data on a PVC WHEN the volume is removed from projects/store.yaml THEN the store envs are Synced and Healthy at the new commit and their PVCs stay', async () => {
    const claimOf = (namespace: string) => kubectlOk(cluster, 'admin', ['get', 'deployment', 'store', '-n', namespace, '-o', 'jsonpath={.spec.template.spec.volumes[*].persistentVolumeClaim.claimName}']);
    const pvc = (namespace: string, path: string) => kubectlOk(cluster, 'admin', ['get', 'persistentvolumeclaim', 'store-db-data', '-n', namespace, '-o', `jsonpath=${path}`]);
    for (const ns of ['dev-kim', 'dev-lee']) {
      expect(await claimOf(ns)).toBe('store-db-data');
      // Synced onto the live PVC while it is in the chart: what Argo CD reads once it is not.
      expect(await pvc(ns, '{.metadata.annotations.argocd\\.argoproj\\.io/compare-options}')).toBe('IgnoreExtraneous');
    }
    editYaml(join(root, 'projects', 'store.yaml'), (doc) => {
      const db = (doc.containers as { name: string; volumes?: unknown }[]).find((c) => c.name === 'db')!;
      delete db.volumes;
    });
    // Every Application Synced and Healthy at the new commit. Without IgnoreExtraneous on the PVCs
    // store--kim and store--lee stay OutOfSync (an extraneous PVC that may not be pruned) and the
    // wait ends at its timeout, naming them; 300 s is far more than this fleet needs (~15 s).
    const run = await sync(root, 'changes', { timeoutSeconds: 300 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.result.committed).toBe(true);
    for (const ns of ['dev-kim', 'dev-lee']) {
      const app = await application(cluster, `store--${ns.slice('dev-'.length)}`);
      expect({ sync: app.status?.sync?.status, revision: app.status?.sync?.revision, health: app.status?.health?.status }).toEqual({ sync: 'Synced', revision: run.result.commit, health: 'Healthy' });
      // Argo CD still sees the PVC, as extraneous (a prune it may not do), but it no longer counts.
      expect(app.status?.resources?.find((r) => r.kind === 'PersistentVolumeClaim' && r.name === 'store-db-data')).toMatchObject({ status: 'OutOfSync', requiresPruning: true });
      // The change reached the cluster: the Deployment no longer mounts the claim, which stays, bound.
      expect(await claimOf(ns)).toBe('');
      expect(await names(cluster, 'persistentvolumeclaims', ns)).toEqual(['blog-db-data', 'store-db-data']);
      expect(await pvc(ns, '{.status.phase}')).toBe('Bound');
    }
  });
});
