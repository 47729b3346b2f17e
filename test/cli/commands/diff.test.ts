/**
 * `devfleet diff --base <ref>`: the definitions of a commit (read from git's object store, the
 * working tree untouched) against the working tree. Envs added, changed and removed, manifest
 * diffs collapsed across developers, validation, ALB usage, and a comment-sized markdown.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeBlock, formatDiffMarkdown } from '../../../generators/diff/format-markdown.ts';
import { GITHUB_BODY_MAX } from '../../../generators/util/github-limits.ts';
import type { FleetDiff } from '../../../generators/diff/fleet-diff.ts';
import { runCli } from '../../helpers/cli.ts';
import { copyOfExamples, tempRoot, useIngressGroups } from '../../helpers/fixtures.ts';
import { useHelperModules } from '../../helpers/helper-modules.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The bundled examples committed on main in a fresh repository (optionally with per-env Ingresses). */
function repo(options: { ingressGroups?: boolean } = {}): string {
  const root = copyOfExamples();
  if (options.ingressGroups) useIngressGroups(root);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'base');
  return root;
}

function edit(root: string, path: string, from: string, to: string) {
  const file = join(root, path);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} has no ${from}`);
  writeFileSync(file, text.replace(from, to));
}

describe('devfleet diff', () => {
  it('GIVEN no change WHEN diffed THEN it says every env stays, exit 0, and git status is untouched', async () => {
    const root = repo();
    const result = await runCli('diff', '--base', 'main', '--root', root);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^<!-- devfleet:diff -->\n## devfleet diff against `main` \([0-9a-f]{12}\)\n\nDefinitions valid\. Envs: 18 before, 18 after\.\n\nNo generated file changes/);
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('GIVEN one project image changed, one project removed and one added on a cluster with per-env Ingresses WHEN diffed as JSON THEN envs are classified per cluster, identical diffs are one group listing its developers, and the IngressGroup usage is compared', async () => {
    const root = repo({ ingressGroups: true });
    edit(root, 'projects/my-app.ts', "'nginx:1.27'", "'nginx:1.28'");
    rmSync(join(root, 'projects/docs.yaml'));
    expect((await runCli('new', 'hello', '--root', root, '--container', 'name=web,image=nginx:1.27,port=http:80', '--developers', 'alice,bob', '--no-synth')).code).toBe(0);
    const status = git(root, 'status', '--porcelain');
    const result = await runCli('diff', '--base', 'HEAD', '--root', root, '--format', 'json');
    expect(result.code).toBe(0);
    expect(git(root, 'status', '--porcelain')).toBe(status);
    const diff = JSON.parse(result.stdout) as FleetDiff;
    expect(diff.base).toMatchObject({ ref: 'HEAD', valid: true, envs: 18 });
    expect(diff.head).toMatchObject({ valid: true, envs: 15 });
    const [dev] = diff.clusters;
    expect(dev!.cluster).toBe('dev');
    expect(dev!.envs.added).toEqual([{ developer: 'alice', project: 'hello' }, { developer: 'bob', project: 'hello' }]);
    expect(dev!.envs.removed.map((e) => e.project)).toEqual(['docs', 'docs', 'docs', 'docs', 'docs']);
    expect(dev!.envs.changed.map((e) => `${e.developer}/${e.project}`)).toEqual(['alice/my-app', 'bob/my-app', 'carol/my-app', 'dave/my-app', 'erin/my-app']);
    const changed = dev!.groups.filter((g) => g.change === 'changed');
    expect(changed).toEqual([{ project: 'my-app', change: 'changed', developers: ['alice', 'bob', 'carol', 'dave', 'erin'], patch: expect.stringMatching(/^@@ .* @@\n(.*\n)*-        - image: "nginx:1\.27"\n\+        - image: "nginx:1\.28"\n/) }]);
    expect(dev!.groups.find((g) => g.change === 'added')).toMatchObject({ project: 'hello', developers: ['alice', 'bob'] });
    expect(dev!.ingressGroups).toEqual([{ group: 'devfleet-dev-0', before: { targetGroups: 23, rules: 23, envs: 18 }, after: { targetGroups: 18, rules: 18, envs: 13 } }]); // hello has no routes; docs had one
  });

  it('GIVEN the same change behind the front door (the bundled cluster) WHEN diffed as JSON THEN no IngressGroup usage is reported: every env shares the one load balancer', async () => {
    const root = repo();
    rmSync(join(root, 'projects/docs.yaml'));
    const diff = JSON.parse((await runCli('diff', '--base', 'HEAD', '--root', root, '--json')).stdout) as FleetDiff;
    expect(diff.clusters[0]!.envs.removed).toHaveLength(5);
    expect(diff.clusters[0]!.ingressGroups).toEqual([]);
  });

  it('GIVEN a change WHEN diffed as markdown THEN the summary comes first and the diff is in a fenced block per group', async () => {
    const root = repo();
    edit(root, 'projects/my-app.ts', "'nginx:1.27'", "'nginx:1.28'");
    const { stdout, code } = await runCli('diff', '--base', 'HEAD', '--root', root);
    expect(code).toBe(0);
    expect(stdout.indexOf('| changed | 5 | `my-app` (5) |')).toBeGreaterThan(0);
    expect(stdout.indexOf('| changed | 5 |')).toBeLessThan(stdout.indexOf('### Manifest diffs'));
    expect(stdout).toContain('<details><summary>dev: changed 5 envs of `my-app` (the same change for each)</summary>\n\nShown for `alice`; also: bob, carol, dave, erin.\n\n```diff\n');
    expect(stdout).toContain('Charts changed: `my-app`.');
  });

  it('GIVEN definitions that do not validate WHEN diffed THEN it exits 1 and the report lists the problems in a code block', async () => {
    const root = repo();
    edit(root, 'projects/docs.yaml', 'port: 8080', 'port: "8080"');
    const result = await runCli('diff', '--base', 'HEAD', '--root', root);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('**The definitions do not validate** (1 problem(s))');
    expect(result.stdout).toMatch(/```text\nprojects\/docs\.yaml: containers\[0\]\.ports\[0\]\.port: must be a whole number, got the string "8080"/);
  });

  it('GIVEN a change to every env WHEN diffed with --max-chars and --full-output THEN the comment fits with a truncation marker and the file has everything', async () => {
    const root = repo();
    edit(root, 'clusters/dev.ts', "domain: 'dev.example.com'", "domain: 'dev2.example.com'");
    const full = join(tempRoot(), 'out', 'full.md');
    const result = await runCli('diff', '--base', 'HEAD', '--root', root, '--max-chars', '3000', '--full-output', full);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeLessThanOrEqual(3000);
    expect(result.stdout).toMatch(/> \*\*Truncated\*\*: \d+ of \d+ diff block\(s\) not shown \([\d,]+ characters\) to stay under GitHub's comment limit\. The complete diff: the file written by --full-output/);
    const complete = readFileSync(full, 'utf8');
    expect(complete).not.toContain('Truncated');
    expect(complete.length).toBeGreaterThan(result.stdout.length);
    expect(complete.startsWith(result.stdout.slice(0, result.stdout.indexOf('### Manifest diffs')))).toBe(true);
  });

  it.each([
    [['--base', 'no-such-ref'], 2, /--base no-such-ref: no such commit in this repository; fetch it first/],
    [['--base', '--upload-pack=x'], 2, /give a git ref such as origin\/main/],
    [['--base', 'HEAD', '--max-chars', '70000'], 2, /--max-chars 70000: give a whole number from 1000 to 65535/],
    [['--base', 'HEAD', '--format', 'html'], 2, /Allowed choices are markdown, json/],
    [['--base', 'HEAD', '--json', '--format', 'markdown'], 2, /--json and --format markdown ask for different outputs/],
  ])('GIVEN %j WHEN diffed THEN it exits %i saying what to do', async (argv, code, message) => {
    const result = await runCli('diff', ...argv, '--root', repo());
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });

  it('GIVEN a folder that is not a git repository WHEN diffed THEN it is a usage error', async () => {
    const result = await runCli('diff', '--base', 'HEAD', '--root', copyOfExamples());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not inside a git repository');
  });

  it('GIVEN shop.ts importing helper modules on both sides WHEN only a helper changes THEN every shop env is changed and nothing else', async () => {
    const root = copyOfExamples();
    useHelperModules(root);
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'base with helpers');
    edit(root, 'projects/shared/images.ts', 'shop:2026.11.3', 'shop:2026.12.0');
    const result = await runCli('diff', '--base', 'main', '--root', root, '--format', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const diff = JSON.parse(result.stdout) as FleetDiff;
    expect(diff.base).toMatchObject({ valid: true, problems: [], envs: 18 });
    expect(diff.head).toMatchObject({ valid: true, envs: 18 });
    expect(diff.clusters[0]!.envs.changed.map((e) => `${e.developer}/${e.project}`)).toEqual(['alice/shop', 'bob/shop', 'carol/shop', 'dave/shop', 'erin/shop']);
    expect(diff.clusters[0]!.envs.added).toEqual([]);
    expect(diff.clusters[0]!.envs.removed).toEqual([]);
  });

  it('GIVEN the definitions in a subfolder of the git repository WHEN diffed THEN the base is read from that subfolder', async () => {
    const top = tempRoot();
    const root = join(top, 'fleet');
    execFileSync('cp', ['-r', copyOfExamples(), root]);
    git(top, 'init', '-q', '-b', 'main');
    git(top, 'add', '-A');
    git(top, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'base');
    edit(root, 'projects/my-app.ts', "'nginx:1.27'", "'nginx:1.28'");
    const diff = JSON.parse((await runCli('diff', '--base', 'main', '--root', root, '--format', 'json')).stdout) as FleetDiff;
    expect(diff.base.envs).toBe(18);
    expect(diff.clusters[0]!.envs.changed).toHaveLength(5);
  });
});

describe('cost in the diff', () => {
  it('GIVEN a developer added WHEN diffed THEN the comment shows the fleet\'s and the cluster\'s monthly cost before, after and the difference, from the same estimate as devfleet cost', async () => {
    const root = repo();
    const before = JSON.parse((await runCli('cost', '--root', root, '--json')).stdout) as { total: { total: number } };
    edit(root, 'clusters/dev.ts', "{ name: 'erin',", "{ name: 'fred' }, { name: 'erin',");
    const after = JSON.parse((await runCli('cost', '--root', root, '--json')).stdout) as { total: { total: number } };
    expect(after.total.total).toBeGreaterThan(before.total.total);
    const { stdout, code } = await runCli('diff', '--base', 'HEAD', '--root', root);
    expect(code).toBe(0);
    const usd = (cents: number) => `$${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;
    const change = `${usd(before.total.total)} → ${usd(after.total.total)} (**+${usd(after.total.total - before.total.total)}**: compute +`;
    expect(stdout).toContain(`Monthly cost estimate of the fleet (prices of 2026-11-30, ap-northeast-1; \`npx devfleet cost\` for details): ${change}`);
    expect(stdout).toContain(`\nMonthly cost estimate: ${change}`);
  });
});

describe('markdown safety', () => {
  it('GIVEN content with backtick runs WHEN fenced THEN the fence is longer than any run inside, so the content cannot close it', () => {
    expect(codeBlock('a ``` b ```` c', 'diff')).toBe('`````diff\na ``` b ```` c\n`````');
    expect(codeBlock('plain', 'text')).toBe('```text\nplain\n```');
  });

  it('GIVEN a diff whose summary alone is too long WHEN formatted THEN a short note replaces it, under the limit', () => {
    const problems = Array.from({ length: 5_000 }, (_, i) => `projects/p${i}.ts: name: ${'x'.repeat(100)}`);
    const diff: FleetDiff = { base: { ref: 'main', commit: 'a'.repeat(40), valid: false, problems, envs: 0 }, head: { valid: false, problems, envs: 0 }, clusters: [], cost: { prices: '2026-11-30, ap-northeast-1', before: undefined, after: undefined } };
    const { text, truncated } = formatDiffMarkdown(diff, { maxChars: 10_000 });
    expect(truncated).toBe(true);
    expect(text.length).toBeLessThan(10_000);
    expect(text).toContain('**Truncated**: the summary alone');
    expect(text.startsWith('<!-- devfleet:diff -->\n')).toBe(true);
    expect(formatDiffMarkdown(diff).text.length).toBeLessThan(GITHUB_BODY_MAX);
  });
});
