/**
 * A "New project from compose" issue body -> `projects/<name>.ts` in `root`, written by the same
 * function as `devfleet import compose <file> --name N --registry R --image S=I`
 * (compose/import-compose.ts), so the pull request holds the bytes the command would write.
 *
 * The compose text is the only file the bot has: it is written alone as `compose.yaml` into a
 * fresh temporary folder, which is the compose file's folder for the import. Everything the file
 * names beside itself (`include`, `extends: file`, `env_file`, `.env`, bind-mounted files, configs,
 * build contexts) is then missing, exactly as for a compose file with no neighbours, and every
 * path outside that folder is refused by the import (compose/read-compose.ts insideFolder): no
 * file of the runner is ever read. Problems and warnings name the form field and the line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCompose, UnknownServiceError, type ImportComposeOptions } from '../compose/import-compose.ts';
import { projectFile } from '../plan/layout.ts';
import type { InputProblem } from '../scaffold/input-problem.ts';
import { ProjectExistsError } from '../scaffold/scaffold-project.ts';
import { DefinitionError, WHOLE_FILE, type Problem } from '../util/problem.ts';
import { COMPOSE_ISSUE_FIELDS, parseComposeIssueForm } from './parse-compose-issue-form.ts';

/** The name the compose text gets in its folder: the import's description names it ("Imported from compose.yaml"). */
export const COMPOSE_ISSUE_FILE = 'compose.yaml';

export type ComposeIssueImport =
  | { readonly project: string; readonly file: string; readonly warnings: readonly InputProblem[] }
  | { readonly problems: readonly InputProblem[] };

/** `registries`: as for `devfleet import compose` (the prepare job asks the images' registries, as the command does unless --offline). */
export async function importComposeIssue(root: string, body: string, registries: Pick<ImportComposeOptions, 'offline' | 'registries' | 'now'> = {}): Promise<ComposeIssueImport> {
  const form = parseComposeIssueForm(body);
  if (!form.input) return { problems: form.problems };
  const { name, compose, registry, images, imageLines, developers } = form.input;
  const file = projectFile(name, '.ts');
  const folder = mkdtempSync(join(tmpdir(), 'devfleet-compose-issue-'));
  const composePath = join(folder, COMPOSE_ISSUE_FILE);
  const located = (p: Problem): InputProblem => {
    if (p.file === composePath) {
      const where = `${COMPOSE_ISSUE_FIELDS.compose}${p.line === undefined ? '' : `, line ${p.line}`}`;
      return { where: p.path === WHOLE_FILE ? where : `${where} (${p.path})`, message: p.message };
    }
    // A file beside the compose file (include, extends: file): missing, shown by its name in the folder.
    if (p.file.startsWith(`${folder}/`)) return { where: `${p.file.slice(folder.length + 1)}: ${p.path}`, message: p.message };
    if (p.file === file) return { where: p.path.startsWith('developers') ? `${COMPOSE_ISSUE_FIELDS.developers} (${p.path})` : `${file}: ${p.path}`, message: p.message };
    return { where: `${p.file}: ${p.path}`, message: p.message };
  };
  try {
    writeFileSync(composePath, compose, { flag: 'wx' });
    const result = await importCompose(root, composePath, { ...registries, name, registry, images, developers, format: 'ts' });
    return { project: name, file: result.file, warnings: result.warnings.map(located) };
  } catch (error) {
    if (error instanceof ProjectExistsError) return { problems: [{ where: COMPOSE_ISSUE_FIELDS.name, message: `"${error.project}" is already a project (${error.files.join(', ')}); choose another name` }] };
    if (error instanceof UnknownServiceError) return { problems: [{ where: imageLines.get(error.service) ?? COMPOSE_ISSUE_FIELDS.images, message: `the compose file has no service "${error.service}"; its services: ${error.services.join(', ')}` }] };
    if (error instanceof DefinitionError) return { problems: error.problems.map(located) };
    throw error;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
