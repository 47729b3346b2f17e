/**
 * writeTrees touches only what changed: an equal tree is left alone, a changed tree is swapped in
 * whole with its unchanged files carried over as the same files (same inode, same mtime).
 */
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTrees } from '../../generators/synth/write-tree.ts';
import { snapshotTree, tempRoot } from '../helpers/fixtures.ts';

const FILES = { 'README.md': 'readme\n', 'apps/a.yaml': 'a: 1\n', 'apps/b.yaml': 'b: 1\n', 'charts/x/Chart.yaml': 'version: 1\n' };

/** A cluster tree on disk with FILES, all dated an hour ago, and the tfvars file beside it. */
function existing(): { root: string; target: string; tfvars: string } {
  const files: Record<string, string> = { 'terraform/dev.auto.tfvars.json': '{}\n' };
  for (const [path, text] of Object.entries(FILES)) files[`clusters/dev/${path}`] = text;
  const root = tempRoot(files);
  const past = new Date(Date.now() - 3_600_000);
  for (const path of Object.keys(files)) utimesSync(join(root, path), past, past);
  return { root, target: join(root, 'clusters', 'dev'), tfvars: join(root, 'terraform', 'dev.auto.tfvars.json') };
}

/** Inode and modification time of every file under a folder. */
function identities(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(d, entry.name), rel);
      else {
        const s = statSync(join(d, entry.name));
        out[rel] = `${s.ino}@${s.mtimeMs}`;
      }
    }
  };
  walk(dir, '');
  return out;
}

describe('writeTrees', () => {
  it('GIVEN a tree and a tfvars file equal to the disk WHEN written THEN nothing is written: same inodes and mtimes, no staging, beforeSwap never called', () => {
    const { root, target, tfvars } = existing();
    const before = identities(root);
    let swapped = false;
    const summary = writeTrees(new Map([[target, new Map(Object.entries(FILES))]]), { beforeSwap: () => (swapped = true) }, new Map([[tfvars, '{}\n']]));
    expect(summary).toEqual({ written: 0, removed: 0, unchanged: 5 });
    expect(swapped).toBe(false);
    expect(identities(root)).toEqual(before);
    expect(readdirSync(join(root, 'clusters'))).toEqual(['dev']);
  });

  it('GIVEN one changed file, one new file and one stale file WHEN written THEN only the changed and new files are new; every other file keeps its inode and mtime', () => {
    const { root, target, tfvars } = existing();
    const before = identities(target);
    const tree = new Map(Object.entries({ ...FILES, 'apps/b.yaml': 'b: 2\n', 'apps/c.yaml': 'c: 1\n' }));
    tree.delete('charts/x/Chart.yaml');
    const summary = writeTrees(new Map([[target, tree]]), {}, new Map([[tfvars, '{}\n']]));
    expect(summary).toEqual({ written: 2, removed: 1, unchanged: 3 });
    expect(snapshotTree(target)).toEqual({ 'README.md': 'readme\n', 'apps/a.yaml': 'a: 1\n', 'apps/b.yaml': 'b: 2\n', 'apps/c.yaml': 'c: 1\n' });
    const after = identities(target);
    expect(after['README.md']).toBe(before['README.md']);
    expect(after['apps/a.yaml']).toBe(before['apps/a.yaml']);
    expect(after['apps/b.yaml']).not.toBe(before['apps/b.yaml']);
    expect(readdirSync(join(root, 'clusters'))).toEqual(['dev']);
  });

  it('GIVEN an unchanged tree but a changed tfvars file WHEN written THEN only the tfvars file is replaced', () => {
    const { root, target, tfvars } = existing();
    const tree = identities(target);
    const summary = writeTrees(new Map([[target, new Map(Object.entries(FILES))]]), {}, new Map([[tfvars, '{"a": 1}\n']]));
    expect(summary).toEqual({ written: 1, removed: 0, unchanged: 4 });
    expect(identities(target)).toEqual(tree);
    expect(snapshotTree(join(root, 'terraform'))).toEqual({ 'dev.auto.tfvars.json': '{"a": 1}\n' });
  });
});
