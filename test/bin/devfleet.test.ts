/**
 * Every command as it ships: `bin/devfleet.js` running the esbuild bundle in dist/ (bin/build.js),
 * not the TypeScript sources the other CLI tests import. A bundle can break what the sources do
 * (a dynamic import() of a bundled CommonJS package has only a default export there: `cost
 * --prices` crashed with "Ajv is not a constructor"), so each command's happy path and one typical
 * error run here in a child process: exit 0, or 1/2 with a `devfleet:` message, never an
 * "unexpected error". `up`, `down` and `status` talk to a local stand-in of the Kubernetes API
 * (test/helpers/kube-stand-in.ts). One build, the commands a few at a time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, isFresh, type BuiltImport } from '../../bin/build.js';
import { copyOfExamples, REPO, tempRoot } from '../helpers/fixtures.ts';
import { KubeStandIn } from '../helpers/kube-stand-in.ts';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A copy of the package (sources, bin, manifest) with its own dist/; node_modules is shared. */
function copyOfPackage(): string {
  const root = tempRoot();
  for (const entry of ['bin', 'generators', 'package.json', 'tsconfig.json']) cpSync(join(REPO, entry), join(root, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  return root;
}

/** The examples with their generated tree and Terraform inputs (what `synth --check` compares). */
function examples(): string {
  const root = copyOfExamples({ withGenerated: true });
  cpSync(join(REPO, 'terraform', 'clusters'), join(root, 'terraform', 'clusters'), { recursive: true });
  return root;
}

const labels = (project: string) => ({ 'app.kubernetes.io/name': project, 'app.kubernetes.io/instance': project, 'app.kubernetes.io/part-of': 'devfleet' });

let pkg: string;
let outputs: Record<string, readonly BuiltImport[]>;
let kube: KubeStandIn;
let env: NodeJS.ProcessEnv;

/** Runs the built CLI of the package copy in a child process (asynchronously: the stand-in answers from this process). */
function devfleet(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(pkg, 'bin', 'devfleet.js'), ...args], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Case {
  readonly name: string;
  readonly args: () => string[];
  readonly code: number;
  /** Further checks of the output. */
  readonly then?: (run: Run) => void;
  /** Environment variables set for this run only. */
  readonly env?: () => NodeJS.ProcessEnv;
}

const cases: Case[] = [];
const happy = (name: string, args: () => string[], then?: Case['then']) => cases.push({ name, args, code: 0, then });
const error = (name: string, code: 1 | 2, args: () => string[], then?: Case['then']) => cases.push({ name, args, code, then });

// Paths of the fixtures, made in beforeAll.
const at = { examples: '', invalid: '', stale: '', fresh: '', notGit: '', prices: '', badPrices: '', unreachable: '', noGitPath: '', notKubeconfig: '', badCompose: '', utf16: '', latin1: '', xdg: '', xdgTypo: '' };
const whoAmI = ['--developer', 'alice'];

happy('--help', () => ['--help'], (r) => expect(r.stdout).toContain('Usage: devfleet'));
happy('--version', () => ['--version'], (r) => expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version));

happy('validate', () => ['validate', '--root', at.examples], (r) => expect(r.stdout).toMatch(/^ok: /));
error('validate of an invalid project', 1, () => ['validate', '--root', at.invalid], (r) => expect(r.stderr).toContain('projects/broken.yaml: '));

happy('synth --check', () => ['synth', '--check', '--root', at.examples]);
error('synth --check of a tree edited by hand', 1, () => ['synth', '--check', '--root', at.stale], (r) => expect(r.stderr).toContain('clusters/dev/apps/appproject.yaml'));

happy('render --env', () => ['render', '--root', at.examples, '--env', 'alice/shop'], (r) => expect(r.stdout).toContain('kind: Deployment'));
error('render of an unknown developer', 1, () => ['render', '--root', at.examples, '--env', 'zed/shop']);

happy('list --json', () => ['list', '--json', '--root', at.examples], (r) => expect((JSON.parse(r.stdout) as { developer: string; project: string }[]).map((e) => `${e.developer}/${e.project}`)).toContain('alice/shop'));
error('list of an unknown cluster', 2, () => ['list', '--root', at.examples, '--cluster', 'nope']);

happy('cost --json', () => ['cost', '--json', '--root', at.examples], (r) => expect(JSON.parse(r.stdout)).toHaveProperty('prices.file', 'generators/cost/prices.json'));
happy('cost --json --prices <a copy of the bundled prices>', () => ['cost', '--json', '--root', at.examples, '--prices', at.prices], (r) => expect(JSON.parse(r.stdout)).toHaveProperty('prices.date'));
error('cost --prices with a wrong date', 1, () => ['cost', '--root', at.examples, '--prices', at.badPrices], (r) => expect(r.stderr).toMatch(/prices\.json: date: /));
error('cost of an unknown cluster', 2, () => ['cost', '--json', '--root', at.examples, '--cluster', 'nope']);

happy('diff --base HEAD', () => ['diff', '--root', at.examples, '--base', 'HEAD', '--format', 'json'], (r) => expect(JSON.parse(r.stdout)).toHaveProperty('head.valid', true));
error('diff outside a git repository', 2, () => ['diff', '--root', at.notGit, '--base', 'HEAD']);

happy('new --help', () => ['new', '--help'], (r) => expect(r.stdout).toContain('Usage: devfleet new'));
happy('new demo --image nginx:1.27 ... (then synth)', () => ['new', 'demo', '--image', 'nginx:1.27', '--port', 'http:80', '--route', 'demo.example.com', '--root', at.fresh], (r) => expect(r.stdout).toContain('projects/demo.ts'));
error('new with an image without a tag', 1, () => ['new', 'demo2', '--image', 'nginx', '--port', 'http:80', '--no-synth', '--root', at.fresh], (r) => expect(r.stderr).toContain('projects/demo2.ts: '));

happy('import compose --dry-run (a real compose file; the vendored Compose schema is read from the package)', () => ['import', 'compose', join(REPO, 'test/fixtures/compose/django/compose.yaml'), '--registry', 'ghcr.io/acme', '--dry-run', '--root', at.examples], (r) => expect(r.stdout).toContain("image: 'ghcr.io/acme/django-web:dev',"));
error('import compose of a file the schema refuses', 1, () => ['import', 'compose', at.badCompose, '--dry-run', '--root', at.examples], (r) => expect(r.stderr).toMatch(/compose\.yaml: services\.web\.portz: is not a field Compose knows/));

happy('status --json', () => ['status', '--json', '--root', at.examples, ...whoAmI], (r) => expect((JSON.parse(r.stdout) as { project: string }[]).map((e) => e.project)).toContain('docs'));
error('status against an unreachable API server', 1, () => ['status', '--root', at.examples, ...whoAmI, '--context', 'unreachable']);
happy('up --help', () => ['up', '--help'], (r) => expect(r.stdout).toContain('Usage: devfleet up'));
happy('up', () => ['up', 'shop', '--root', at.examples, ...whoAmI], (r) => expect(r.stdout).toContain('https://'));
error('up of an unknown project', 1, () => ['up', 'nosuch', '--root', at.examples, ...whoAmI]);
happy('down', () => ['down', 'notes-api', '--root', at.examples, ...whoAmI]);
error('down against an unreachable API server', 1, () => ['down', 'docs', '--root', at.examples, ...whoAmI, '--context', 'unreachable']);

happy('open --print', () => ['open', 'shop', '--print', '--root', at.examples, ...whoAmI], (r) => expect(r.stdout).toMatch(/^https:\/\//));
error('open of an unknown project', 1, () => ['open', 'nosuch', '--print', '--root', at.examples, ...whoAmI]);
happy('swap --print', () => ['swap', 'shop', '--print', '--root', at.examples, ...whoAmI, '--', 'rails', 's'], (r) => expect(r.stdout).toContain('telepresence'));
error('swap of an unknown project', 1, () => ['swap', 'nosuch', '--print', '--root', at.examples, ...whoAmI, '--', 'rails', 's']);

// A newcomer's mistakes outside the definitions: each is a clear devfleet: message, never an "unexpected error".
const withEnv = (name: string, code: 0 | 1 | 2, extra: () => NodeJS.ProcessEnv, args: () => string[], then?: Case['then']) => cases.push({ name, args, code, then, env: extra });
withEnv('status with a kubeconfig that is not YAML', 1, () => ({ KUBECONFIG: at.notKubeconfig }), () => ['status', '--root', at.examples, ...whoAmI], (r) => expect(r.stderr).toContain(`devfleet: kubeconfig ${at.notKubeconfig} could not be read (`));
withEnv('open --print without git on PATH (who am I?)', 1, () => ({ PATH: at.noGitPath, DEVFLEET_DEVELOPER: '' }), () => ['open', 'shop', '--print', '--root', at.examples], (r) => expect(r.stderr).toContain('git could not be run (is it installed and on PATH?)'));
withEnv('diff without git on PATH', 2, () => ({ PATH: at.noGitPath }), () => ['diff', '--root', at.examples, '--base', 'HEAD'], (r) => expect(r.stderr).toContain('devfleet: git could not be run'));
error('diff --full-output under a file, refused before any work', 2, () => ['diff', '--root', at.examples, '--base', 'HEAD', '--full-output', join(at.prices, 'diff.md')], (r) => expect(r.stderr).toContain(`devfleet: --full-output ${join(at.prices, 'diff.md')}: ${at.prices} is a file, not a folder`));
error('validate of a YAML project saved as UTF-16', 1, () => ['validate', '--root', at.utf16], (r) => expect(r.stderr).toContain('projects/docs.yaml: (file): is encoded as UTF-16; save it as UTF-8'));
error('validate of a YAML project saved as Latin-1', 1, () => ['validate', '--root', at.latin1], (r) => expect(r.stderr).toContain('projects/docs.yaml: (file): is not valid UTF-8'));
withEnv('open --print with the developer named in the config file only', 0, () => ({ XDG_CONFIG_HOME: at.xdg, DEVFLEET_DEVELOPER: '' }), () => ['open', 'shop', '--print', '--root', at.examples], (r) => expect(r.stdout.trim()).toBe('https://shop-example-com--bob.dev.example.com'));
withEnv('open --print with a misspelt field in the config file', 1, () => ({ XDG_CONFIG_HOME: at.xdgTypo, DEVFLEET_DEVELOPER: '' }), () => ['open', 'shop', '--print', '--root', at.examples], (r) => expect(r.stderr).toContain(`${join(at.xdgTypo, 'devfleet', 'config.yaml')}: developr: unknown field "developr"; did you mean "developer"?`));
error('new --from-issue <a folder>', 2, () => ['new', '--from-issue', at.noGitPath, '--root', at.fresh], (r) => expect(r.stderr).toContain(`devfleet: --from-issue ${at.noGitPath}: is a folder`));
error('list --root "" (an unset variable)', 2, () => ['list', '--root', ''], (r) => expect(r.stderr).toContain('devfleet: --root "": give a folder'));

const results = new Map<string, Run>();

beforeAll(async () => {
  pkg = copyOfPackage();
  ({ outputs } = await build({ root: pkg }));

  at.examples = examples();
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=devfleet', '-c', 'user.email=devfleet@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: at.examples, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'examples');

  at.invalid = examples();
  writeFileSync(join(at.invalid, 'projects', 'broken.yaml'), 'name: broken\ncontainers: []\n');
  at.stale = examples();
  writeFileSync(join(at.stale, 'clusters', 'dev', 'apps', 'appproject.yaml'), '# edited by hand\n');
  at.fresh = examples();
  at.notGit = examples();
  const prices = readFileSync(join(REPO, 'generators', 'cost', 'prices.json'), 'utf8');
  const dir = tempRoot();
  at.prices = join(dir, 'prices.json');
  writeFileSync(at.prices, prices);
  mkdirSync(join(dir, 'bad'));
  at.badPrices = join(dir, 'bad', 'prices.json');
  writeFileSync(at.badPrices, JSON.stringify({ ...JSON.parse(prices), date: 'yesterday' }, null, 2));
  at.badCompose = join(tempRoot({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    portz: [80]\n' }), 'compose.yaml');

  // The docs project as a Windows editor's "Unicode" (UTF-16 LE with its byte-order mark) and as Latin-1.
  const docs = readFileSync(join(REPO, 'projects', 'docs.yaml'), 'utf8');
  at.utf16 = examples();
  writeFileSync(join(at.utf16, 'projects', 'docs.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(docs, 'utf16le')]));
  at.latin1 = examples();
  writeFileSync(join(at.latin1, 'projects', 'docs.yaml'), Buffer.from(docs.replace('Product documentation', 'Produkt-Dokumentation für alle'), 'latin1'));
  at.xdg = tempRoot({ 'devfleet/config.yaml': 'developer: bob\n' });
  at.xdgTypo = tempRoot({ 'devfleet/config.yaml': 'developr: bob\n' });
  at.noGitPath = tempRoot();
  at.notKubeconfig = join(tempRoot(), 'kubeconfig');
  writeFileSync(at.notKubeconfig, 'garbage: [\n');

  kube = new KubeStandIn();
  await kube.start();
  kube.add({ namespace: 'dev-alice', name: 'shop', labels: labels('shop'), replicas: 0, readyReplicas: 0 });
  kube.add({ namespace: 'dev-alice', name: 'docs', labels: labels('docs'), replicas: 1, readyReplicas: 1, scaledAt: '2026-11-25T00:30:00Z', scaledBy: 'devfleet' });
  kube.add({ namespace: 'dev-alice', name: 'notes-api', labels: labels('notes-api'), replicas: 1, readyReplicas: 1 });
  // A second context whose server refuses connections (a port the stand-in held and gave back).
  const kubeconfig = kube.kubeconfig(tempRoot(), 'developer-token');
  const closed = new KubeStandIn();
  await closed.start();
  await closed.stop();
  const text = readFileSync(kubeconfig, 'utf8');
  writeFileSync(kubeconfig, `${text.replace(/^clusters:\n/m, `clusters:\n  - name: unreachable\n    cluster:\n      server: http://127.0.0.1:${closed.port}\n      insecure-skip-tls-verify: true\n`).replace(/^contexts:\n/m, 'contexts:\n  - name: unreachable\n    context:\n      cluster: unreachable\n      user: me\n')}`);
  env = { ...process.env, KUBECONFIG: kubeconfig, DEVFLEET_POLL_MS: '10', DEVFLEET_KEDA_TIMEOUT: '1s', NO_COLOR: '1' };

  // bin/devfleet.js runs dist/ only while it matches the sources; otherwise it would test the sources.
  expect(isFresh({ root: pkg })).toBe(true);
  // Three at a time: the machine is shared, and most of a run is Node starting.
  const queue = [...cases];
  await Promise.all(
    [0, 1, 2].map(async () => {
      for (let next = queue.shift(); next; next = queue.shift()) results.set(next.name, await devfleet(next.args(), next.env?.()));
    }),
  );
  expect(isFresh({ root: pkg })).toBe(true);
}, 300_000);

afterAll(async () => {
  await kube?.stop();
});

describe('the built CLI (bin/devfleet.js running dist/)', () => {
  it.each(cases.map((c) => [c.code === 0 ? `GIVEN the examples WHEN \`devfleet ${c.name}\` runs THEN it exits 0` : `GIVEN ${c.name} WHEN it runs THEN it exits ${c.code} with a devfleet: message`, c] as const))('%s', (_, c) => {
    const run = results.get(c.name)!;
    const said = `devfleet ${c.args().join(' ')}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr}`;
    expect(run.stderr, said).not.toContain('unexpected error');
    expect(run.code, said).toBe(c.code);
    if (c.code !== 0) expect(run.stderr.split('\n').some((line) => line.startsWith('devfleet: ')), said).toBe(true);
    c.then?.(run);
  });

  it('GIVEN stdout on a full device (/dev/full) WHEN render writes to it THEN it says so in one devfleet: line and exits 1, not with a stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = spawnSync(process.execPath, [join(pkg, 'bin', 'devfleet.js'), 'render', '--root', at.examples, '--env', 'alice/shop'], { env, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(run.stderr).toBe('devfleet: could not write the output (ENOSPC); check where stdout goes (a full disk?) and run again\n');
      expect(run.status).toBe(1);
    } finally {
      closeSync(full);
    }
  });

  it('GIVEN the bundled prices WHEN costed with and without --prices pointing at a copy THEN the estimates are the same', () => {
    const bundled = JSON.parse(results.get('cost --json')!.stdout) as { prices: { file: string } };
    const copied = JSON.parse(results.get('cost --json --prices <a copy of the bundled prices>')!.stdout) as { prices: { file: string } };
    expect(copied.prices.file).toBe(at.prices);
    expect({ ...copied, prices: { ...copied.prices, file: '' } }).toEqual({ ...bundled, prices: { ...bundled.prices, file: '' } });
  });

  it('GIVEN the build WHEN a chunk is loaded by import() THEN it is code of ours, never a bundled CommonJS package (whose import() gives a default export only, unlike Node\'s)', () => {
    const dynamic = [...new Set(Object.values(outputs).flat().filter((i) => i.kind === 'dynamic-import' && !i.external).map((i) => i.path))];
    expect(dynamic.length).toBeGreaterThan(5);
    const commonJs = dynamic.filter((file) => /^export default require_[\w$]+\(\);?\s*$/m.test(readFileSync(join(pkg, 'dist', file), 'utf8')));
    expect(commonJs).toEqual([]);
  });
});
