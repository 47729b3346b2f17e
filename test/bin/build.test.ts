/**
 * The compiled CLI (bin/build.js): what each command loads at start-up, and that bin/devfleet.js
 * never runs a build older than the sources.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, isFresh, type BuiltImport } from '../../bin/build.js';
import { REPO, tempRoot } from '../helpers/fixtures.ts';

/** Packages a command may load at start-up only if it is that command's own business. */
const HEAVY = ['cdk8s', 'cdk8s-plus-27', 'constructs', '@kubernetes/client-node', '@octokit/rest', '@octokit/plugin-retry', '@octokit/plugin-throttling', '@inquirer/prompts', 'open', 'jiti', 'tsx'];

/** Every package or built-in loaded when `from` is imported, following static imports (not import()). */
function staticExternals(outputs: Record<string, readonly BuiltImport[]>, from: string): string[] {
  const seen = new Set<string>();
  const externals = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of outputs[file] ?? []) {
      if (i.kind === 'dynamic-import') continue;
      if (i.external) externals.add(i.path);
      else visit(i.path);
    }
  };
  visit(from);
  return [...externals].sort();
}

/** A copy of the package (sources, bin, manifest) that tests may edit; node_modules is shared. */
function copyOfPackage(): string {
  const root = tempRoot();
  for (const entry of ['bin', 'generators', 'package.json', 'tsconfig.json']) cpSync(join(REPO, entry), join(root, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  return root;
}

describe('the compiled CLI', () => {
  let outputs: Record<string, readonly BuiltImport[]>;
  beforeAll(async () => {
    ({ outputs } = await build({ outdir: join(tempRoot(), 'dist') }));
  });

  it('GIVEN the build WHEN `devfleet --help` starts THEN it loads no package, only Node built-ins', () => {
    expect(staticExternals(outputs, 'main.js').filter((s) => !s.startsWith('node:'))).toEqual([]);
  });

  it('GIVEN the build WHEN a command starts THEN it loads only its own heavy packages (none for validate and list; no Kubernetes client, GitHub client or prompts for synth)', () => {
    const chunkOf = (command: string) => Object.keys(outputs).find((f) => new RegExp(`^chunks/${command}-[A-Z0-9]+\\.js$`).test(f))!;
    const heavy = (command: string) => staticExternals(outputs, chunkOf(command)).filter((s) => HEAVY.includes(s));
    expect(heavy('validate')).toEqual([]);
    expect(heavy('list')).toEqual([]);
    expect(heavy('synth').filter((s) => !['cdk8s', 'cdk8s-plus-27', 'constructs'].includes(s))).toEqual([]);
    expect(heavy('up-down')).toEqual(['@kubernetes/client-node']);
    expect(heavy('status')).toEqual(['@kubernetes/client-node']);
    expect(heavy('open')).toEqual(['open']);
  });

  it('GIVEN the build WHEN a TypeScript definition is read THEN jiti is loaded by import(), at that moment only', () => {
    const dynamic = Object.values(outputs).flatMap((imports) => imports.filter((i) => i.external && i.kind === 'dynamic-import').map((i) => i.path));
    expect(dynamic).toContain('jiti');
    expect(Object.values(outputs).flat().filter((i) => i.path === 'jiti' && i.kind !== 'dynamic-import')).toEqual([]);
  });
});

describe('bin/devfleet.js and the freshness of dist/', () => {
  const help = (root: string) => spawnSync(process.execPath, [join(root, 'bin', 'devfleet.js'), '--help'], { encoding: 'utf8' });
  const MARK = 'Hundreds of Kubernetes development environments from one Git repository.';

  it('GIVEN a build of the sources WHEN a source is only touched THEN the build stays fresh; WHEN its content changes THEN it is stale', async () => {
    const root = copyOfPackage();
    await build({ root });
    expect(isFresh({ root })).toBe(true);
    const main = join(root, 'generators', 'cli', 'main.ts');
    const later = new Date(Date.now() + 60_000);
    utimesSync(main, later, later);
    expect(isFresh({ root })).toBe(true);
    writeFileSync(main, readFileSync(main, 'utf8').replace(MARK, 'Edited.'));
    utimesSync(main, later, later);
    expect(isFresh({ root })).toBe(false);
  });

  it('GIVEN a build WHEN a source is replaced by a different text of the same size with an OLDER date THEN it is stale', async () => {
    const root = copyOfPackage();
    await build({ root });
    const main = join(root, 'generators', 'cli', 'main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace('Hundreds', 'Thousand'));
    const earlier = new Date(Date.now() - 86_400_000);
    utimesSync(main, earlier, earlier);
    expect(isFresh({ root })).toBe(false);
  });

  it('GIVEN no build WHEN the build stamp is missing THEN the build is not fresh', async () => {
    const root = copyOfPackage();
    await build({ root });
    rmSync(join(root, 'dist', 'build.json'));
    expect(isFresh({ root })).toBe(false);
  });

  it('GIVEN a build older than an edited source WHEN bin/devfleet.js runs THEN it runs the edited TypeScript, not the build', async () => {
    const root = copyOfPackage();
    await build({ root });
    const built = help(root);
    expect(built.status).toBe(0);
    expect(built.stdout).toContain(MARK);

    const main = join(root, 'generators', 'cli', 'main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace(MARK, 'Edited after the build.'));
    const later = new Date(Date.now() + 60_000);
    utimesSync(main, later, later);
    const edited = help(root);
    expect(edited.status).toBe(0);
    expect(edited.stdout).toContain('Edited after the build.');
  });

  it('GIVEN no dist/ at all (npm ci --ignore-scripts) WHEN bin/devfleet.js runs THEN it runs the TypeScript sources', () => {
    const root = copyOfPackage();
    rmSync(join(root, 'dist'), { recursive: true, force: true });
    const result = help(root);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(MARK);
  });
});
