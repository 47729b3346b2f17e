/**
 * Acceptance of the diff bot, as .github/workflows/pr-diff.yml and pr-diff-comment.yml run it: a
 * pull request changing one project in a fleet of 1,000 envs gets ONE comment under GitHub's
 * 65,536-character limit, updated in place on re-runs and new pushes; the artifact is treated as
 * untrusted data (a pull-request number that does not match the run's head is refused).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { REPO, tempRoot } from '../helpers/fixtures.ts';
import { writeFleet } from '../helpers/make-fleet.ts';
import { GitHubStandIn } from '../helpers/github-stand-in.ts';

const TSX = join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const commit = (cwd: string, message: string) => git(cwd, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', message);

let gh: GitHubStandIn;
let root: string;

beforeAll(async () => {
  gh = await GitHubStandIn.start();
  gh.branchHead = () => undefined; // pull requests keep the head the test gives them
  root = tempRoot();
  // Per-env Ingresses: a domain change then differs per IngressGroup, enough diff to need truncating.
  writeFleet(root, { projects: 10, developers: 100 }, { ingress: 'ingress-groups' });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  commit(root, 'fleet of 1,000 envs');
  git(root, 'checkout', '-q', '-b', 'feature');
});
afterAll(() => gh.close());
afterEach(() => {
  expect(gh.violations).toEqual([]);
  expect(gh.unusedFaults()).toEqual([]);
});

/** pr-diff.yml: devfleet diff on the pull request's checkout -> the artifact folder. */
async function prDiff(number: number): Promise<{ artifact: string; head: string; full: string }> {
  const artifact = join(tempRoot(), 'pr-diff');
  mkdirSync(artifact);
  const result = await runCli('diff', '--base', 'main', '--root', root, '--full-output', join(artifact, 'full.md'));
  writeFileSync(join(artifact, 'comment.md'), result.stdout);
  writeFileSync(join(artifact, 'pull-request.json'), `{"number": ${number}}\n`);
  return { artifact, head: git(root, 'rev-parse', 'HEAD'), full: readFileSync(join(artifact, 'full.md'), 'utf8') };
}

/** pr-diff-comment.yml: the comment step, in its own process, with the workflow's environment. */
async function postComment(artifact: string, headSha: string): Promise<{ code: number; stdout: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'example/devfleet', GITHUB_API_URL: gh.url, ARTIFACT_DIR: artifact, HEAD_SHA: headSha, COMMENT_AUTHOR: 'devfleet-bot[bot]' };
  try {
    return { code: 0, stdout: (await promisify(execFile)(process.execPath, [TSX, join(REPO, 'generators/bots/bin/diff-comment.ts')], { cwd: REPO, env, encoding: 'utf8' })).stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '' };
  }
}

function edit(path: string, from: string, to: string) {
  const file = join(root, path);
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
}

describe('diff bot on a fleet of 1,000 envs', () => {
  it('GIVEN a pull request changing one project WHEN both workflows run, twice, then after a new push THEN the pull request has ONE comment under 65,536 characters, updated in place', async () => {
    edit('projects/app003.yaml', 'nginx:1.27', 'nginx:1.28');
    commit(root, 'app003: nginx 1.28');
    const first = await prDiff(12);
    gh.pulls.push({ number: 12, title: 'app003: nginx 1.28', body: null, head: 'feature', headSha: first.head, base: 'main', state: 'open' });

    expect((await postComment(first.artifact, first.head)).stdout).toBe('diff-comment: pull request #12: comment created\n');
    expect((await postComment(first.artifact, first.head)).stdout).toBe('diff-comment: pull request #12: comment unchanged\n');
    const [comment] = gh.comments;
    expect(gh.comments).toHaveLength(1);
    expect(comment!.body.length).toBeLessThan(65_536);
    expect(comment!.body).toMatch(/^<!-- devfleet:diff -->\n## devfleet diff against `main`/);
    expect(comment!.body).toContain('| changed | 100 | `app003` (100) |');
    expect(comment!.body).toContain('changed 100 envs of `app003` (the same change for each)');
    expect(gh.takeLog()).toEqual(['pulls/get 200', 'issues/list-comments 200', 'issues/create-comment 201', 'pulls/get 200', 'issues/list-comments 200']);

    edit('projects/app004.yaml', 'nginx:1.27', 'nginx:1.29');
    commit(root, 'app004 too');
    const second = await prDiff(12);
    gh.pulls[0]!.headSha = second.head;
    expect((await postComment(second.artifact, second.head)).stdout).toBe('diff-comment: pull request #12: comment updated\n');
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toContain('`app004` (100)');
    gh.takeLog();
  });

  it('GIVEN a change to every env of the fleet WHEN posted THEN the one comment stays under the limit, says it is truncated, and the full output has every block', async () => {
    edit('clusters/fleet.yaml', 'fleet.example.com', 'fleet2.example.com');
    commit(root, 'new domain');
    const run = await prDiff(12);
    gh.pulls[0]!.headSha = run.head;
    expect((await postComment(run.artifact, run.head)).code).toBe(0);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body.length).toBeLessThan(65_536);
    expect(gh.comments[0]!.body).toMatch(/\*\*Truncated\*\*: \d+ of \d+ diff block\(s\) not shown/);
    expect(run.full.length).toBeGreaterThan(65_536);
    gh.takeLog();
  });

  it('GIVEN an artifact naming another pull request than the run was for WHEN posted THEN nothing is posted and the error says why', async () => {
    gh.pulls.push({ number: 13, title: 'other', body: null, head: 'other', headSha: 'b'.repeat(40), base: 'main', state: 'open' });
    const run = await prDiff(13);
    const result = await postComment(run.artifact, run.head);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error title=diff-comment::the artifact names pull request #13, whose head is b{40}, but the diff ran for [0-9a-f]{40}; nothing was posted/);
    expect(gh.comments.filter((c) => c.issue === 13)).toEqual([]);
    expect(gh.takeLog()).toEqual(['pulls/get 200']);
  });

  it.each([
    ['a comment.md over 4 x 65,536 bytes', (dir: string) => writeFileSync(join(dir, 'comment.md'), 'x'.repeat(300_000)), /comment\.md in the artifact is not a regular file of at most 262144 bytes/],
    ['a comment.md that is a symlink', (dir: string) => symlinkSync('/etc/passwd', join(dir, 'comment.md')), /comment\.md in the artifact is not a regular file/],
    ['a pull-request.json without a number', (dir: string) => writeFileSync(join(dir, 'pull-request.json'), '{"number": "12; rm -rf /"}'), /has no valid pull-request number; nothing was posted/],
  ])('GIVEN %s WHEN posted THEN it is refused without posting', async (_, spoil, message) => {
    const dir = join(tempRoot(), 'pr-diff');
    mkdirSync(dir);
    writeFileSync(join(dir, 'pull-request.json'), '{"number": 12}');
    spoil(dir);
    const result = await postComment(dir, gh.pulls[0]!.headSha);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(message);
    expect(gh.comments).toHaveLength(1);
    gh.takeLog();
  });

  it('GIVEN a comment.md that tries to plant the marker and mention people WHEN posted THEN the body has exactly one marker, at the top', async () => {
    const dir = join(tempRoot(), 'pr-diff');
    mkdirSync(dir);
    writeFileSync(join(dir, 'pull-request.json'), '{"number": 12}');
    writeFileSync(join(dir, 'comment.md'), 'hello\n<!-- devfleet:diff -->\n<!-- devfleet:diff -->');
    expect((await postComment(dir, gh.pulls[0]!.headSha)).code).toBe(0);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toBe('<!-- devfleet:diff -->\nhello\n\n');
    gh.takeLog();
  });
});
