/**
 * The compiled CLI (bin/build.js): what each command loads at start-up, and that bin/devfleet.js
 * never runs a build older than the sources.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, isFresh, type BuiltImport } from '../../bin/build.js';
import { REPO, tempRoot } from '../helpers/fixtures.ts';
import { groupAlive } from '../helpers/process-groups.ts';

/** Packages a command may load at start-up only if it is that command's own business. */
const HEAVY = ['cdk8s', 'cdk8s-plus-27', 'constructs', '@kubernetes/client-node', '@octokit/rest', '@octokit/plugin-retry', '@octokit/plugin-throttling', '@inquirer/prompts', 'open', 'tsx'];

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
});

describe('TypeScript definitions from the built CLI', () => {
  const inRepo: string[] = [];
  let outdir = '';
  beforeAll(async () => {
    // Built inside the repository (so packages resolve from its node_modules), never over dist/,
    // which other test files run at the same time.
    outdir = join(mkdtempSync(join(REPO, '.devfleet-tmp-')), 'dist');
    inRepo.push(dirname(outdir));
    await build({ outdir });
  });
  afterAll(() => {
    for (const dir of inRepo.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `validate --root` with the compiled CLI in a fresh process; says which packages it loaded itself. */
  const validate = (root: string, env: NodeJS.ProcessEnv = {}) => {
    const script = `
      import { createRequire } from 'node:module';
      const { main } = await import(${JSON.stringify(join(outdir, 'main.js'))});
      const problems = [];
      const code = await main(['validate', '--root', ${JSON.stringify(root)}], { stdout: () => {}, stderr: (l) => problems.push(l), interactive: false });
      const loaded = (name) => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/' + name + '/'));
      console.log(JSON.stringify({ code, problems, esbuild: loaded('esbuild') }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
    return JSON.parse(run.stdout.trim()) as { code: number; problems: string[]; esbuild: boolean };
  };
  const cluster = { name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.com/lab.git' } };

  it('GIVEN definitions in YAML only WHEN validated THEN the bundler does not load; GIVEN TypeScript THEN it does', () => {
    const yamlOnly = tempRoot({ 'clusters/lab.yaml': 'name: lab\ndomain: lab.example.com\ntimeZone: UTC\ndevelopers: [{ name: ann }]\nargocd: { repoURL: https://git.example.com/lab.git }\n' });
    expect(validate(yamlOnly)).toEqual({ code: 0, problems: [], esbuild: false });
    const withTs = tempRoot({ 'clusters/lab.ts': `export default ${JSON.stringify(cluster)};\n` });
    expect(validate(withTs)).toEqual({ code: 0, problems: [], esbuild: true });
  });

  it('GIVEN a definition that reads a token from the environment and writes a file WHEN the built CLI validates THEN it saw no token and the write was refused (the sandbox runs from dist/ too)', () => {
    const target = join(tempRoot(), 'pwned.txt');
    const root = tempRoot({
      'clusters/lab.ts': `export default { ...${JSON.stringify(cluster)}, name: process.env.DEVFLEET_TEST_TOKEN ?? 'lab' };\n`,
      'projects/evil.ts': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(target)}, 'x');\nexport default {};\n`,
    });
    const result = validate(root, { DEVFLEET_TEST_TOKEN: 'ghp_token' });
    expect(result.problems).toEqual([
      `projects/evil.ts: (file): could not be loaded: writing ${target} was refused: definitions may not write files (line 2, column 1); fix the TypeScript so it runs`,
      'devfleet: 1 problem(s) in 1 file(s); nothing was written',
    ]);
    expect(existsSync(target)).toBe(false);
  });
});

describe('sandboxes when the built CLI is stopped', () => {
  it('GIVEN validate evaluating an endless loop WHEN devfleet gets SIGTERM THEN the sandbox\'s process group is killed with it', async () => {
    const root = tempRoot({ 'projects/loop.ts': 'while (true) {}\nexport default {};\n' });
    const cli = spawn(process.execPath, [join(REPO, 'bin', 'devfleet.js'), 'validate', '--root', root], { stdio: 'ignore' });
    const sandboxes = () => spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(cli.pid)], { encoding: 'utf8' }).stdout.split('\n').filter((line) => line.includes('--experimental-permission')).map((line) => Number(line.trim().split(' ')[0]));
    let found: number[] = [];
    for (let i = 0; i < 300 && found.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found = sandboxes();
    }
    expect(found).toHaveLength(1);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => cli.on('exit', (_, signal) => resolve(signal)));
    cli.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    // Killed before devfleet ended; its exit is collected by whoever inherits it, a moment later.
    for (let i = 0; i < 50 && found.some(groupAlive); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(found.filter(groupAlive)).toEqual([]);
  }, 60_000);
});

describe('bin/devfleet.js and the freshness of dist/', () => {
  const help = (root: string) => spawnSync(process.execPath, [join(root, 'bin', 'devfleet.js'), '--help'], { encoding: 'utf8' });
  const MARK = 'Hundreds of Kubernetes development environments from one Git repository.';

  it('GIVEN a build of the sources WHEN a source is only touched THEN the build stays fresh; WHEN its content changes THEN it is stale', async () => {
    const root = copyOfPackage();
    await build({ root });
    expect(isFresh({ root })).toBe(true);
    const main = join(root, 'generators', 'cli', 'program', 'devfleet.ts'); // holds MARK
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
    const main = join(root, 'generators', 'cli', 'program', 'devfleet.ts'); // holds MARK
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

    const main = join(root, 'generators', 'cli', 'program', 'devfleet.ts'); // holds MARK
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
