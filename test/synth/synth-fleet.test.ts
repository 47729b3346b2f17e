/**
 * synth rewrites only what changed: a no-op synth writes no file, a change to one project rewrites
 * only files whose text changes (that project's), and the shortcut that skips generating an
 * unchanged fleet never hides a file that changed on disk.
 */
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { TREE } from '../../generators/plan/layout.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { clusterTree } from '../../generators/synth/cluster-tree.ts';
import { synthFleet } from '../../generators/synth/synth-fleet.ts';
import { snapshotTree, tempRoot } from '../helpers/fixtures.ts';
import { writeFleet } from '../helpers/make-fleet.ts';

const FLEET = { projects: 6, developers: 12 };
const TFVARS = 'terraform/clusters/fleet/devfleet.auto.tfvars.json';

/** Inode and modification time of every generated file (the cluster tree and the Terraform inputs). */
function identities(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const rel = `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(join(d, entry.name), rel);
      else {
        const s = statSync(join(d, entry.name));
        out[rel] = `${s.ino}@${s.mtimeMs}`;
      }
    }
  };
  walk(join(root, 'clusters', 'fleet'), 'clusters/fleet');
  const s = statSync(join(root, TFVARS));
  out[TFVARS] = `${s.ino}@${s.mtimeMs}`;
  return out;
}

/** Dates every generated file an hour back, so a rewrite shows in its mtime whatever the clock's resolution. */
function ageGenerated(root: string): void {
  const past = new Date(Date.now() - 3_600_000);
  for (const path of Object.keys(identities(root))) utimesSync(join(root, path), past, past);
}

describe('synth writes only what changed', () => {
  let root: string;
  beforeEach(async () => {
    root = tempRoot();
    writeFleet(root, FLEET);
    await synthFleet(root);
    ageGenerated(root);
  });

  it('GIVEN a synthesised fleet WHEN synth runs again THEN no file is written (same inodes and mtimes) and nothing is left beside the tree', async () => {
    const before = identities(root);
    // The files were re-dated after the first synth, so this run generates and compares every file.
    const compared = await synthFleet(root);
    expect({ written: compared.written, removed: compared.removed, generated: compared.clusters.map((c) => c.generated) }).toEqual({ written: 0, removed: 0, generated: [true] });
    expect(compared.clusters.map((c) => c.files)).toEqual([Object.keys(before).length - 1]);
    expect(identities(root)).toEqual(before);
    // Nothing changed since that run: this one generates nothing at all.
    const skipped = await synthFleet(root);
    expect({ written: skipped.written, removed: skipped.removed, generated: skipped.clusters.map((c) => c.generated) }).toEqual({ written: 0, removed: 0, generated: [false] });
    expect(skipped.clusters.map((c) => c.files)).toEqual([Object.keys(before).length - 1]);
    expect(identities(root)).toEqual(before);
    expect(readdirSync(join(root, 'clusters')).sort()).toEqual(['fleet', 'fleet.yaml']);
  });

  it('GIVEN a synthesised fleet WHEN one project changes THEN exactly the files whose text changed are rewritten, all of them that project\'s chart or env files', async () => {
    const before = identities(root);
    const oldText = snapshotTree(root);
    const file = join(root, 'projects', 'app002.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('nginx:1.27', 'nginx:1.28').replace('Synthetic project 2', 'Synthetic project two'));
    const result = await synthFleet(root);
    const after = identities(root);
    const newText = snapshotTree(root);

    const rewritten = Object.keys(after).filter((path) => after[path] !== before[path]).sort();
    const textChanged = Object.keys(after).filter((path) => newText[path] !== oldText[path]).sort();
    expect(rewritten).toEqual(textChanged);
    expect(rewritten.length).toBeGreaterThan(0);
    expect(result.written).toBe(rewritten.length);
    for (const path of rewritten) expect(path).toMatch(/^clusters\/fleet\/(charts\/app002\/|apps\/envs\/[^/]+\/app002\.yaml$|README\.md$)/);
  });

  it('GIVEN a synthesised fleet WHEN a generated file is edited, another deleted and a stray file added THEN the next synth restores exactly the generated tree', async () => {
    const expected = snapshotTree(join(root, 'clusters', 'fleet'));
    const tree = join(root, 'clusters', 'fleet');
    writeFileSync(join(tree, 'apps/envs/dev00003/app001.yaml'), 'edited by hand\n');
    rmSync(join(tree, 'charts/app004/values.yaml'));
    writeFileSync(join(tree, 'apps/stray.yaml'), 'kind: ConfigMap\n');
    await synthFleet(root);
    expect(snapshotTree(tree)).toEqual(expected);
  });

  it('GIVEN a generated file changed in place with its size and mtime kept WHEN synth --check runs THEN it reports the file (check always compares content)', async () => {
    const path = join(root, 'clusters', 'fleet', 'apps', 'envs', 'dev00001', 'app003.yaml');
    const { mtime, atime } = statSync(path);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('app003', 'app00X'));
    utimesSync(path, atime, mtime);
    const result = await synthFleet(root, { check: true });
    expect(result.differences).toEqual([{ file: 'clusters/fleet/apps/envs/dev00001/app003.yaml', change: 'changed' }]);
  });

  it('GIVEN a synthesised fleet WHEN the Terraform inputs file is deleted THEN synth writes it again and only it', async () => {
    const before = identities(root);
    rmSync(join(root, TFVARS));
    const result = await synthFleet(root);
    expect({ written: result.written, removed: result.removed }).toEqual({ written: 1, removed: 0 });
    const after = identities(root);
    expect(Object.keys(after).filter((path) => after[path] !== before[path])).toEqual([TFVARS]);
  });
});

describe('the cluster README names each developer\'s Argo CD shard', () => {
  const definition = { name: 'dev', domain: 'dev.example.com', timeZone: 'Asia/Tokyo', developers: [{ name: 'alice' }, { name: 'bob' }, { name: 'dave' }], argocd: { repoURL: 'https://git.example.com/fleet.git' } };
  const web = projectModel('projects/web.yaml', { name: 'web', containers: [{ name: 'app', image: 'nginx:1.27' }] });
  const readme = (argocd: Record<string, unknown>) => clusterTree(planFleet([clusterModel('clusters/dev.yaml', { ...definition, argocd: { ...definition.argocd, ...argocd } })], [web]).clusters[0]!).get(TREE.readme)!;

  it('GIVEN 2 shards WHEN the tree is generated THEN the README says so and gives each developer\'s shard; with 1 it says nothing of shards', () => {
    expect(readme({ shards: 2 })).toContain("2 Argo CD application controllers share these envs by developer (docs/gitops.md); each developer's shard: alice 1, bob 0, dave 1.");
    expect(readme({})).not.toContain('shard');
  });
});
