/**
 * The compiled CLI (bin/build.js): what each command loads at start-up, and that bin/devfleet.js
 * never runs a build older than the sources.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('GIVEN the build WHEN no import of any chunk names jiti THEN it is loaded only by the TypeScript loader, at run time', () => {
    expect(Object.values(outputs).flat().filter((i) => i.path === 'jiti')).toEqual([]);
  });
});

describe('jiti at run time', () => {
  const inRepo: string[] = [];
  afterAll(() => {
    for (const dir of inRepo.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `validate --root` with the compiled CLI in a fresh process; says whether jiti was loaded. */
  const loadsJiti = (outdir: string, root: string) => {
    const script = `
      import { createRequire } from 'node:module';
      const { main } = await import(${JSON.stringify(join(outdir, 'main.js'))});
      const code = await main(['validate', '--root', ${JSON.stringify(root)}], { stdout: () => {}, stderr: (l) => console.error(l), interactive: false });
      const loaded = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/jiti/'));
      console.log(JSON.stringify({ code, loaded }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    return JSON.parse(run.stdout.trim()) as { code: number; loaded: boolean };
  };

  it('GIVEN definitions in YAML only or in TypeScript WHEN validated THEN jiti never loads in the CLI\'s own process (TypeScript is evaluated in the definition worker, generators/definitions/import-typescript.ts)', async () => {
    // Built inside the repository (so packages resolve from its node_modules), never over dist/,
    // which other test files run at the same time.
    const outdir = join(mkdtempSync(join(REPO, '.devfleet-tmp-')), 'dist');
    inRepo.push(dirname(outdir));
    await build({ outdir });
    const cluster = 'name: lab\ndomain: lab.example.com\ntimeZone: UTC\ndevelopers: [{ name: ann }]\nargocd: { repoURL: https://git.example.com/lab.git }\n';
    const yamlOnly = tempRoot({ 'clusters/lab.yaml': cluster });
    expect(loadsJiti(outdir, yamlOnly)).toEqual({ code: 0, loaded: false });
    const withTs = tempRoot({ 'clusters/lab.ts': `export default ${JSON.stringify({ name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.com/lab.git' } })};\n` });
    expect(loadsJiti(outdir, withTs)).toEqual({ code: 0, loaded: false });
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
