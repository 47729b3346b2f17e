import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, REPO, snapshotTree } from '../helpers/fixtures.ts';

const inRepo: string[] = [];
afterAll(() => inRepo.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('devfleet validate', () => {
  it('GIVEN the bundled examples WHEN validated THEN it exits 0 and counts them', async () => {
    const result = await runCli('validate', '--root', copyOfExamples());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ok: 4 project(s), 1 cluster(s), 18 env(s)\n');
  });

  it('GIVEN an invalid project WHEN validated with --json THEN it exits 1 and lists the problem as data', async () => {
    const root = copyOfExamples();
    writeFileSync(join(root, 'projects', 'docs.yaml'), readFileSync(join(root, 'projects', 'docs.yaml'), 'utf8').replace('port: 8080', 'port: "8080"'));
    const result = await runCli('validate', '--root', root, '--json');
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { valid: boolean; problems: { file: string; path: string; line: number }[] };
    expect(parsed.valid).toBe(false);
    expect(parsed.problems).toEqual([expect.objectContaining({ file: 'projects/docs.yaml', path: 'containers[0].ports[0].port', line: 11 })]);
  });
});

describe('usage errors', () => {
  it.each([
    [['synth', '--no-such-flag']],
    [['render', '--env', 'alice']],
    [['frobnicate']],
    [['list', '--cluster']],
    [['completion', 'tcsh']],
  ])('GIVEN %j WHEN run THEN it exits 2 and says what is wrong, starting with devfleet: as every other message', async (argv) => {
    const result = await runCli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^devfleet: /);
    expect(result.stderr).not.toMatch(/^error:/m);
  });

  it('GIVEN no arguments WHEN run THEN it prints the help and exits 0, as git and kubectl do', async () => {
    const result = await runCli();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: devfleet');
    expect(result.stderr).toBe('');
  });

  it('GIVEN help for a command that does not exist WHEN run THEN it names it, suggests the closest and exits 2', async () => {
    const result = await runCli('help', 'vaildate');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("devfleet: unknown command 'vaildate'");
    expect(result.stderr).toContain('Did you mean validate?');
    expect((await runCli('help', 'cost')).stdout).toContain('Usage: devfleet cost');
  });

  it('GIVEN cost --prices with an empty value or a folder WHEN run THEN a usage error (2) or the folder named (1), never a JSON parse message', async () => {
    const empty = await runCli('cost', '--root', copyOfExamples(), '--prices', '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--prices "": give the path of a prices file');
    const folder = await runCli('cost', '--root', copyOfExamples(), '--prices', REPO);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain('is a folder; pass the path of a prices file');
  });

  it('GIVEN version or --version WHEN run THEN both print the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(await runCli('version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(await runCli('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('GIVEN --root at a folder without definitions WHEN run THEN it exits 2 naming the folder', async () => {
    const result = await runCli('validate', '--root', '/');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has neither projects/ nor clusters/');
  });

  it('GIVEN --help WHEN asked THEN every command is described with examples, exit 0', async () => {
    const result = await runCli('--help');
    expect(result.code).toBe(0);
    for (const word of ['validate', 'synth', 'render', 'list', 'Examples:', 'Exit codes']) expect(result.stdout).toContain(word);
    const synthHelp = await runCli('synth', '--help');
    expect(synthHelp.stdout).toContain('--check');
    expect(synthHelp.stdout).toContain('all-or-nothing');
  });
});

describe('devfleet synth --check', () => {
  it('GIVEN the committed repository WHEN checked THEN the generated tree is up to date', async () => {
    const result = await runCli('synth', '--check');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('GIVEN a generated file edited by hand, one deleted and one added WHEN checked THEN it exits 1 listing each, and writes nothing', async () => {
    const root = copyOfExamples({ withGenerated: true });
    const values = join(root, 'clusters/dev/charts/my-app/values.yaml');
    writeFileSync(values, `${readFileSync(values, 'utf8')}# edited\n`);
    rmSync(join(root, 'clusters/dev/apps/envs/bob/shop.yaml'));
    writeFileSync(join(root, 'clusters/dev/apps/extra.yaml'), 'kind: ConfigMap\n');
    const before = snapshotTree(join(root, 'clusters'));
    const result = await runCli('synth', '--root', root, '--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('clusters/dev/charts/my-app/values.yaml: differs from what the definitions generate');
    expect(result.stderr).toContain('clusters/dev/apps/envs/bob/shop.yaml: is missing');
    expect(result.stderr).toContain('clusters/dev/apps/extra.yaml: is not generated by any definition');
    expect(snapshotTree(join(root, 'clusters'))).toEqual(before);
  });
});

describe('--root inside the repository (relative path, real binary)', () => {
  it('GIVEN a copy of the examples in a folder of the repo WHEN synth, list and render run with a relative --root THEN they work there and leave the repo\'s own tree alone', () => {
    const dir = mkdtempSync(join(REPO, '.devfleet-tmp-'));
    inRepo.push(dir);
    cpSync(join(REPO, 'projects'), join(dir, 'projects'), { recursive: true });
    cpSync(join(REPO, 'clusters', 'dev.ts'), join(dir, 'clusters', 'dev.ts'));
    const rel = relative(REPO, dir);
    const run = (...args: string[]) => spawnSync(process.execPath, [join(REPO, 'bin/devfleet.js'), ...args, '--root', rel], { cwd: REPO, encoding: 'utf8' });
    expect(run('synth').status).toBe(0);
    expect(snapshotTree(join(dir, 'clusters', 'dev'))).toEqual(snapshotTree(join(REPO, 'clusters', 'dev')));
    const list = run('list', '--json');
    expect(list.status).toBe(0);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(18);
    expect(run('render', '--cluster', 'dev', '--env', 'bob/docs').stdout).toContain('docs--bob.dev.example.com');
  });
});

describe('devfleet list', () => {
  it('GIVEN the examples (behind the front door) WHEN listed as JSON THEN each env has the contract fields and joins no IngressGroup', async () => {
    const result = await runCli('list', '--root', copyOfExamples(), '--json');
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(18);
    expect(rows.find((r) => r.application === 'my-app--alice')).toEqual({
      cluster: 'dev',
      developer: 'alice',
      project: 'my-app',
      namespace: 'dev-alice',
      application: 'my-app--alice',
      hosts: ['my-app-com--alice.dev.example.com', 'api-my-app-com--alice.dev.example.com'],
      urls: ['https://my-app-com--alice.dev.example.com', 'https://api-my-app-com--alice.dev.example.com'],
      replicas: 0,
      ingressGroup: null,
      chart: 'clusters/dev/charts/my-app',
      argocd: 'https://localhost:8080/applications/argocd/my-app--alice',
      argocdDeveloper: 'https://localhost:8080/applications?labels=devfleet.dev%2Fdeveloper%3Dalice',
    });
    // notes-api is limited to alice, carol and dave.
    expect(rows.filter((r) => r.project === 'notes-api').map((r) => r.developer)).toEqual(['alice', 'carol', 'dave']);
  });

  it('GIVEN --developer WHEN listed THEN only that developer\'s envs; a name nobody has is refused with "did you mean"', async () => {
    const root = copyOfExamples();
    const rows = JSON.parse((await runCli('list', '--root', root, '--json', '--developer', 'carol')).stdout) as { developer: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.developer))).toEqual(new Set(['carol']));
    const typo = await runCli('list', '--root', root, '--developer', 'carl');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/^devfleet: "carl" is not a developer of any cluster; did you mean "carol"\? developers: alice, /);
  });

  it('GIVEN the examples WHEN listed as a table THEN there is a header and one row per env', async () => {
    const result = await runCli('list', '--root', copyOfExamples(), '--cluster', 'dev');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CLUSTER\s+ENV\s+NAMESPACE\s+APPLICATION\s+ARGO CD\s+URLS$/);
    expect(lines).toHaveLength(19);
    // The env is named by its identity, <developer>/<project>, and links to its own page in Argo CD.
    expect(lines.filter((line) => /^dev\s+alice\/my-app\s+dev-alice\s+my-app--alice\s+https:\/\/localhost:8080\/applications\/argocd\/my-app--alice\s+https:\/\/my-app-com--alice\.dev\.example\.com /.test(line))).toHaveLength(1);
  });

  it('GIVEN --developer WHEN listed as a table THEN a last line links to that developer\'s envs in Argo CD', async () => {
    const result = await runCli('list', '--root', copyOfExamples(), '--developer', 'bob');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe("Argo CD, bob's envs: https://localhost:8080/applications?labels=devfleet.dev%2Fdeveloper%3Dbob");
  });
});

describe('devfleet render', () => {
  it.each([
    ['nobody/my-app', '"nobody" is not a developer of cluster dev'],
    ['alice/nothing', 'there is no project "nothing"'],
    ['bob/notes-api', 'project "notes-api" is not deployed for "bob"'],
  ])('GIVEN the unknown env %s WHEN rendered THEN it exits 1 explaining why', async (env, why) => {
    const result = await runCli('render', '--root', copyOfExamples(), '--cluster', 'dev', '--env', env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(why);
  });

  it.each([
    [['render']],
    [['synth', '--check']],
    [['list']],
    [['up', 'my-app', '--developer', 'alice']],
    [['down', 'my-app', '--developer', 'alice']],
    [['status', '--developer', 'alice']],
    [['open', 'my-app', '--developer', 'alice', '--print']],
    [['swap', 'my-app', '--developer', 'alice', '--print', '--', 'go', 'run', '.']],
  ])('GIVEN an unknown cluster WHEN %j runs with --cluster nope THEN it is a usage error (exit 2) listing the clusters', async (argv) => {
    const root = copyOfExamples();
    writeFileSync(join(root, 'clusters', 'staging.ts'), readFileSync(join(root, 'clusters', 'dev.ts'), 'utf8').replace("name: 'dev'", "name: 'staging'").replace('dev.example.com', 'staging.example.com'));
    const dashes = argv.includes('--') ? argv.indexOf('--') : argv.length;
    const result = await runCli(...argv.slice(0, dashes), '--root', root, '--cluster', 'nope', ...argv.slice(dashes));
    expect(result.stderr).toBe('devfleet: --cluster nope: unknown cluster; defined clusters: dev, staging (see clusters/*.ts)');
    expect(result.code).toBe(2);
  });

  it('GIVEN one cluster WHEN render runs without --cluster THEN it renders that cluster, as with --cluster dev', async () => {
    const root = copyOfExamples();
    const implicit = await runCli('render', '--root', root, '--env', 'alice/my-app');
    expect(implicit.code).toBe(0);
    expect(implicit.stdout).toBe((await runCli('render', '--root', root, '--cluster', 'dev', '--env', 'alice/my-app')).stdout);
    expect(implicit.stdout).toContain('kind: Deployment');
  });

  it('GIVEN two clusters WHEN render runs without --cluster THEN it is a usage error naming both', async () => {
    const root = copyOfExamples();
    writeFileSync(join(root, 'clusters', 'staging.ts'), readFileSync(join(root, 'clusters', 'dev.ts'), 'utf8').replace("name: 'dev'", "name: 'staging'").replace('dev.example.com', 'staging.example.com'));
    const result = await runCli('render', '--root', root);
    expect(result.stderr).toBe('devfleet: there are 2 clusters; pass --cluster with one of: dev, staging');
    expect(result.code).toBe(2);
  });

  it('GIVEN a cluster WHEN every env is rendered THEN the output holds each env\'s Deployment once', async () => {
    const result = await runCli('render', '--root', copyOfExamples(), '--cluster', 'dev');
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^kind: Deployment$/gm)).toHaveLength(18);
  });
});
