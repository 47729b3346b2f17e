/**
 * Reads definition files (`projects/*` and `clusters/*`) as plain data, without judging them.
 *
 * TypeScript files are evaluated each in a sandbox process under a time limit
 * (./import-typescript.ts); their default export is the definition. YAML and JSON files are parsed with the `yaml` package (JSON is YAML), keeping the
 * parsed document so a problem can point at a source line. Every failure becomes a Problem naming
 * the file, never an exception.
 *
 * Which files are definitions (projects/README.md): the files directly in projects/ and clusters/
 * ending in .ts, .mts, .yaml, .yml or .json, except declaration files (.d.ts) and names that start
 * with `.` or `_`. Everything else there is not loaded as a definition: `_`-prefixed files and
 * (in projects/) subfolders hold helper modules that definitions import; clusters/<cluster>/ is
 * the generated tree.
 *
 * A symbolic link whose target lies outside the root is refused before anything reads it: a
 * definition is reviewed where it lives, and an error message must not echo a file from
 * elsewhere on the machine (a link to ~/.aws/credentials would print its first line).
 */
import { DEFINITION_DIRS } from '../plan/layout.ts';
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { yamlLineOf } from '../util/yaml-lines.ts';
import { TypeScriptImporter } from './import-typescript.ts';
import { joinPath, WHOLE_FILE, type Problem } from '../util/problem.ts';

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

export const EXTENSIONS = ['.ts', '.mts', '.yaml', '.yml', '.json'] as const;

/**
 * YAML aliases expanded per document at most: a few hundred is plenty for hand-written
 * definitions, and it stops "billion laughs" documents (a few lines that expand to gigabytes).
 * Ref https://eemeli.org/yaml/#tojs-options (maxAliasCount)
 */
export const MAX_ALIAS_COUNT = 100;

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
    .filter((name) => {
      // lstat: a link is judged by loadDefinitions (which refuses one that leaves the root), not followed here.
      const entry = lstatSync(join(dir, name));
      return entry.isFile() || entry.isSymbolicLink();
    })
    .sort()
    .map((name) => join(dir, name));
}

export async function loadDefinitions(root: string, kind: DefinitionKind, importer?: TypeScriptImporter): Promise<LoadResult> {
  const folder = DEFINITION_DIRS[kind];
  const files: LoadedFile[] = [];
  const problems: Problem[] = [];
  const typescript = importer ?? new TypeScriptImporter();
  try {
    // Every TypeScript file is started at once (the importer bounds how many run); results keep the file order.
    const loading = listDefinitionFiles(join(root, folder)).flatMap((path) => {
      const file = relative(root, path).split(sep).join('/');
      const stem = path.slice(path.lastIndexOf(sep) + 1).replace(/\.(ts|mts|ya?ml|json)$/, '');
      const link = checkLink(root, path, file);
      if (link === 'skip') return [];
      const loaded: Loaded | Promise<Loaded> = link ?? (/\.m?ts$/.test(path) ? loadTypeScript(typescript, root, path, file) : loadYaml(path, file));
      return [{ file, stem, loaded }];
    });
    for (const { file, stem, loaded } of loading) {
      const result = await loaded;
      if ('problem' in result) problems.push(result.problem);
      else files.push({ kind, file, stem, ...result });
    }
  } finally {
    if (!importer) await typescript.close();
  }
  return { files, problems };
}

type Loaded = { value: unknown; lineOf: LoadedFile['lineOf'] } | { problem: Problem };

const noLines = () => undefined;

/**
 * A symbolic link that leaves the root (or leads nowhere) is a problem; one to a folder is
 * skipped like any folder; a file or a link inside the root is loaded (undefined).
 */
function checkLink(root: string, path: string, file: string): { problem: Problem } | 'skip' | undefined {
  if (!lstatSync(path).isSymbolicLink()) return undefined;
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    return { problem: { file, path: WHOLE_FILE, message: 'is a symbolic link to nothing (its target does not exist); replace it with the definition itself' } };
  }
  const inside = relative(realpathSync(root), target);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || inside.startsWith(sep)) {
    return {
      problem: {
        file,
        path: WHOLE_FILE,
        message: 'is a symbolic link to a file outside the repository root, which devfleet does not read (definitions are reviewed where they live); put the definition itself in its place',
      },
    };
  }
  return statSync(target).isFile() ? undefined : 'skip';
}

async function loadTypeScript(importer: TypeScriptImporter, root: string, path: string, file: string): Promise<Loaded> {
  const outcome = await importer.import(path, root);
  const problem = (message: string, segments: readonly (string | number)[] = []): Loaded => ({
    problem: { file, path: segments.length === 0 ? WHOLE_FILE : joinPath(segments), message },
  });
  switch (outcome.kind) {
    case 'value':
      return { value: outcome.value, lineOf: noLines };
    case 'timeout':
      return problem(
        `did not finish within ${outcome.seconds} s; look for an endless loop or a wait that never ends (a definition is data and loads at once), or raise the limit with DEVFLEET_DEFINITION_TIMEOUT=<seconds>`,
      );
    case 'no-default':
      return problem(`has no default export; end the file with \`export default define${file.startsWith(`${DEFINITION_DIRS.cluster}/`) ? 'Cluster' : 'Project'}({ ... })\``);
    case 'not-data':
      return problem(`is ${outcome.what}; a definition is plain data (strings, numbers, booleans, lists, objects), so compute the value and export the result`, outcome.path);
    case 'error':
      return problem(`could not be loaded: ${outcome.message}; fix the TypeScript so it runs`);
  }
}

function loadYaml(path: string, file: string): Loaded {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { problem: { file, path: WHOLE_FILE, message: `could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the file's permissions` } };
  }
  // YAML and JSON definitions are UTF-8 (a UTF-8 byte-order mark is allowed); an editor's "Unicode" (UTF-16) would read as garbage keys.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problem: { file, path: WHOLE_FILE, message: 'is encoded as UTF-16; save it as UTF-8 (in most editors: "Save with encoding" or "Encoding: UTF-8")' } };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: { file, path: WHOLE_FILE, message: 'is not valid UTF-8 (it holds bytes of another encoding, such as Latin-1 or Shift_JIS); save it as UTF-8' } };
  }
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
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package throws a ReferenceError when aliases expand past maxAliasCount.
    const message = error instanceof Error ? firstLine(error.message) : String(error);
    const bomb = /alias/i.test(message);
    return {
      problem: {
        file,
        path: WHOLE_FILE,
        message: bomb
          ? `is not valid YAML/JSON: its aliases (*name) expand to more than ${MAX_ALIAS_COUNT} copies, which devfleet refuses (a few lines could expand to gigabytes); write the values out, or use fewer anchors and aliases`
          : `is not valid YAML/JSON: ${message}; fix the syntax`,
      },
    };
  }
  return {
    value,
    lineOf: (segments) => yamlLineOf(doc, lineCounter, segments),
  };
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? text;
}
