/**
 * What the read-only job of .github/workflows/new-project.yml hands to the job that may write:
 * `result.json` plus, for a valid issue, the files to commit under `files/<path>`. The writing job
 * trusts none of it blindly: paths must be the new project file or generated output, files must
 * be regular and small, and the issue number must be the one the workflow runs for.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isGeneratedPath, projectFile } from '../plan/layout.ts';
import { isProjectName } from '../scaffold/build-project.ts';
import type { InputProblem } from '../scaffold/input-problem.ts';
import { BotError } from './bot-error.ts';

/** Which issue form the issue was made with: "New project" (new-project.yml) or "New project from compose" (new-project-from-compose.yml). */
export type NewProjectForm = 'new-project' | 'compose';
export const NEW_PROJECT_FORMS: readonly NewProjectForm[] = ['new-project', 'compose'];

export type NewProjectResult =
  | {
      readonly issue: number;
      readonly form: NewProjectForm;
      readonly valid: true;
      readonly project: string;
      readonly file: string;
      readonly files: readonly string[];
      readonly deletions: readonly string[];
      /** What the compose import did not translate but leaves a working app (always empty for the "New project" form). */
      readonly warnings: readonly InputProblem[];
    }
  | { readonly issue: number; readonly form: NewProjectForm; readonly valid: false; readonly problems: readonly InputProblem[] };

export const RESULT_FILE = 'result.json';
export const FILES_DIR = 'files';

const FILE_MAX = 1 << 20;
const FILES_MAX = 20_000;

export function isAllowedPath(path: string, projectFile: string): boolean {
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) return false;
  return path === projectFile || isGeneratedPath(path);
}

/** Reads and checks an artifact written by prepareNewProject; throws BotError when anything is off. */
export function readNewProjectArtifact(dir: string, issueNumber: number): { result: NewProjectResult; files: Map<string, Buffer> } {
  const result = JSON.parse(readSmallFile(join(dir, RESULT_FILE), FILE_MAX).toString('utf8')) as NewProjectResult;
  if (result.issue !== issueNumber) throw new BotError(`the artifact is for issue #${String(result.issue)}, not #${issueNumber}; re-run the workflow`);
  const files = new Map<string, Buffer>();
  if (!NEW_PROJECT_FORMS.includes(result.form)) throw new BotError(`the artifact names the form ${JSON.stringify(result.form)}; expected one of ${NEW_PROJECT_FORMS.join(', ')}; re-run the workflow`);
  const malformed = (list: unknown) => !Array.isArray(list) || list.some((p: Partial<InputProblem> | null) => typeof p?.where !== 'string' || typeof p.message !== 'string');
  if (!result.valid) {
    if (malformed(result.problems)) throw new BotError('the artifact\'s problem list is malformed; re-run the workflow');
    return { result, files };
  }
  if (malformed(result.warnings)) throw new BotError('the artifact\'s warning list is malformed; re-run the workflow');
  if (!isProjectName(result.project) || result.file !== projectFile(result.project, '.ts')) throw new BotError(`the artifact names the project file ${JSON.stringify(result.file)}; expected projects/<name>.ts`);
  if (!result.files.includes(result.file)) throw new BotError(`the artifact does not contain ${result.file}; re-run the workflow`);
  if (result.files.length + result.deletions.length > FILES_MAX) throw new BotError(`the artifact lists ${result.files.length} files; more than ${FILES_MAX} is not a new project`);
  for (const path of [...result.files, ...result.deletions]) {
    if (typeof path !== 'string' || !isAllowedPath(path, result.file)) throw new BotError(`the artifact lists ${JSON.stringify(path)}, which is neither ${result.file} nor generated output; nothing was pushed`);
  }
  for (const path of result.files) files.set(path, readSmallFile(join(dir, FILES_DIR, path), FILE_MAX));
  return { result, files };
}

function readSmallFile(path: string, max: number): Buffer {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    throw new BotError(`${path} is missing from the artifact; re-run the workflow`);
  }
  if (!stat.isFile()) throw new BotError(`${path} in the artifact is not a regular file; nothing was pushed`);
  if (stat.size > max) throw new BotError(`${path} in the artifact is ${stat.size} bytes (limit ${max}); nothing was pushed`);
  return readFileSync(path);
}
