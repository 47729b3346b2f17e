/**
 * Generation is all-or-nothing: a run that fails, or is killed at any moment, leaves the old
 * tree byte-for-byte (or, past the swap, the complete new one), never a mix.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTrees } from '../../generators/synth/write-tree.ts';
import { runCli } from '../helpers/cli.ts';
import { REPO, snapshotTree, tempRoot } from '../helpers/fixtures.ts';
import { writeFleet } from '../helpers/make-fleet.ts';

describe('atomic synth', () => {
  it('GIVEN an existing tree WHEN writing fails after staging THEN the old tree is untouched and no staging folder remains', () => {
    const root = tempRoot({ 'clusters/dev/README.md': 'old\n', 'clusters/dev/apps/a.yaml': 'a: 1\n' });
    const before = snapshotTree(join(root, 'clusters'));
    const trees = new Map([[join(root, 'clusters', 'dev'), new Map([['README.md', 'new\n'], ['apps/b.yaml', 'b: 2\n']])]]);
    expect(() => writeTrees(trees, { beforeSwap: () => { throw new Error('disk full'); } })).toThrow('disk full');
    expect(snapshotTree(join(root, 'clusters'))).toEqual(before);
    expect(readdirSync(join(root, 'clusters'))).toEqual(['dev']);
  });

  it('GIVEN an existing tree WHEN writing succeeds THEN stale files are gone and new ones are present', () => {
    const root = tempRoot({ 'clusters/dev/old.yaml': 'x\n' });
    writeTrees(new Map([[join(root, 'clusters', 'dev'), new Map([['new.yaml', 'y\n']])]]));
    expect(snapshotTree(join(root, 'clusters'))).toEqual({ 'dev/new.yaml': 'y\n' });
  });

  it('GIVEN a large fleet WHEN synth is killed (SIGKILL) while it writes the staging tree THEN the old tree stays byte-for-byte', async () => {
    const root = tempRoot();
    writeFleet(root, { projects: 8, developers: 60 });
    expect((await runCli('synth', '--root', root)).code).toBe(0);
    const oldTree = snapshotTree(join(root, 'clusters', 'fleet'));
    writeFleet(root, { projects: 8, developers: 60 }, { variant: 'changed' });

    const child = spawn(process.execPath, [join(REPO, 'bin', 'devfleet.js'), 'synth', '--root', root], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Kill as soon as the staging folder exists: the run is then mid-write by construction.
    const deadline = Date.now() + 60_000;
    while (!readdirSync(join(root, 'clusters')).some((e) => e.startsWith('.devfleet-staging-'))) {
      if (Date.now() > deadline) throw new Error('synth never started staging');
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBeNull();

    expect(snapshotTree(join(root, 'clusters', 'fleet'))).toEqual(oldTree);
    // `synth --check` writes nothing, ever: the abandoned staging folder is still there after it
    // (git ignores it, see .gitignore); the next real synth clears it before doing anything else.
    const leftovers = readdirSync(join(root, 'clusters')).sort();
    expect(leftovers.filter((e) => e.startsWith('.devfleet-staging-'))).toHaveLength(1);
    await runCli('synth', '--root', root, '--check');
    expect(readdirSync(join(root, 'clusters')).sort()).toEqual(leftovers);
    await runCli('synth', '--root', root);
    expect(readdirSync(join(root, 'clusters')).sort()).toEqual(['fleet', 'fleet.yaml']);
  });

  it('GIVEN a fleet WHEN synth is killed at arbitrary moments THEN the tree is always exactly the old one or exactly the new one', async () => {
    const fleet = { projects: 6, developers: 40 };
    const expectedNew = tempRoot();
    writeFleet(expectedNew, fleet, { variant: 'changed' });
    expect((await runCli('synth', '--root', expectedNew)).code).toBe(0);
    const newTree = snapshotTree(join(expectedNew, 'clusters', 'fleet'));

    for (const delay of [400, 900, 1400, 2000]) {
      const root = tempRoot();
      writeFleet(root, fleet);
      expect((await runCli('synth', '--root', root)).code).toBe(0);
      const oldTree = snapshotTree(join(root, 'clusters', 'fleet'));
      writeFleet(root, fleet, { variant: 'changed' });
      const child = spawn(process.execPath, [join(REPO, 'bin', 'devfleet.js'), 'synth', '--root', root], { stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited;
      await runCli('synth', '--root', root, '--check');
      const now = snapshotTree(join(root, 'clusters', 'fleet'));
      expect([oldTree, newTree]).toContainEqual(now);
      // A kill while staging leaves the staging folder; a kill after the swap, while the old tree
      // (the backup) is being deleted, leaves part of the backup beside the complete new tree.
      // `--check` writes nothing; the next synth clears both before anything else.
      const leftovers = readdirSync(join(root, 'clusters')).filter((e) => e !== 'fleet' && e !== 'fleet.yaml');
      const isNew = JSON.stringify(now) === JSON.stringify(newTree);
      for (const entry of leftovers) expect(entry).toMatch(isNew ? /^\.devfleet-(staging|backup)-fleet\.[0-9]+$/ : /^\.devfleet-staging-fleet\.[0-9]+$/);
      await runCli('synth', '--root', root);
      expect(readdirSync(join(root, 'clusters')).sort()).toEqual(['fleet', 'fleet.yaml']);
      expect(snapshotTree(join(root, 'clusters', 'fleet'))).toEqual(newTree);
    }
  });
});
