/**
 * `devfleet synth` writes terraform/clusters/<cluster>/devfleet.auto.tfvars.json with the same
 * all-or-nothing guarantee as the cluster trees (a single file beside hand-written .tf files:
 * staged as a temporary file, renamed after the folder swaps), and `synth --check` covers it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTrees } from '../../generators/synth/write-tree.ts';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, REPO, snapshotTree, tempRoot } from '../helpers/fixtures.ts';
import { writeFleet } from '../helpers/make-fleet.ts';

const TFVARS = 'terraform/clusters/dev/devfleet.auto.tfvars.json';

describe('synth and the Terraform inputs file', () => {
  it('GIVEN the examples WHEN synthesised THEN the tfvars file is written to terraform/clusters/dev/, equal to the committed one, and synth still prints one line per cluster', async () => {
    const root = copyOfExamples();
    const result = await runCli('synth', '--root', root);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^clusters\/dev\/: 4 chart\(s\), 18 env\(s\), \d+ file\(s\)\n$/);
    expect(readFileSync(join(root, TFVARS), 'utf8')).toBe(readFileSync(join(REPO, TFVARS), 'utf8'));
    expect(readdirSync(join(root, 'terraform/clusters/dev'))).toEqual(['devfleet.auto.tfvars.json']);
  });

  it('GIVEN a synthesised copy WHEN the tfvars file is edited or deleted THEN synth --check exits 1 naming it, and writes nothing', async () => {
    const root = copyOfExamples();
    expect((await runCli('synth', '--root', root)).code).toBe(0);
    expect((await runCli('synth', '--root', root, '--check')).stdout).toBe('ok: 1 cluster tree(s) and their Terraform inputs match the definitions\n');

    writeFileSync(join(root, TFVARS), readFileSync(join(root, TFVARS), 'utf8').replace('"efs"', '"gp3"'));
    const before = snapshotTree(join(root, 'terraform'));
    const edited = await runCli('synth', '--root', root, '--check');
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain(`${TFVARS}: differs from what the definitions generate`);
    expect(snapshotTree(join(root, 'terraform'))).toEqual(before);

    rmSync(join(root, TFVARS));
    const missing = await runCli('synth', '--root', root, '--check');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${TFVARS}: is missing`);
    expect(existsSync(join(root, TFVARS))).toBe(false);
  });

  it('GIVEN an existing tree and file WHEN writing fails after staging THEN both are untouched and no staging file is left beside the .tf files', () => {
    const root = tempRoot({ 'clusters/dev/README.md': 'old\n', [TFVARS]: '{"old": true}\n', 'terraform/clusters/dev/main.tf': '# ops\n' });
    const before = snapshotTree(root);
    const trees = new Map([[join(root, 'clusters', 'dev'), new Map([['README.md', 'new\n']])]]);
    const files = new Map([[join(root, TFVARS), '{"new": true}\n']]);
    expect(() => writeTrees(trees, { beforeSwap: () => { throw new Error('disk full'); } }, files)).toThrow('disk full');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('GIVEN an existing tree and file WHEN writing succeeds THEN the tree and the file are new and the hand-written neighbour is untouched', () => {
    const root = tempRoot({ 'clusters/dev/old.yaml': 'x\n', [TFVARS]: '{"old": true}\n', 'terraform/clusters/dev/main.tf': '# ops\n' });
    writeTrees(new Map([[join(root, 'clusters', 'dev'), new Map([['new.yaml', 'y\n']])]]), {}, new Map([[join(root, TFVARS), '{"new": true}\n']]));
    expect(snapshotTree(root)).toEqual({ 'clusters/dev/new.yaml': 'y\n', [TFVARS]: '{"new": true}\n', 'terraform/clusters/dev/main.tf': '# ops\n' });
  });

  it('GIVEN a staging file left by a killed run WHEN synth --check runs THEN it writes nothing (the file stays); WHEN synth runs THEN it is removed first', async () => {
    const root = copyOfExamples();
    expect((await runCli('synth', '--root', root)).code).toBe(0);
    const leftover = join(root, 'terraform/clusters/dev/.devfleet-staging-devfleet.auto.tfvars.json.4242');
    writeFileSync(leftover, '{"half":');
    expect((await runCli('synth', '--root', root, '--check')).code).toBe(0);
    expect(existsSync(leftover)).toBe(true);
    expect((await runCli('synth', '--root', root)).code).toBe(0);
    expect(existsSync(leftover)).toBe(false);
  });

  it('GIVEN a fleet WHEN synth is killed at arbitrary moments THEN the tfvars file is always the complete old or the complete new one', async () => {
    const fleet = { projects: 6, developers: 40 };
    const expectedNew = tempRoot();
    writeFleet(expectedNew, fleet, { variant: 'changed' });
    // The variant changes only descriptions; give the new fleet a different tfvars too.
    const retarget = (root: string) => writeFileSync(join(root, 'clusters', 'fleet.yaml'), readFileSync(join(root, 'clusters', 'fleet.yaml'), 'utf8').replace('domain: fleet.example.com', 'domain: new.example.com'));
    retarget(expectedNew);
    expect((await runCli('synth', '--root', expectedNew)).code).toBe(0);
    const file = 'terraform/clusters/fleet/devfleet.auto.tfvars.json';
    const newText = readFileSync(join(expectedNew, file), 'utf8');

    for (const delay of [300, 900, 1500]) {
      const root = tempRoot();
      writeFleet(root, fleet);
      expect((await runCli('synth', '--root', root)).code).toBe(0);
      const oldText = readFileSync(join(root, file), 'utf8');
      expect(oldText).not.toBe(newText);
      writeFleet(root, fleet, { variant: 'changed' });
      retarget(root);
      const child = spawn(process.execPath, [join(REPO, 'bin', 'devfleet.js'), 'synth', '--root', root], { stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited;
      expect([oldText, newText]).toContain(readFileSync(join(root, file), 'utf8'));
      await runCli('synth', '--root', root, '--check');
      expect(readdirSync(join(root, 'terraform/clusters/fleet'))).toEqual(['devfleet.auto.tfvars.json']);
    }
  });
});
