/**
 * Read-only commands work on the valid part of the fleet: another project's mistake is one warning
 * on stderr, not a refusal (generators/cli/warn-skipped.ts, definitions/load-fleet.ts loadValidPart).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples } from '../helpers/fixtures.ts';

const PROBLEM = 'projects/docs.yaml: containers[0].ports[0].port:';
const LEFT_OUT = 'devfleet: warning: left out 1 invalid definition(s) (projects/docs.yaml): their envs are not in this output; `devfleet synth` refuses until they are fixed';

let root: string;
beforeAll(() => {
  root = copyOfExamples();
  const docs = join(root, 'projects', 'docs.yaml');
  writeFileSync(docs, readFileSync(docs, 'utf8').replace('port: 8080', 'port: "8080"'));
});

const warnings = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('devfleet: warning: '));

describe('read-only commands with another project invalid', () => {
  it.each([
    [['list', '--json']],
    [['list']],
    [['open', 'my-app', '--developer', 'alice', '--print']],
    [['cost', '--json']],
    [['render', '--env', 'alice/my-app']],
    [['render']],
    [['swap', 'my-app:go', '--developer', 'alice', '--print', '--', 'go', 'run', '.']],
  ])('GIVEN projects/docs.yaml invalid WHEN %j runs THEN it works on the rest, warns once naming the problem and exits 0', async (argv) => {
    const dashes = argv.includes('--') ? argv.indexOf('--') : argv.length;
    const result = await runCli(...argv.slice(0, dashes), '--root', root, ...argv.slice(dashes));
    expect(result.code, result.stderr).toBe(0);
    const lines = warnings(result.stderr);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`devfleet: warning: ${PROBLEM}`);
    expect(lines[1]).toBe(LEFT_OUT);
    expect(result.stderr).not.toContain('nothing was written');
    expect(result.stdout).not.toContain('docs--');
  });

  it('GIVEN projects/docs.yaml invalid WHEN list --json runs THEN every other env is listed', async () => {
    const rows = JSON.parse((await runCli('list', '--root', root, '--json')).stdout) as { project: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.project))).toEqual(new Set(['my-app', 'notes-api', 'shop']));
  });

  it.each([
    [['open', 'docs', '--developer', 'alice', '--print']],
    [['render', '--env', 'alice/docs']],
  ])('GIVEN projects/docs.yaml invalid WHEN %j asks for it THEN it exits 1 with its problem, and does not claim to have written nothing', async (argv) => {
    const result = await runCli(...argv, '--root', root);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toContain(PROBLEM);
    expect(result.stderr.split('\n').at(-1)).toBe('devfleet: 1 problem(s) in 1 file(s)');
    expect(result.stdout).toBe('');
  });

  it.each([[['validate']], [['synth', '--check']]])('GIVEN projects/docs.yaml invalid WHEN %j runs THEN it still refuses (exit 1)', async (argv) => {
    const result = await runCli(...argv, '--root', root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(PROBLEM);
    expect(result.stderr.split('\n').at(-1)).toBe('devfleet: 1 problem(s) in 1 file(s); nothing was written');
  });

  it('GIVEN the cluster definition invalid WHEN list runs THEN it refuses: every env depends on it', async () => {
    const broken = copyOfExamples();
    const dev = join(broken, 'clusters', 'dev.ts');
    writeFileSync(dev, readFileSync(dev, 'utf8').replace("timeZone: '", "timeZone: 'Nowhere/"));
    const result = await runCli('list', '--root', broken);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('clusters/dev.ts: timeZone:');
  });
});

describe('a project shared with an invalid one', () => {
  it('GIVEN docs shares a secret with project broken AND broken is invalid WHEN list runs THEN docs stays, and the only warning is broken\'s own problem', async () => {
    await expectDocsKeptBesideBroken(`secrets:\n  docs-search:\n    shareWith: [broken]\n`, '');
  });

  it('GIVEN docs reads a key broken shares with it AND broken is invalid WHEN list runs THEN docs stays, and the only warning is broken\'s own problem', async () => {
    await expectDocsKeptBesideBroken(`secrets:\n  search-key:\n    remoteKey: devfleet/dev/broken/search-key\n`, 'secrets:\n  search-key:\n    shareWith: [docs]\n');
  });

  it('GIVEN the same files WHEN validated THEN only broken\'s problem is reported: a shareWith naming a project whose file has problems is not one more', async () => {
    const shared = copyOfExamples();
    const docs = join(shared, 'projects', 'docs.yaml');
    writeFileSync(docs, `${readFileSync(docs, 'utf8')}secrets:\n  docs-search:\n    shareWith: [broken]\n`);
    writeFileSync(join(shared, 'projects', 'broken.yaml'), 'name: broken\ncontainers: []\n');
    const result = await runCli('validate', '--root', shared);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').at(-1)).toBe('devfleet: 1 problem(s) in 1 file(s); nothing was written');
    expect(result.stderr).toContain('projects/broken.yaml: containers:');
  });
});

/**
 * docs.yaml gains `docsExtra`; broken.yaml (an unpinned image, so invalid) ends with `brokenExtra`.
 * `list --json` keeps docs and every other valid project, and warns only about broken's own problem.
 */
async function expectDocsKeptBesideBroken(docsExtra: string, brokenExtra: string): Promise<void> {
  const shared = copyOfExamples();
  const docs = join(shared, 'projects', 'docs.yaml');
  writeFileSync(docs, `${readFileSync(docs, 'utf8')}${docsExtra}`);
  writeFileSync(join(shared, 'projects', 'broken.yaml'), `name: broken\ncontainers:\n  - name: app\n    image: nginx\n${brokenExtra}`);
  const result = await runCli('list', '--root', shared, '--json');
  expect(result.code, result.stderr).toBe(0);
  expect(new Set((JSON.parse(result.stdout) as { project: string }[]).map((r) => r.project))).toEqual(new Set(['docs', 'my-app', 'notes-api', 'shop']));
  const lines = warnings(result.stderr);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toContain('devfleet: warning: projects/broken.yaml: containers[0].image: "nginx" is not valid');
  expect(lines[1]).toContain('left out 1 invalid definition(s) (projects/broken.yaml)');
}
