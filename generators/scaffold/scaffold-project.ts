/**
 * Adds `projects/<name>.ts|.yaml` to a repository, all or nothing: the file is first written into
 * a temporary copy of the definitions and the whole fleet validated there (schema, cross-checks,
 * ALB capacity); only a definition that passes, and that reads back as exactly the data meant,
 * is written into the repository, with a rename so no half-written file is ever seen.
 */
import { DEFINITION_DIRS, projectFile } from '../plan/layout.ts';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { listDefinitionFiles, loadDefinitions } from '../definitions/load.ts';
import { validateFleet } from '../definitions/load-fleet.ts';
import { localImports } from '../definitions/local-imports.ts';
import { DefinitionError, WHOLE_FILE, type Problem } from '../util/problem.ts';
import type { ProjectDefinition } from '../schema/project.ts';
import { isProjectName } from './build-project.ts';
import { PROJECT_EXTENSIONS, serializeProject, type ProjectFormat } from './serialize-project.ts';

export interface ScaffoldOptions {
  readonly format: ProjectFormat;
  /** Replace an existing project of the same name (in any format). */
  readonly force?: boolean;
  /** Validate with the whole fleet as usual, then write nothing (`devfleet import --dry-run`). */
  readonly dryRun?: boolean;
  /** The command named in the file's header (default: devfleet new). */
  readonly by?: string;
}

export interface ScaffoldResult {
  /** The written file, relative to the root: `projects/<name>.ts`. */
  readonly file: string;
  /** Files of the same project in another format that --force removed. */
  readonly replaced: readonly string[];
  /** The file's text, as written (or, with dryRun, as it would be). */
  readonly text: string;
}

export async function scaffoldProject(root: string, definition: ProjectDefinition, options: ScaffoldOptions): Promise<ScaffoldResult> {
  const { name } = definition;
  // The name becomes a path: it must be a plain project name before it is joined to anything.
  if (!isProjectName(name)) throw new Error(`refusing to write a project named ${JSON.stringify(name)}: not a valid project name`);
  const projects = join(root, DEFINITION_DIRS.project);
  const file = projectFile(name, PROJECT_EXTENSIONS[options.format]);
  const target = join(root, file);
  if (dirname(target) !== projects || relative(projects, target) !== basename(target)) throw new Error(`refusing to write outside projects/: ${file}`);

  const existing = listDefinitionFiles(projects).filter((path) => stemOf(path) === name);
  if (existing.length > 0 && !options.force) throw new ProjectExistsError(name, existing.map((path) => relative(root, path).split('\\').join('/')));

  const text = serializeProject(definition, options.format, options.by);
  await validateInCopy(root, file, text, definition, existing);
  if (options.dryRun) return { file, replaced: [], text };

  mkdirSync(projects, { recursive: true });
  const temporary = join(projects, `.${name}.devfleet-new-${process.pid}`);
  writeFileSync(temporary, text, { flag: 'wx' });
  try {
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  const replaced = existing.filter((path) => path !== target);
  for (const path of replaced) rmSync(path);
  return { file, replaced: replaced.map((path) => relative(root, path).split('\\').join('/')), text };
}

/** A project of that name is already defined (in any format) and --force was not given. */
export class ProjectExistsError extends DefinitionError {
  constructor(
    readonly project: string,
    readonly files: readonly string[],
  ) {
    super(files.map((file): Problem => ({ file, path: WHOLE_FILE, message: `project "${project}" already exists; choose another name, or pass --force to replace it` })));
  }
}

function stemOf(path: string): string {
  return basename(path).replace(/\.(ts|mts|ya?ml|json)$/, '');
}

/**
 * Validates the fleet with the new file in a temporary copy of the definitions and the local
 * modules they import (definitions/local-imports.ts), each at its place relative to the others:
 * the copy mirrors the deepest folder holding all of them, since an import may leave the root.
 * Throws DefinitionError.
 */
async function validateInCopy(root: string, file: string, text: string, definition: ProjectDefinition, replaced: readonly string[]): Promise<void> {
  const absolute = resolve(root);
  const skip = new Set(replaced.map((path) => resolve(path)));
  const definitions = Object.values(DEFINITION_DIRS).flatMap((folder) => listDefinitionFiles(join(absolute, folder))).filter((path) => !skip.has(path));
  const modules = await localImports(
    definitions.filter((path) => /\.m?ts$/.test(path)),
    { read: (path) => (existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined) },
  );
  const files = [...new Set([...definitions, ...modules])];
  const top = files.reduce((common, path) => commonFolder(common, dirname(path)), absolute);
  const temp = mkdtempSync(join(tmpdir(), 'devfleet-new-'));
  const copy = join(temp, relative(top, absolute));
  try {
    // The top of the copy: definitions may import modules up to here (definitions/bundle-definition.ts repositoryTop).
    mkdirSync(join(temp, '.git'));
    for (const folder of Object.values(DEFINITION_DIRS)) mkdirSync(join(copy, folder), { recursive: true });
    for (const path of files) {
      mkdirSync(dirname(join(temp, relative(top, path))), { recursive: true });
      copyFileSync(path, join(temp, relative(top, path)));
    }
    writeFileSync(join(copy, file), text);
    const { problems } = await validateFleet(copy);
    if (problems.length > 0) throw new DefinitionError(problems);
    const loaded = (await loadDefinitions(copy, 'project')).files.find((f) => f.file === file);
    // Compared as JSON: a loaded TypeScript module may come from another realm, and only data counts.
    if (!loaded || !isDeepStrictEqual(JSON.parse(JSON.stringify(loaded.value)), definition)) {
      throw new Error(`${file} does not read back as the data it was written from; report this as a devfleet bug`);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

function commonFolder(a: string, b: string): string {
  const [x, y] = [a.split(sep), b.split(sep)];
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return x.slice(0, n).join(sep) || sep;
}
