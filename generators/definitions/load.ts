/**
 * Reads definition files (`projects/*` and `clusters/*`) as plain data, without judging them.
 *
 * TypeScript files are imported with jiti (./import-typescript.ts); their default export is the
 * definition. YAML and JSON files are parsed with the `yaml` package (JSON is YAML), keeping the
 * parsed document so a problem can point at a source line. Every failure becomes a Problem, never
 * an exception.
 *
 * Which files are definitions (projects/README.md): the files directly in projects/ and clusters/
 * ending in .ts, .mts, .yaml, .yml or .json, except declaration files (.d.ts) and names that start
 * with `.` or `_`. Everything else there is not loaded as a definition: `_`-prefixed files and
 * (in projects/) subfolders hold helper modules that definitions import; clusters/<cluster>/ is
 * the generated tree.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { importTypeScript } from './import-typescript.ts';
import { WHOLE_FILE, type Problem } from '../util/problem.ts';

export type DefinitionKind = 'project' | 'cluster';

export interface LoadedFile {
  readonly kind: DefinitionKind;
  /** Relative to the root, forward slashes. */
  readonly file: string;
  /** The file name without its extension: must equal the definition's `name`. */
  readonly stem: string;
  readonly value: unknown;
  /** Source line of a field path, where the source keeps positions (YAML/JSON). */
  readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

export interface LoadResult {
  readonly files: LoadedFile[];
  readonly problems: Problem[];
}

const EXTENSIONS = ['.ts', '.mts', '.yaml', '.yml', '.json'] as const;

/** Whether a file directly in projects/ or clusters/ is a definition (see the header), by its name. */
export function isDefinitionFileName(name: string): boolean {
  return EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith('.d.ts') && !name.startsWith('.') && !name.startsWith('_');
}

/** The definition files of one folder, sorted by name (code-point order, locale-independent). */
export function listDefinitionFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter(isDefinitionFileName)
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => join(dir, name));
}

export async function loadDefinitions(root: string, kind: DefinitionKind): Promise<LoadResult> {
  const folder = kind === 'project' ? 'projects' : 'clusters';
  const files: LoadedFile[] = [];
  const problems: Problem[] = [];
  for (const path of listDefinitionFiles(join(root, folder))) {
    const file = relative(root, path).split(sep).join('/');
    const stem = path.slice(path.lastIndexOf(sep) + 1).replace(/\.(ts|mts|ya?ml|json)$/, '');
    const loaded = /\.m?ts$/.test(path) ? await loadTypeScript(path, file) : loadYaml(path, file);
    if ('problem' in loaded) problems.push(loaded.problem);
    else files.push({ kind, file, stem, ...loaded });
  }
  return { files, problems };
}

type Loaded = { value: unknown; lineOf: LoadedFile['lineOf'] } | { problem: Problem };

const noLines = () => undefined;

async function loadTypeScript(path: string, file: string): Promise<Loaded> {
  let module: Record<string, unknown>;
  try {
    module = await importTypeScript(pathToFileURL(path).href);
  } catch (error) {
    return { problem: { file, path: WHOLE_FILE, message: `could not be loaded: ${describeError(error, path)}; fix the TypeScript so it runs` } };
  }
  if (!('default' in module) || module.default === undefined) {
    return {
      problem: {
        file,
        path: WHOLE_FILE,
        message: `has no default export; end the file with \`export default define${file.startsWith('clusters/') ? 'Cluster' : 'Project'}({ ... })\``,
      },
    };
  }
  return { value: module.default, lineOf: noLines };
}

function loadYaml(path: string, file: string): Loaded {
  const text = readFileSync(path, 'utf8');
  const lineCounter = new LineCounter();
  // One document per file, unique keys, YAML 1.2 core schema (no "yes" -> true, no sexagesimal numbers).
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, schema: 'core', strict: true });
  const error = doc.errors[0];
  if (error) {
    // error.linePos is only filled in with prettyErrors; the line counter knows every offset.
    const line = lineCounter.linePos(error.pos[0]);
    const at = line.line > 0 ? `line ${line.line}, column ${line.col}: ` : '';
    return { problem: { file, path: WHOLE_FILE, message: `is not valid YAML/JSON: ${at}${firstLine(error.message)}; fix the syntax` } };
  }
  const value = doc.toJS({ maxAliasCount: 100 });
  return {
    value,
    lineOf: (segments) => {
      for (let n = segments.length; n >= 0; n--) {
        const node = doc.getIn(segments.slice(0, n), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

/** The first line of an error, with the position in the definition file where the message gives one. */
function describeError(error: unknown, path: string): string {
  if (!(error instanceof Error)) return String(error);
  const text = `${error.message}\n${error.stack ?? ''}`;
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const position = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(text);
  const at = position ? ` (line ${position[1]}, column ${position[2]})` : '';
  return `${firstLine(error.message)}${at}`;
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? text;
}
