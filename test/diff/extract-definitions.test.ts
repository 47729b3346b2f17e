/**
 * The base side of `devfleet diff`: definitions read from a commit of a real git repository into
 * a temporary folder, with the helper modules TypeScript definitions import.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFleet } from '../../generators/definitions/load-fleet.ts';
import { extractDefinitionsAt } from '../../generators/diff/extract-definitions.ts';
import { copyOfExamples, snapshotTree, tempRoot } from '../helpers/fixtures.ts';
import { useHelperModules } from '../helpers/helper-modules.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const commit = (cwd: string) => {
  git(cwd, 'add', '-A');
  git(cwd, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'base');
};
const shopImage = (fleet: Awaited<ReturnType<typeof validateFleet>>['fleet']) => fleet?.projects.find((p) => p.name === 'shop')?.containers[0]?.image;

describe('extractDefinitionsAt', () => {
  it('GIVEN a commit where shop.ts imports a _ helper, a helper in a subfolder and a module outside projects/ WHEN extracted THEN exactly the definitions and the imported modules are written, and they load as the same fleet', async () => {
    const root = copyOfExamples({ withGenerated: true });
    useHelperModules(root);
    writeFileSync(join(root, 'projects', 'notes.md'), 'not a definition\n');
    git(root, 'init', '-q', '-b', 'main');
    commit(root);
    // The working tree moves on; the commit is what counts.
    writeFileSync(join(root, 'projects', 'shared', 'images.ts'), "export const shopImage = 'ghcr.io/example/shop:2027.1.0';\n");

    const base = await extractDefinitionsAt(root, 'main');
    try {
      expect(base.commit).toBe(git(root, 'rev-parse', 'main'));
      expect(Object.keys(snapshotTree(base.root))).toEqual([
        'clusters/dev.ts',
        'lib/ports.ts',
        'projects/_rails.ts',
        'projects/docs.yaml',
        'projects/my-app.ts',
        'projects/notes-api.ts',
        'projects/shared/images.ts',
        'projects/shop.ts',
      ]);
      const loaded = await validateFleet(base.root);
      expect(loaded.problems).toEqual([]);
      expect(loaded.fleet!.projects.map((p) => p.name)).toEqual(['docs', 'my-app', 'notes-api', 'shop']);
      expect(shopImage(loaded.fleet)).toBe('ghcr.io/example/shop:2026.11.3');
      expect(loaded.fleet!.projects.find((p) => p.name === 'shop')!.containers[0]!.ports).toEqual([{ name: 'http', port: 3000, protocol: 'TCP' }]);
      expect(shopImage((await validateFleet(root)).fleet)).toBe('ghcr.io/example/shop:2027.1.0');
    } finally {
      base.remove();
    }
    expect(existsSync(base.root)).toBe(false);
    expect(git(root, 'status', '--porcelain')).toBe('M projects/shared/images.ts');
  });

  it('GIVEN a fleet in a subfolder of the repository importing a module two levels up WHEN extracted THEN that module lands at its place and the fleet loads', async () => {
    const top = tempRoot();
    const root = join(top, 'platform', 'fleet');
    mkdirSync(join(top, 'platform'));
    renameSync(copyOfExamples(), root);
    useHelperModules(root, join(top, 'shared-lib'));
    git(top, 'init', '-q', '-b', 'main');
    commit(top);

    const base = await extractDefinitionsAt(root, 'main');
    try {
      expect(base.root).toMatch(/\/devfleet-diff-base-[^/]+\/platform\/fleet$/);
      expect(existsSync(join(base.root, '..', '..', 'shared-lib', 'ports.ts'))).toBe(true);
      const loaded = await validateFleet(base.root);
      expect(loaded.problems).toEqual([]);
      expect(shopImage(loaded.fleet)).toBe('ghcr.io/example/shop:2026.11.3');
    } finally {
      base.remove();
    }
  });

  it('GIVEN a definition importing a file the commit does not have WHEN extracted and loaded THEN the load names the definition, as validate would', async () => {
    const root = copyOfExamples();
    useHelperModules(root);
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'rm', '-q', '--cached', 'projects/shared/images.ts');
    git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'forgot a file');
    const base = await extractDefinitionsAt(root, 'main');
    try {
      expect(existsSync(join(base.root, 'projects', 'shared', 'images.ts'))).toBe(false);
      const { problems } = await validateFleet(base.root);
      expect(problems.map((p) => `${p.file}: ${p.path}`)).toEqual(['projects/shop.ts: (file)']);
      expect(problems[0]!.message).toMatch(/^could not be loaded: Cannot find module '\.\/shared\/images\.ts'.*; fix the TypeScript so it runs$/);
    } finally {
      base.remove();
    }
  });
});
