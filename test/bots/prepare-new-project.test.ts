/**
 * Acceptance of the new-project bot, end to end as .github/workflows/new-project.yml runs it:
 * the two entry points in their own processes, with the environment the workflow gives them,
 * against a real bare git remote and the GitHub stand-in (every exchange checked against the
 * OpenAPI description). Issue -> branch + pull request + comment; invalid issue -> one comment
 * with every problem; re-runs duplicate nothing.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { synthCommand } from '../../generators/cli/commands/synth.ts';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, REPO, tempRoot } from '../helpers/fixtures.ts';
import { git, makeRemote, type Remote } from '../helpers/git-remote.ts';
import { GitHubStandIn } from '../helpers/github-stand-in.ts';
import { GITHUB_BODY_MAX } from '../../generators/util/github-limits.ts';
import { composeIssueBody, FORM_LABELS, issueBody, issueEvent } from '../helpers/issue-body.ts';

const TSX = join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const quiet = { stdout: () => {}, stderr: () => {}, interactive: false };

let gh: GitHubStandIn;
let remote: Remote;

beforeAll(async () => {
  gh = await GitHubStandIn.start();
  const seed = copyOfExamples();
  await synthCommand(seed, {}, quiet);
  remote = makeRemote(seed);
  gh.branchHead = (branch) => remote.head(branch);
});
afterAll(() => gh.close());
// Every exchange matched GitHub's contract, and every queued fault was used.
afterEach(() => {
  expect(gh.violations).toEqual([]);
  expect(gh.unusedFaults()).toEqual([]);
});

const run = promisify(execFile);

/** A bot entry point in its own process. Asynchronous: the stand-in answers from this process. */
async function entry(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    return (await run(process.execPath, [TSX, join(REPO, 'generators/bots/bin', script)], { cwd, env, encoding: 'utf8' })).stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${script} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** One run of the workflow for an issue: job 1 in its checkout, the artifact, job 2 in its own checkout. */
async function runWorkflow(issue: number, body: string, label: string = FORM_LABELS['new-project']): Promise<{ prepare: string; publish: string }> {
  const eventPath = join(tempRoot(), 'event.json');
  writeFileSync(eventPath, JSON.stringify(issueEvent(issue, body, 'MEMBER', label)));
  const artifact = join(tempRoot(), 'new-project');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_EVENT_PATH: eventPath, ARTIFACT_DIR: artifact };
  const prepare = await entry('new-project-prepare.ts', REPO, { ...env, DEVFLEET_ROOT: remote.checkout() });
  const publish = await entry('new-project-publish.ts', remote.checkout(), {
    ...env,
    GITHUB_TOKEN: 'test-token',
    GITHUB_REPOSITORY: 'example/devfleet',
    GITHUB_API_URL: gh.url,
    GIT_REMOTE: remote.url,
    BOT_LOGIN: 'devfleet-bot[bot]',
    ISSUE_NUMBER: String(issue),
    BASE_BRANCH: 'main',
  });
  return { prepare, publish };
}

const valid = {
  name: 'hello',
  description: 'Greets people: nginx + a Go API',
  containers: 'name=web, image=nginx:1.27, port=http:80\nname=api, image=golang:1.23, port=api:8080, memory=256Mi',
  routes: 'hello.com\napi.hello.com:api',
  developers: 'alice, bob',
};

describe('new-project bot (issue -> pull request)', () => {
  it('GIVEN a valid "New project" issue WHEN the workflow runs THEN the remote has the branch with a valid definition and regenerated clusters/, the stand-in has one pull request closing the issue, and the issue one comment linking it', async () => {
    const first = await runWorkflow(7, issueBody(valid));
    expect(first.publish).toMatch(/pull request #\d+ created, branch devfleet\/new-project-7 pushed, issue comment created/);

    const tree = remote.worktree('devfleet/new-project-7');
    expect(git(tree, 'diff', '--name-only', 'HEAD~1', '--', 'projects')).toBe('projects/hello.ts');
    const result = await runCli('synth', '--root', tree, '--check');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(git(tree, 'diff', '--name-only', 'HEAD~1').split('\n')).toEqual(expect.arrayContaining(['clusters/dev/apps/envs/alice/hello.yaml', 'clusters/dev/apps/envs/bob/hello.yaml', 'clusters/dev/charts/hello/Chart.yaml']));
    expect(git(tree, 'diff', '--name-only', 'HEAD~1')).not.toMatch(/envs\/carol\/hello/);
    expect(readFileSync(join(tree, 'projects/hello.ts'), 'utf8')).toContain("image: 'golang:1.23',");

    expect(gh.pulls).toEqual([expect.objectContaining({ head: 'devfleet/new-project-7', base: 'main', title: 'Add project hello', state: 'open', headSha: remote.head('devfleet/new-project-7') })]);
    expect(gh.pulls[0]!.body).toContain('Closes #7');
    const comments = gh.comments.filter((c) => c.issue === 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/^<!-- devfleet:new-project -->\nThe definition is ready for review in #\d+ \(`projects\/hello.ts`/);
    expect(gh.takeLog()).toEqual(['pulls/list 200', 'pulls/create 201', 'issues/list-comments 200', 'issues/create-comment 201']);
  });

  it('GIVEN the same issue WHEN the workflow runs again THEN nothing is pushed, created or edited', async () => {
    const branch = remote.head('devfleet/new-project-7');
    const again = await runWorkflow(7, issueBody(valid));
    expect(again.publish).toMatch(/pull request #\d+ unchanged, branch devfleet\/new-project-7 already up to date, issue comment unchanged/);
    expect(remote.head('devfleet/new-project-7')).toBe(branch);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.comments.filter((c) => c.issue === 7)).toHaveLength(1);
    expect(gh.takeLog()).toEqual(['pulls/list 200', 'issues/list-comments 200']);
  });

  it('GIVEN the issue edited (another image) WHEN the workflow runs THEN the same branch gets the new definition as one commit on main, and the pull request and comment stay single', async () => {
    const before = remote.head('devfleet/new-project-7');
    await runWorkflow(7, issueBody({ ...valid, containers: valid.containers.replace('nginx:1.27', 'nginx:1.28') }));
    const tree = remote.worktree('devfleet/new-project-7');
    expect(remote.head('devfleet/new-project-7')).not.toBe(before);
    expect(git(tree, 'rev-list', '--count', 'origin/main..HEAD')).toBe('1');
    expect(readFileSync(join(tree, 'projects/hello.ts'), 'utf8')).toContain('nginx:1.28');
    expect(gh.pulls).toHaveLength(1);
    expect(gh.comments.filter((c) => c.issue === 7)).toHaveLength(1);
    expect(gh.violations).toEqual([]);
    gh.takeLog();
  });

  it('GIVEN an invalid issue WHEN the workflow runs twice THEN the issue has ONE comment listing each problem by form field, and no branch or pull request exists for it', async () => {
    const body = issueBody({ name: 'Hello World', containers: 'name=web, image=nginx, port=http:80\nname=db image=mysql:8.4', routes: 'x.com:nope' });
    await runWorkflow(8, body);
    await runWorkflow(8, body);
    const comments = gh.comments.filter((c) => c.issue === 8);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- devfleet:new-project -->');
    expect(comments[0]!.body).toContain('Project name: "Hello World" is not a valid project name');
    expect(comments[0]!.body).toContain('Containers, line 1 (containers[0].image): "nginx" is not valid: give the image a tag or a digest');
    expect(comments[0]!.body).toContain('Containers, line 2: "name=db image=mysql:8.4" holds more than one key=value; separate the pairs with commas');
    expect(remote.head('devfleet/new-project-8')).toBeUndefined();
    expect(gh.pulls).toHaveLength(1);
    expect(gh.takeLog()).toEqual(['issues/list-comments 200', 'issues/create-comment 201', 'issues/list-comments 200']);
  });

  it('GIVEN an issue that parses but fails the schema WHEN the workflow runs THEN the comment names the form field and line of each schema problem', async () => {
    await runWorkflow(9, issueBody({ name: 'shop', containers: 'name=web, image=nginx, port=http:80' }));
    const [comment] = gh.comments.filter((c) => c.issue === 9);
    expect(comment!.body).toContain('Project name: "shop" is already a project (projects/shop.ts); choose another name');
    await runWorkflow(10, issueBody({ name: 'brand-new', containers: 'name=web, image=nginx, port=http:80' }));
    const [second] = gh.comments.filter((c) => c.issue === 10);
    expect(second!.body).toContain('Containers, line 1 (containers[0].image): "nginx" is not valid: give the image a tag or a digest');
    expect(gh.violations).toEqual([]);
    expect(gh.unusedFaults()).toEqual([]);
  });
});

describe('new-project bot, "New project from compose" form (issue -> the pull request devfleet import compose would write)', () => {
  const compose = 'services:\n  web:\n    build: .\n    ports: ["8080:80"]\n    restart: always\n  db:\n    image: postgres:17.2\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data:\n';

  it('GIVEN a compose issue WHEN the workflow runs THEN the branch\'s commit holds exactly the files `devfleet import compose <file> --name --registry` writes in a checkout of main, the pull request lists what was not imported, and the issue gets one comment', async () => {
    const { publish } = await runWorkflow(11, composeIssueBody({ name: 'blog', compose, registry: 'ghcr.io/acme', developers: '' }), FORM_LABELS.compose);
    expect(publish).toMatch(/pull request #\d+ created, branch devfleet\/new-project-11 pushed, issue comment created/);
    const tree = remote.worktree('devfleet/new-project-11');
    const committed = git(tree, 'diff', '--name-only', 'HEAD~1').split('\n');

    const cliRoot = remote.checkout();
    const file = join(tempRoot({ 'compose.yaml': compose }), 'compose.yaml');
    const cli = await runCli('import', 'compose', file, '--name', 'blog', '--registry', 'ghcr.io/acme', '--root', cliRoot);
    expect(cli.code).toBe(0);
    git(cliRoot, 'add', '-A');
    const written = git(cliRoot, 'diff', '--cached', '--name-only').split('\n');
    expect(committed.sort()).toEqual(written.sort());
    expect(committed).toContain('projects/blog.ts');
    for (const path of committed) expect(readFileSync(join(tree, path), 'utf8'), path).toBe(readFileSync(join(cliRoot, path), 'utf8'));

    const pull = gh.pulls.find((p) => p.head === 'devfleet/new-project-11')!;
    expect(pull.body).toContain('from the "New project from compose" issue #11');
    expect(pull.body).toContain('Compose file, line 5 (services.web.restart): is not imported: Kubernetes restarts every container of the Pod when it stops');
    expect(gh.comments.filter((c) => c.issue === 11)).toEqual([expect.objectContaining({ body: expect.stringMatching(/^<!-- devfleet:new-project -->\nThe definition is ready for review in #\d+ \(`projects\/blog.ts`/) })]);
    gh.takeLog();
  });

  it('GIVEN a compose issue whose file does not translate or reaches out of its folder WHEN the workflow runs THEN ONE comment names each service and feature, says the bot reads only the pasted file, and no branch exists', async () => {
    const hostile = 'include: ["../../../etc/passwd"]\nservices:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
    await runWorkflow(12, composeIssueBody({ name: 'hostile', compose: hostile }), FORM_LABELS.compose);
    const comments = gh.comments.filter((c) => c.issue === 12);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('Compose file, line 1 (include[0]): leaves the compose file\'s folder ("../../../etc/passwd")');
    expect(comments[0]!.body).toContain('The bot reads only the compose file in the issue');
    expect(remote.head('devfleet/new-project-12')).toBeUndefined();
    expect(gh.pulls.some((p) => p.head === 'devfleet/new-project-12')).toBe(false);
    const refused = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
    await runWorkflow(12, composeIssueBody({ name: 'hostile', compose: refused }), FORM_LABELS.compose);
    const [edited] = gh.comments.filter((c) => c.issue === 12);
    expect(edited!.body).toContain('Compose file, line 4 (services.web.privileged): privileged true does not translate');
    expect(gh.comments.filter((c) => c.issue === 12)).toHaveLength(1);
    gh.takeLog();
  });

  it('GIVEN a compose issue with more problems than a comment can hold WHEN the workflow runs THEN the comment stays within GitHub\'s body limit and says how many more there are', async () => {
    const services = Array.from({ length: 1200 }, (_, i) => `  s${i}:\n    image: nginx:1.27\n    privileged: true\n`).join('');
    const body = composeIssueBody({ name: 'many', compose: `services:\n${services}` });
    expect(body.length).toBeLessThan(GITHUB_BODY_MAX);
    await runWorkflow(13, body, FORM_LABELS.compose);
    const [comment] = gh.comments.filter((c) => c.issue === 13);
    expect(comment!.body).toContain('(1200 problem(s))');
    expect(comment!.body).toContain('Compose file, line 4 (services.s0.privileged): privileged true does not translate');
    expect(comment!.body).toMatch(/\n\.\.\. and \d+ more\n/);
    expect(comment!.body.length).toBeLessThanOrEqual(GITHUB_BODY_MAX);
    gh.takeLog();
  });
});
