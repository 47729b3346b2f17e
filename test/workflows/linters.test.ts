/**
 * The workflow linters over .github/: actionlint (with ShellCheck on every `run:` script) and
 * zizmor (offline, the "auditor" persona: every audit, false positives included) must report
 * nothing. The binaries come from scripts/install-tools.sh; a missing one FAILS, never skips.
 * Each linter is also run on a known-bad workflow, so a linter that silently checks nothing fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempRoot } from '../helpers/fixtures.ts';

const ACTIONLINT = join(REPO, '.tools/bin/actionlint');
const SHELLCHECK = join(REPO, '.tools/venv/bin/shellcheck');
const ZIZMOR = join(REPO, '.tools/venv/bin/zizmor');

function tool(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing; run \`bash scripts/install-tools.sh --all\` (npm run test:e2e does)`);
  return path;
}

function workflowFiles(root: string): string[] {
  const dir = join(root, '.github/workflows');
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join('.github/workflows', f));
}

function actionlint(root: string) {
  const run = spawnSync(tool(ACTIONLINT), ['-no-color', '-shellcheck', tool(SHELLCHECK), '-pyflakes=', ...workflowFiles(root)], { cwd: root, encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

function zizmor(root: string): { code: number | null; findings: { ident: string; desc: string }[]; stderr: string } {
  const run = spawnSync(tool(ZIZMOR), ['--offline', '--persona', 'auditor', '--format', 'json', '--strict-collection', '.github'], { cwd: root, encoding: 'utf8' });
  return { code: run.status, findings: run.stdout.trim() === '' ? [] : (JSON.parse(run.stdout) as { ident: string; desc: string }[]), stderr: run.stderr };
}

const BAD = `name: bad
on: issues
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ github.event.issue.title }}" && echo $HOME
`;

function badRepo(): string {
  const root = tempRoot();
  mkdirSync(join(root, '.github/workflows'), { recursive: true });
  writeFileSync(join(root, '.github/workflows/bad.yml'), BAD);
  return root;
}

describe('actionlint', () => {
  it('GIVEN every workflow in .github/ WHEN linted with ShellCheck THEN there is no finding', () => {
    const result = actionlint(REPO);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('GIVEN a workflow with a script injection and an unquoted variable WHEN linted THEN both are found (the linter and its ShellCheck are live)', () => {
    const result = actionlint(badRepo());
    expect(result.code).toBe(1);
    expect(result.output).toContain('"github.event.issue.title" is potentially untrusted');
    expect(result.output).toContain('SC2086');
  });
});

describe('zizmor', () => {
  it('GIVEN .github/ WHEN audited offline with every audit THEN there is no finding', () => {
    const result = zizmor(REPO);
    expect(result.findings.map((f) => `${f.ident}: ${f.desc}`)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('GIVEN a workflow with a template injection WHEN audited THEN zizmor finds it (the linter is live)', () => {
    const result = zizmor(badRepo());
    expect(result.findings.map((f) => f.ident)).toEqual(expect.arrayContaining(['template-injection', 'unpinned-uses', 'artipacked', 'excessive-permissions']));
  });

  it('GIVEN the inline zizmor ignores in .github/ WHEN listed THEN there is exactly one, on the workflow_run trigger, with its reason', () => {
    const ignores = workflowFiles(REPO).flatMap((file) =>
      readFileSync(join(REPO, file), 'utf8')
        .split('\n')
        .filter((line) => line.includes('zizmor: ignore'))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(ignores).toEqual([expect.stringMatching(/^\.github\/workflows\/pr-diff-comment\.yml: workflow_run: # zizmor: ignore\[dangerous-triggers\] \S.{20,}$/)]);
  });
});
