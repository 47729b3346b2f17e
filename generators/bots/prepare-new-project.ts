/**
 * The read-only half of the new-project bot: a "New project" issue (from the Actions event
 * payload) -> `devfleet new` + `devfleet synth` in this checkout -> an artifact with the files to
 * commit, or the problems to tell the issue's author. A "New project from compose" issue (label
 * COMPOSE_ISSUE_LABEL) takes the path of `devfleet import compose` instead (import-compose-issue.ts).
 * Runs with `contents: read` only; the issue text is data from start to end (parsed, validated,
 * written as literals: generators/scaffold/serialize-project.ts).
 */
import { projectFile } from '../plan/layout.ts';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DefinitionError } from '../util/problem.ts';
import { synthFleet } from '../synth/synth-fleet.ts';
import { locate } from '../scaffold/build-project.ts';
import type { InputProblem } from '../scaffold/input-problem.ts';
import { projectFromIssue } from '../scaffold/project-from-issue.ts';
import { ProjectExistsError, scaffoldProject } from '../scaffold/scaffold-project.ts';
import { BotError } from './bot-error.ts';
import { importComposeIssue } from './import-compose-issue.ts';
import { FILES_DIR, isAllowedPath, RESULT_FILE, type NewProjectForm, type NewProjectResult } from './new-project-artifact.ts';
import { COMPOSE_ISSUE_LABEL } from './parse-compose-issue-form.ts';

export interface PrepareOptions {
  /** The event payload ($GITHUB_EVENT_PATH of an `issues` event). */
  readonly eventPath: string;
  /** Where the artifact is written (must not exist or be empty). */
  readonly outDir: string;
  /** Issue authors the bot acts for (GitHub's author_association). Default: OWNER, MEMBER, COLLABORATOR. */
  readonly allowedAssociations?: readonly string[];
}

interface IssueEvent {
  issue?: { number?: unknown; body?: unknown; author_association?: unknown; labels?: unknown };
}

export async function prepareNewProject(root: string, options: PrepareOptions): Promise<NewProjectResult> {
  if (statSync(options.eventPath).size > 16 << 20) throw new BotError(`${options.eventPath} is larger than any issue event; is GITHUB_EVENT_PATH right?`);
  const event = JSON.parse(readFileSync(options.eventPath, 'utf8')) as IssueEvent;
  const number = event.issue?.number;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) throw new BotError('the event has no issue number; the workflow must run on `issues` events');
  const body = typeof event.issue?.body === 'string' ? event.issue.body : '';
  const association = String(event.issue?.author_association ?? 'NONE');
  const allowed = options.allowedAssociations ?? ['OWNER', 'MEMBER', 'COLLABORATOR'];
  const labels = Array.isArray(event.issue?.labels) ? (event.issue.labels as unknown[]).map((label) => (label as { name?: unknown } | null)?.name) : [];
  const form: NewProjectForm = labels.includes(COMPOSE_ISSUE_LABEL) ? 'compose' : 'new-project';

  const result = await prepare(root, number, form, body, allowed.includes(association) ? undefined : association, options.outDir);
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

async function prepare(root: string, issue: number, form: NewProjectForm, body: string, refusedAssociation: string | undefined, outDir: string): Promise<NewProjectResult> {
  const invalid = (problems: readonly InputProblem[]): NewProjectResult => ({ issue, form, valid: false, problems });
  if (refusedAssociation !== undefined) {
    return invalid([{ where: 'issue author', message: `is not a member or collaborator of this repository (${refusedAssociation}); ask a maintainer to open the issue, or open a pull request with projects/<name>.ts yourself` }]);
  }
  const before = changedPaths(root);
  const written = form === 'compose' ? await importComposeIssue(root, body) : await scaffoldFromIssue(root, body);
  if ('problems' in written) return invalid(written.problems);
  const { file, project, warnings } = written;
  await synthFleet(root);

  const changed = changedPaths(root).filter((c) => !before.some((b) => b.path === c.path));
  const files = changed.filter((c) => !c.deleted).map((c) => c.path);
  const deletions = changed.filter((c) => c.deleted).map((c) => c.path);
  for (const path of [...files, ...deletions]) {
    if (!isAllowedPath(path, file)) throw new BotError(`devfleet new/synth changed ${path}, which the bot does not commit; this is a devfleet bug, report it`);
  }
  for (const path of files) {
    mkdirSync(dirname(join(outDir, FILES_DIR, path)), { recursive: true });
    copyFileSync(join(root, path), join(outDir, FILES_DIR, path));
  }
  return { issue, form, valid: true, project, file, files, deletions, warnings };
}

/** The "New project" form: `devfleet new --from-issue`'s path. */
async function scaffoldFromIssue(root: string, body: string): Promise<{ project: string; file: string; warnings: readonly InputProblem[] } | { problems: readonly InputProblem[] }> {
  const parsed = projectFromIssue(body);
  if (!parsed.definition) return { problems: parsed.problems };
  const file = projectFile(parsed.definition.name, '.ts');
  try {
    await scaffoldProject(root, parsed.definition, { format: 'ts' });
  } catch (error) {
    if (error instanceof ProjectExistsError) {
      return { problems: [{ where: 'Project name', message: `"${error.project}" is already a project (${error.files.join(', ')}); choose another name` }] };
    }
    if (!(error instanceof DefinitionError)) throw error;
    return { problems: error.problems.map((p) => (p.file === file ? { where: locate(p.path, parsed.origins), message: p.message } : { where: `${p.file}: ${p.path}`, message: p.message })) };
  }
  return { project: parsed.definition.name, file, warnings: [] };
}

/** Files that differ from HEAD (modified, added, untracked or deleted), from `git status`. */
function changedPaths(root: string): { path: string; deleted: boolean }[] {
  const run = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new BotError(`git status failed in ${root}: ${run.stderr.trim()}; the bot runs in a git checkout`);
  const prefix = spawnSync('git', ['rev-parse', '--show-prefix'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  return run.stdout
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => ({ path: entry.slice(3), deleted: entry[0] === 'D' || entry[1] === 'D' }))
    .filter((c) => c.path.startsWith(prefix))
    .map((c) => ({ ...c, path: c.path.slice(prefix.length) }));
}
