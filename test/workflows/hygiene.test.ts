/**
 * Rules every file in .github/ keeps (docs/bots.md): actions pinned to a full commit SHA with
 * the version in a comment, read-only top-level permissions raised per job, no credentials left
 * in checkouts, no expression inside a script, a concurrency group per workflow, and the bot's
 * contracts (issue-form labels, CODEOWNERS).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMPOSE_ISSUE_FIELDS, COMPOSE_ISSUE_LABEL, parseComposeIssueForm } from '../../generators/bots/parse-compose-issue-form.ts';
import { ISSUE_FIELDS } from '../../generators/scaffold/parse-issue-form.ts';
import { projectFromIssue } from '../../generators/scaffold/project-from-issue.ts';
import { REPO } from '../helpers/fixtures.ts';

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, unknown> };
type Job = { permissions?: Record<string, string> | string; steps?: Step[]; uses?: string };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string> | string; concurrency?: { group: string }; jobs: Record<string, Job> };

function yamlFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? yamlFiles(join(dir, entry.name)) : /\.ya?ml$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

const files = yamlFiles('.github');
const workflows = files.filter((f) => f.startsWith('.github/workflows/')).map((file) => ({ file, text: readFileSync(join(REPO, file), 'utf8'), doc: parse(readFileSync(join(REPO, file), 'utf8')) as Workflow }));
const steps = workflows.flatMap((w) => Object.entries(w.doc.jobs).flatMap(([job, j]) => (j.steps ?? []).map((step) => ({ file: w.file, job, step }))));

describe('.github/ hygiene', () => {
  it('GIVEN every `uses:` in .github/ WHEN read THEN it is pinned to a 40-hex commit SHA with its version in a comment, the same SHA for the same version everywhere', () => {
    const uses = files.flatMap((file) =>
      readFileSync(join(REPO, file), 'utf8')
        .split('\n')
        .filter((line) => /^\s*(-\s+)?uses:/.test(line))
        .map((line) => ({ file, line: line.trim() })),
    );
    expect(uses.length).toBeGreaterThan(10);
    const pinned = /^(?:-\s+)?uses: ([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_./-]+)?)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/;
    expect(uses.filter((u) => !pinned.test(u.line))).toEqual([]);
    const shaOf = new Map<string, Set<string>>();
    for (const u of uses) {
      const [, action, sha, version] = pinned.exec(u.line)!;
      const key = `${action}@${version}`;
      shaOf.set(key, (shaOf.get(key) ?? new Set()).add(sha!));
    }
    expect([...shaOf].filter(([, shas]) => shas.size > 1).map(([key]) => key)).toEqual([]);
  });

  it('GIVEN every workflow WHEN read THEN the top-level permissions are {} or contents: read, and it has a concurrency group', () => {
    for (const { file, doc } of workflows) {
      expect([{}, { contents: 'read' }], file).toContainEqual(doc.permissions);
      expect(doc.concurrency?.group, file).toMatch(/\$\{\{ github\./);
    }
  });

  it('GIVEN every job WHEN read THEN write permissions exist only on the two publishing jobs, and never in a workflow that runs pull-request code', () => {
    const writers = workflows.flatMap(({ file, doc }) =>
      Object.entries(doc.jobs).flatMap(([job, j]) => Object.entries(typeof j.permissions === 'object' ? j.permissions : {}).filter(([, level]) => level === 'write').map(([scope]) => `${file} ${job} ${scope}`)),
    );
    expect(writers.sort()).toEqual([
      '.github/workflows/new-project.yml publish contents',
      '.github/workflows/new-project.yml publish issues',
      '.github/workflows/new-project.yml publish pull-requests',
      '.github/workflows/pr-diff-comment.yml comment pull-requests',
    ]);
    for (const { file, doc } of workflows) {
      if ('pull_request_target' in doc.on) throw new Error(`${file}: pull_request_target runs with write access next to pull-request code; use pull_request + workflow_run`);
    }
  });

  it('GIVEN every checkout WHEN read THEN it keeps no credentials, and the workflow_run workflow checks out only the default branch', () => {
    const checkouts = steps.filter((s) => s.step.uses?.startsWith('actions/checkout@'));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const { file, job, step } of checkouts) {
      expect(step.with?.['persist-credentials'], `${file} ${job}`).toBe(false);
      if (file.endsWith('pr-diff-comment.yml')) expect(step.with?.ref, 'workflow_run must not check out the pull request').toBeUndefined();
    }
  });

  it('GIVEN every `run:` script WHEN read THEN it contains no ${{ }} expression (values come in through env:)', () => {
    const scripts = steps.filter((s) => s.step.run !== undefined);
    expect(scripts.length).toBeGreaterThan(5);
    expect(scripts.filter((s) => s.step.run!.includes('${{')).map((s) => `${s.file} ${s.job}: ${s.step.run}`)).toEqual([]);
  });

  it('GIVEN the artifacts WHEN downloaded THEN they land in runner.temp, outside the checkout whose code runs', () => {
    const downloads = steps.filter((s) => s.step.uses?.startsWith('actions/download-artifact@'));
    expect(downloads.length).toBe(2);
    for (const { file, step } of downloads) expect(step.with?.path, file).toMatch(/^\$\{\{ runner\.temp \}\}\//);
  });
});

describe('bot contracts in .github/', () => {
  const form = parse(readFileSync(join(REPO, '.github/ISSUE_TEMPLATE/new-project.yml'), 'utf8')) as { labels: string[]; body: { type: string; attributes: { label?: string; placeholder?: string } }[] };

  it('GIVEN the issue form WHEN compared with the parser THEN its field labels are exactly the ones the bot reads, and it applies the label the workflow waits for', () => {
    const labels = form.body.filter((f) => f.type !== 'markdown').map((f) => f.attributes.label);
    expect(labels).toEqual(Object.values(ISSUE_FIELDS));
    expect(form.labels).toEqual(['new-project']);
    expect(readFileSync(join(REPO, '.github/workflows/new-project.yml'), 'utf8')).toContain("contains(github.event.issue.labels.*.name, 'new-project')");
  });

  it('GIVEN the issue form filled with its own placeholders WHEN parsed THEN it is a valid project definition (the examples teach the format)', () => {
    const body = form.body
      .filter((f) => f.type !== 'markdown')
      .map((f) => `### ${f.attributes.label}\n\n${(f.attributes.placeholder ?? '_No response_').trim()}`)
      .join('\n\n');
    const parsed = projectFromIssue(body);
    expect(parsed.problems).toEqual([]);
    expect(parsed.definition).toMatchObject({ name: 'my-app', containers: [{ name: 'nginx' }, { name: 'api' }], routes: [{ host: 'my-app.com', port: 'http' }, { host: 'api.my-app.com', port: 'api' }] });
  });

  const composeForm = parse(readFileSync(join(REPO, '.github/ISSUE_TEMPLATE/new-project-from-compose.yml'), 'utf8')) as { labels: string[]; body: { type: string; attributes: { label?: string; placeholder?: string; render?: string } }[] };

  it('GIVEN the "New project from compose" form WHEN compared with its parser THEN its field labels are the ones the bot reads, the compose file is rendered as YAML, and it applies the label the workflow also waits for', () => {
    const fields = composeForm.body.filter((f) => f.type !== 'markdown');
    expect(fields.map((f) => f.attributes.label)).toEqual(Object.values(COMPOSE_ISSUE_FIELDS));
    expect(fields.find((f) => f.attributes.label === COMPOSE_ISSUE_FIELDS.compose)?.attributes.render).toBe('yaml');
    expect(composeForm.labels).toEqual([COMPOSE_ISSUE_LABEL]);
    expect(readFileSync(join(REPO, '.github/workflows/new-project.yml'), 'utf8')).toContain(`contains(github.event.issue.labels.*.name, '${COMPOSE_ISSUE_LABEL}')`);
  });

  it('GIVEN the "New project from compose" form filled with its own placeholders WHEN parsed THEN it is valid input (the examples teach the format)', () => {
    const body = composeForm.body
      .filter((f) => f.type !== 'markdown')
      .map((f) => {
        const value = (f.attributes.placeholder ?? '_No response_').trim();
        return `### ${f.attributes.label}\n\n${f.attributes.render ? `\`\`\`${f.attributes.render}\n${value}\n\`\`\`` : value}`;
      })
      .join('\n\n');
    const parsed = parseComposeIssueForm(body);
    expect(parsed.problems).toEqual([]);
    expect(parsed.input).toMatchObject({ name: 'my-app', compose: expect.stringMatching(/^services:\n {2}web:\n/), registry: 'ghcr.io/acme', images: new Map([['proxy', 'nginx:1.27']]), developers: 'all' });
  });

  it('GIVEN CODEOWNERS WHEN read THEN terraform/ and generators/ have owning teams', () => {
    const owners = readFileSync(join(REPO, '.github/CODEOWNERS'), 'utf8');
    expect(owners).toMatch(/^\/terraform\/\s+@example\/platform$/m);
    expect(owners).toMatch(/^\/generators\/\s+@example\/devfleet$/m);
  });
});
