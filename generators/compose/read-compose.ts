/**
 * Reads a compose file the way Compose does, as far as a definition needs it: YAML (anchors,
 * aliases and merge keys `<<`), interpolation of `${VAR}` from the `.env` file next to it (never
 * from the shell: the definition written from it is committed), the Compose Specification's JSON
 * Schema on every file, `include` (other compose files joined in) and `extends` (a service built
 * on another, in this file or another one). Extension fields (`x-*`) are only there for anchors.
 *
 * Every file it reads must be inside the folder of the compose file given (no `../`, no absolute
 * path, no symbolic link out): an import reads what the reviewer of the compose file sees.
 * Problems name the file, the field and its line; nothing here writes.
 * Ref https://github.com/compose-spec/compose-spec/blob/main/spec.md
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { yamlLineOf } from '../util/yaml-lines.ts';
import { checkComposeSchema } from './check-compose-schema.ts';
import { interpolate, InterpolationError } from './interpolate.ts';
import { parseEnvFile } from './parse-env-file.ts';
import { DefinitionError, joinPath, show, WHOLE_FILE, type Problem } from '../util/problem.ts';

/** Larger files are refused before they are parsed: real compose files are a few kilobytes. */
export const COMPOSE_FILE_MAX_BYTES = 1024 * 1024;
/** Files one import may read through `include` and `extends`. */
const FILES_MAX = 50;
/**
 * A few lines of anchors could expand to gigabytes. The YAML library keeps one copy of an
 * anchored node however often it is aliased, and refuses past ALIASES_MAX (its own measure:
 * aliases times the aliases inside them); reading the fields then copies every value once per
 * use, so a file may expand to at most VALUES_MAX values (getsentry/self-hosted's compose file,
 * 34 KB with 130 aliases, expands to 2,329).
 */
const ALIASES_MAX = 100_000;
export const VALUES_MAX = 100_000;

export type Segments = readonly (string | number)[];
export type Fields = Record<string, unknown>;

/** One compose file read, with the lines of its fields. */
export interface ComposeFile {
  /** As shown in messages: the path given for the top file, and paths beside it for the others. */
  readonly file: string;
  readonly absolute: string;
  readonly value: Fields;
  readonly lineOf: (segments: Segments) => number | undefined;
}

export interface ComposeService {
  readonly name: string;
  /** The service's fields after `extends`, interpolated. */
  readonly fields: Fields;
  /** The file that defines it (its relative paths are relative to that file's folder). */
  readonly source: ComposeFile;
}

export interface ComposeProject {
  /** The top file, as given. */
  readonly file: string;
  /** Its folder: every path read must be inside it. */
  readonly folder: string;
  /** Top-level `name:`, if any. */
  readonly name: string | undefined;
  /** In the order the files define them. */
  readonly services: readonly ComposeService[];
  readonly volumes: Fields;
  readonly secrets: Fields;
  readonly configs: Fields;
  /** Problems that do not stop the import (unset variables), shown as warnings. */
  readonly warnings: readonly Problem[];
  /** Where a problem about a service's field is: its file, field path and line. */
  readonly at: (service: ComposeService, segments: Segments, message: string) => Problem;
}

export const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads `path` (a compose file) and everything it includes or extends. Throws DefinitionError. */
export function readCompose(path: string): ComposeProject {
  const absolute = resolve(path);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) throw new DefinitionError([{ file: path, path: WHOLE_FILE, message: 'no such file; give the path of a compose file, e.g. compose.yaml' }]);
  const folder = realpathSync(dirname(absolute));
  const reader = new Reader(path, folder);
  const top = reader.read(join(folder, relative(dirname(absolute), absolute)), []);
  const merged = { services: new Map<string, { fields: Fields; source: ComposeFile }>(), volumes: {} as Fields, secrets: {} as Fields, configs: {} as Fields };
  reader.join(top, merged, [top.absolute]);
  const services = [...merged.services].map(([name, entry]) => ({ name, fields: reader.extended(entry.source, name, entry.fields, []), source: entry.source }));
  reader.throwIfAny();
  return {
    file: path,
    folder,
    name: typeof top.value.name === 'string' ? top.value.name : undefined,
    services,
    volumes: merged.volumes,
    secrets: merged.secrets,
    configs: merged.configs,
    warnings: reader.warnings,
    at: (service, segments, message) => at(service.source, ['services', service.name, ...segments], message),
  };
}

function at(file: ComposeFile, segments: Segments, message: string): Problem {
  const line = file.lineOf(segments);
  return { file: file.file, path: joinPath(segments), message, ...(line === undefined ? {} : { line }) };
}

/**
 * `relativePath` (from a compose file in `base`) as an absolute path inside `folder`, or a
 * message saying why not. Symbolic links are followed before the check.
 */
export function insideFolder(folder: string, base: string, relativePath: string): { path: string } | { refused: string } {
  if (isAbsolute(relativePath) || /^~/.test(relativePath)) return { refused: `is a path outside the compose file's folder (${show(relativePath)}); an import reads only files next to the compose file` };
  const target = resolve(base, relativePath);
  let real = target;
  try {
    real = realpathSync(target);
  } catch {
    // A path that does not exist yet is checked as written.
  }
  const inside = (p: string) => p === folder || p.startsWith(folder.endsWith(sep) ? folder : folder + sep);
  if (!inside(target) || !inside(real)) return { refused: `leaves the compose file's folder (${show(relativePath)}); an import reads only files next to the compose file` };
  return { path: real };
}

class Reader {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  readonly variables: ReadonlyMap<string, string>;
  private readonly files = new Map<string, ComposeFile>();

  constructor(
    private readonly topPath: string,
    private readonly folder: string,
  ) {
    const dotenv = join(folder, '.env');
    const values = new Map<string, string>();
    if (existsSync(dotenv) && statSync(dotenv).isFile()) {
      const parsed = parseEnvFile(readFileSync(dotenv, 'utf8'));
      const shown = this.display(dotenv);
      // As Compose does, a value not in single quotes interpolates the variables defined above it
      // (`DATA=${ROOT:-/srv}/data`); the shell is never read.
      for (const [name, value] of parsed.values) {
        if (parsed.literal.has(name)) {
          values.set(name, value);
          continue;
        }
        try {
          const result = interpolate(value, values);
          values.set(name, result.value);
          for (const unset of result.unset) this.warnings.push({ file: shown, path: name, message: `uses variable ${unset}, which is not set above it: it became the empty string, as Compose does without it in the shell; set it in .env` });
        } catch (error) {
          if (!(error instanceof InterpolationError)) throw error;
          this.problems.push({ file: shown, path: name, message: error.message });
        }
      }
      for (const line of parsed.badLines) this.problems.push({ file: shown, path: WHOLE_FILE, message: `line ${line} is not NAME=value; fix it or make it a # comment` });
    }
    this.variables = values;
  }

  /** The path shown for a file: beside the top file, as the user gave it. */
  display(absolute: string): string {
    const rel = relative(this.folder, absolute).split(sep).join('/');
    const dir = dirname(this.topPath);
    return dir === '.' ? rel : `${dir.split(sep).join('/')}/${rel}`;
  }

  /** Reads, parses, interpolates and schema-checks one file (once). Throws DefinitionError when it cannot be read at all. */
  read(absolute: string, chain: readonly string[]): ComposeFile {
    const known = this.files.get(absolute);
    if (known) return known;
    const file = this.files.size === 0 ? this.topPath : this.display(absolute);
    const fail = (message: string): never => {
      throw new DefinitionError([...this.problems, { file, path: WHOLE_FILE, message }]);
    };
    if (this.files.size >= FILES_MAX) fail(`is one file more than the ${FILES_MAX} an import reads through include and extends; join fewer files`);
    if (chain.includes(absolute)) fail(`includes or extends itself (${[...chain, absolute].map((p) => this.display(p)).join(' -> ')}); remove the cycle`);
    let size: number;
    try {
      const stat = statSync(absolute);
      if (!stat.isFile()) fail('is not a file; give the path of a compose file');
      size = stat.size;
    } catch (error) {
      if (error instanceof DefinitionError) throw error;
      return fail(`could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path`);
    }
    if (size > COMPOSE_FILE_MAX_BYTES) fail(`is ${size} bytes, more than the ${COMPOSE_FILE_MAX_BYTES} a compose file may have for an import; split it with include`);
    const text = readFileSync(absolute, 'utf8');
    const lineCounter = new LineCounter();
    // YAML 1.2 with merge keys (`<<: *defaults`), as Compose files use them; unique keys, as Compose requires.
    const doc = parseDocument(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false });
    const error = doc.errors[0];
    if (error) {
      const line = lineCounter.linePos(error.pos[0]);
      fail(`is not valid YAML: line ${line.line}, column ${line.col}: ${error.message.split('\n')[0]}; fix the syntax`);
    }
    let raw: unknown;
    try {
      raw = doc.toJS({ maxAliasCount: ALIASES_MAX });
    } catch (e) {
      fail(`is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}; use fewer anchors and aliases`);
    }
    if (!isFields(raw)) fail('is not a compose file: its top level must be a mapping with `services:`; see https://compose-spec.io');
    const lineOf = (segments: Segments): number | undefined => yamlLineOf(doc, lineCounter, segments);
    const partial: ComposeFile = { file, absolute, value: {}, lineOf };
    const value = this.interpolated(raw as Fields, partial, fail);
    const loaded: ComposeFile = { ...partial, value };
    this.files.set(absolute, loaded);
    const schemaProblems = checkComposeSchema(value);
    for (const problem of schemaProblems) this.problems.push(at(loaded, problem.segments, problem.message));
    if (schemaProblems.length > 0) this.throwIfAny();
    return loaded;
  }

  /** Every string value interpolated (keys are not, as in Compose). */
  private interpolated(value: Fields, file: ComposeFile, fail: (message: string) => never): Fields {
    let values = 0;
    const walk = (node: unknown, segments: (string | number)[]): unknown => {
      if (++values > VALUES_MAX) fail(`expands to more than ${VALUES_MAX} values through its anchors and aliases; use fewer aliases`);
      if (typeof node === 'string') {
        try {
          const result = interpolate(node, this.variables);
          for (const name of result.unset) this.warnings.push(at(file, segments, `variable ${name} is not set (no .env entry, no default): it became the empty string, as Compose does; set it in .env next to the compose file`));
          return result.value;
        } catch (error) {
          if (!(error instanceof InterpolationError)) throw error;
          this.problems.push(at(file, segments, error.message));
          return node;
        }
      }
      if (Array.isArray(node)) return node.map((item, i) => walk(item, [...segments, i]));
      if (isFields(node)) return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...segments, key])]));
      return node;
    };
    return walk(value, []) as Fields;
  }

  /** Joins `file` and the files it includes into `merged`; a name defined twice is a problem. */
  join(file: ComposeFile, merged: { services: Map<string, { fields: Fields; source: ComposeFile }>; volumes: Fields; secrets: Fields; configs: Fields }, chain: readonly string[]): void {
    const includes = Array.isArray(file.value.include) ? file.value.include : [];
    includes.forEach((entry, i) => {
      const paths = typeof entry === 'string' ? [entry] : isFields(entry) ? (Array.isArray(entry.path) ? entry.path : [entry.path]) : [];
      if (isFields(entry) && (entry.env_file !== undefined || entry.project_directory !== undefined)) {
        this.problems.push(at(file, ['include', i], 'sets env_file or project_directory, which the import does not read (it interpolates every file from the .env next to the top compose file); list the file alone, or merge the compose files'));
      }
      for (const path of paths) {
        if (typeof path !== 'string') continue;
        const inside = insideFolder(this.folder, dirname(file.absolute), path);
        if ('refused' in inside) {
          this.problems.push(at(file, ['include', i], inside.refused));
          continue;
        }
        if (chain.includes(inside.path)) {
          this.problems.push(at(file, ['include', i], `includes ${show(path)}, which includes this file again (${[...chain, inside.path].map((p) => this.display(p)).join(' -> ')}); remove the cycle`));
          continue;
        }
        this.join(this.read(inside.path, chain), merged, [...chain, inside.path]);
      }
    });
    const services = isFields(file.value.services) ? file.value.services : {};
    for (const [name, fields] of Object.entries(services)) {
      const other = merged.services.get(name);
      if (other) this.problems.push(at(file, ['services', name], `service "${name}" is also defined in ${other.source.file}; Compose refuses a service defined twice across include; rename one`));
      else merged.services.set(name, { fields: isFields(fields) ? fields : {}, source: file });
    }
    for (const kind of ['volumes', 'secrets', 'configs'] as const) {
      const entries = isFields(file.value[kind]) ? (file.value[kind] as Fields) : {};
      for (const [name, value] of Object.entries(entries)) {
        if (name in merged[kind] && JSON.stringify(merged[kind][name]) !== JSON.stringify(value)) this.problems.push(at(file, [kind, name], `${kind.slice(0, -1)} "${name}" is also defined differently in another included file; rename one`));
        else merged[kind][name] = value ?? {};
      }
    }
  }

  /** A service's fields with its `extends` chain applied (the base first, the service's own fields over it). */
  extended(source: ComposeFile, name: string, fields: Fields, chain: readonly string[]): Fields {
    const spec = fields.extends;
    if (spec === undefined) return fields;
    const key = `${source.absolute}#${name}`;
    const here = [...chain, key];
    const { extends: _, ...own } = fields;
    const base = typeof spec === 'string' ? { service: spec } : isFields(spec) ? spec : {};
    let baseFile = source;
    if (typeof base.file === 'string') {
      const inside = insideFolder(this.folder, dirname(source.absolute), base.file);
      if ('refused' in inside) {
        this.problems.push(at(source, ['services', name, 'extends', 'file'], inside.refused));
        return own;
      }
      baseFile = this.read(inside.path, []);
    }
    const baseName = String(base.service);
    const baseKey = `${baseFile.absolute}#${baseName}`;
    if (here.includes(baseKey)) {
      this.problems.push(at(source, ['services', name, 'extends'], `extends itself through ${[...here, baseKey].map((k) => k.slice(k.lastIndexOf('#') + 1)).join(' -> ')}; remove the cycle`));
      return own;
    }
    const baseServices = isFields(baseFile.value.services) ? baseFile.value.services : {};
    const baseFields = baseServices[baseName];
    if (!isFields(baseFields)) {
      this.problems.push(at(source, ['services', name, 'extends'], `names service ${show(baseName)}, which ${baseFile.file} does not define; name one of ${Object.keys(baseServices).map((s) => show(s)).join(', ') || '(none)'}`));
      return own;
    }
    if (baseFile !== source) this.problems.push(...relativePathsOf(baseFile, baseName, baseFields, source));
    return mergeService(this.extended(baseFile, baseName, baseFields, here), own);
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new DefinitionError(this.problems);
  }
}

/**
 * A service extended from another file keeps relative paths relative to that file's folder in
 * Compose; the translation reads paths relative to the extending file. Both are inside the same
 * folder tree, but a base in another folder with relative paths would be read wrongly: refused.
 */
function relativePathsOf(baseFile: ComposeFile, baseName: string, fields: Fields, source: ComposeFile): Problem[] {
  if (dirname(baseFile.absolute) === dirname(source.absolute)) return [];
  const relativeFields = ['build', 'env_file', 'volumes'].filter((field) => fields[field] !== undefined);
  return relativeFields.map((field) => at(baseFile, ['services', baseName, field], `is extended from ${source.file}, in another folder, and holds paths relative to ${baseFile.file}, which the import does not rebase; move the base service next to the extending file`));
}

/** Fields whose lists are replaced, not appended to, when a service extends another (Compose's merge rules). */
const REPLACED = new Set(['command', 'entrypoint', 'healthcheck']);
/** Fields Compose writes as a list of NAME=value or a mapping: merged as mappings. */
const MAPPINGS = new Set(['environment', 'labels', 'extra_hosts', 'annotations', 'sysctls']);

/**
 * `base` with `own` over it: mappings merged, lists appended (without repeats), scalars and
 * command/entrypoint/healthcheck replaced.
 * Ref https://github.com/compose-spec/compose-spec/blob/main/09-extends.md
 */
export function mergeService(base: Fields, own: Fields): Fields {
  const out: Fields = { ...base };
  for (const [key, value] of Object.entries(own)) {
    const previous = out[key];
    if (REPLACED.has(key) || previous === undefined) out[key] = value;
    else if (MAPPINGS.has(key)) out[key] = { ...asMapping(previous), ...asMapping(value) };
    else if (Array.isArray(previous) && Array.isArray(value)) {
      const seen = new Set(previous.map((item) => JSON.stringify(item)));
      out[key] = [...previous, ...value.filter((item) => !seen.has(JSON.stringify(item)))];
    } else if (isFields(previous) && isFields(value)) out[key] = mergeService(previous, value);
    else out[key] = value;
  }
  return out;
}

/** `["A=1", "B"]` or `{ A: 1, B: null }` as a mapping (a name without a value maps to null). */
export function asMapping(value: unknown): Record<string, unknown> {
  if (isFields(value)) return value;
  if (!Array.isArray(value)) return {};
  return Object.fromEntries(
    value.filter((item): item is string => typeof item === 'string').map((item) => {
      const eq = item.indexOf('=');
      return eq < 0 ? [item, null] : [item.slice(0, eq), item.slice(eq + 1)];
    }),
  );
}
