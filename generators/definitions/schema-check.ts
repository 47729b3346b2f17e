/**
 * JSON Schema validation (ajv) of one definition, with ajv's errors turned into Problems that
 * name the field, the value, the rule and the fix.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ClusterSchema } from '../schema/cluster.ts';
import { ProjectSchema } from '../schema/project.ts';
import type { LoadedFile } from './load.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { joinPath, show, WHOLE_FILE, type Problem } from '../util/problem.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof import('ajv-formats').default;

type Schema = Record<string, unknown>;

let compiled: { project: ValidateFunction; cluster: ValidateFunction } | undefined;

function validators() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
    ajv.addKeyword({ keyword: 'x-key-hint', schemaType: 'string' });
    ajv.addKeyword({ keyword: 'x-max-reason', schemaType: 'string' });
    addFormats(ajv, ['email', 'uri']);
    compiled = { project: ajv.compile(ProjectSchema), cluster: ajv.compile(ClusterSchema) };
  }
  return compiled;
}

/** Problems of one loaded file against its schema; empty when it conforms. */
export function checkSchema(loaded: LoadedFile): Problem[] {
  const validate = validators()[loaded.kind];
  if (validate(loaded.value)) return [];
  const rootSchema = (loaded.kind === 'project' ? ProjectSchema : ClusterSchema) as unknown as Schema;
  return describeErrors(validate.errors ?? [], loaded, rootSchema);
}

function describeErrors(errors: readonly ErrorObject[], loaded: LoadedFile, rootSchema: Schema): Problem[] {
  // Errors inside a failed anyOf are reported once, by the anyOf itself (see unionProblem).
  const unionPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath.replace(/\/anyOf$/, '/anyOf/'));
  const problems = new Map<string, Problem>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && unionPaths.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    const segments = pathSegments(error.instancePath);
    const found =
      error.keyword === 'anyOf'
        ? unionProblems(error, errors, segments, loaded, rootSchema)
        : [single(error, segments, loaded, rootSchema)];
    for (const problem of found) problems.set(`${problem.path}\0${problem.message}`, problem);
  }
  return [...problems.values()];
}

function single(error: ErrorObject, segments: (string | number)[], loaded: LoadedFile, rootSchema: Schema): Problem {
  const value = valueAt(loaded.value, segments);
  // The schema that holds the failed keyword (schemaPath ends with the keyword itself).
  const schema = schemaAt(rootSchema, error.schemaPath.replace(/\/[^/]*$/, '')) ?? {};
  const at = (extra: (string | number)[], message: string): Problem => {
    const path = [...segments, ...extra];
    const line = loaded.lineOf(path);
    return { file: loaded.file, path: fieldPath(path), message, ...(line === undefined ? {} : { line }) };
  };
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const parent = schemaAt(rootSchema, error.schemaPath.replace(/\/additionalProperties$/, ''));
      if (parent?.patternProperties) {
        // A map whose keys follow a pattern (environment variable names).
        return at([field], `"${field}" is not a valid name here: ${String(parent['x-key-hint'] ?? `it must match ${Object.keys(parent.patternProperties as Schema).join(' or ')}`)}`);
      }
      const allowed = Object.keys(parent?.properties ?? {});
      return at([field], `unknown field "${field}"; ${didYouMean(field, allowed)}allowed fields here: ${allowed.join(', ')}`);
    }
    case 'required':
      return at([String(params.missingProperty)], `is required; add it (${describe(schemaAt(rootSchema, `${error.schemaPath.replace(/\/required$/, '')}/properties/${String(params.missingProperty)}`))})`);
    case 'type':
      if (segments.length === 0 && (value === null || value === undefined)) {
        return at([], `is empty; write the ${loaded.kind} definition in it (required fields: ${((rootSchema.required as string[] | undefined) ?? []).join(', ')})`);
      }
      return at([], `must be ${article(String(params.type))}, got ${value === null ? 'null' : `${kindOf(value)} ${show(value)}`}`);
    case 'pattern':
      return at([], `${show(value)} is not valid: ${String(schema['x-hint'] ?? `must match ${String(params.pattern)}`)}`);
    case 'format':
      return at([], `${show(value)} is not valid: ${String(schema['x-hint'] ?? (params.format === 'email' ? 'write an e-mail address, e.g. "alice@example.com"' : `must be a valid ${String(params.format)}`))}`);
    case 'minLength':
      return at([], `${show(value)} is too short; give at least ${String(params.limit)} character(s)`);
    case 'maxLength':
      return at([], `${show(value)} is ${String((value as string).length)} characters long; the limit is ${String(params.limit)}${schema['x-max-reason'] ? ` (${String(schema['x-max-reason'])})` : ''}. Shorten it`);
    case 'minimum':
    case 'maximum':
      return at([], `${show(value)} is out of range; use a whole number from ${String(schema.minimum ?? '-')} to ${String(schema.maximum ?? '-')}`);
    case 'minItems':
      return at([], `needs at least ${String(params.limit)} item(s); add one`);
    case 'maxItems':
      return at([], `has ${String((value as unknown[]).length)} items; at most ${String(params.limit)} are allowed`);
    case 'maxProperties':
      return at([], `has too many entries; at most ${String(params.limit)} are allowed`);
    case 'uniqueItems': {
      const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
      return at([], `lists ${show((value as unknown[])[first!])} twice (items ${String(first)} and ${String(second)}); remove the duplicate`);
    }
    case 'const':
      return at([], `${show(value)} is not allowed; use ${show(params.allowedValue)}`);
    case 'propertyNames':
      return at([String(params.propertyName)], `"${String(params.propertyName)}" is not a valid name here: ${String(schema['x-key-hint'] ?? 'rename it')}`);
    default:
      return at([], `${show(value)} ${error.message ?? 'is invalid'}`);
  }
}

/**
 * A value that matched no branch of a union. When it is an object (or a list) and a branch is an
 * object (list) schema, that branch's own errors are the useful ones (a typo in
 * `{ secret, key }`, a name listed twice); otherwise say which shapes are accepted.
 */
function unionProblems(error: ErrorObject, all: readonly ErrorObject[], segments: (string | number)[], loaded: LoadedFile, rootSchema: Schema): Problem[] {
  const value = valueAt(loaded.value, segments);
  const union = schemaAt(rootSchema, error.schemaPath.replace(/\/anyOf$/, '')) ?? {};
  const branches = (union.anyOf as Schema[] | undefined) ?? [];
  const shape = Array.isArray(value) ? 'array' : value !== null && typeof value === 'object' ? 'object' : undefined;
  // Of several object branches, the one whose fields the value uses most (`{ remoteKey }` is not a
  // misspelt `{ generate }`); the first of equals.
  const known = (b: Schema) => (shape === 'object' ? Object.keys(value as object).filter((k) => k in ((b.properties as Schema | undefined) ?? {})).length : 0);
  const sameShape = branches.reduce((best, b, i) => (b.type !== shape ? best : best < 0 || known(b) > known(branches[best]!) ? i : best), -1);
  if (shape && sameShape >= 0) {
    const prefix = `${error.schemaPath}/${sameShape}/`;
    const inner = all.filter((e) => e.schemaPath.startsWith(prefix));
    if (inner.length > 0) return inner.map((e) => single(e, pathSegments(e.instancePath), loaded, rootSchema));
  }
  const line = loaded.lineOf(segments);
  const accepted = branches.map(describe).join(', or ');
  return [
    {
      file: loaded.file,
      path: fieldPath(segments),
      message: `${show(value)} is not accepted; use ${accepted}`,
      ...(line === undefined ? {} : { line }),
    },
  ];
}

/** The field path of a problem; the definition as a whole is the file. */
function fieldPath(segments: readonly (string | number)[]): string {
  return segments.length === 0 ? WHOLE_FILE : joinPath(segments);
}

function describe(schema: Schema | undefined): string {
  if (!schema) return 'a value';
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema.type === 'array') {
    const items = schema.items as Schema | undefined;
    return items?.type === 'object' ? `a list of objects { ${Object.keys((items.properties as Schema) ?? {}).join(', ')} }` : `a list of ${describe(items).replace(/^an? /, '')}s`;
  }
  if (schema.type === 'object') return `an object { ${Object.keys((schema.properties as Schema) ?? {}).join(', ')} }`;
  if (typeof schema.type === 'string') return article(schema.type);
  return 'a value';
}

function article(type: string): string {
  return type === 'integer' ? 'a whole number' : type === 'object' ? 'an object' : type === 'array' ? 'a list' : `a ${type}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `the ${typeof value}`;
}

function pathSegments(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}

function valueAt(value: unknown, segments: readonly (string | number)[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function schemaAt(root: Schema, schemaPath: string): Schema | undefined {
  let current: unknown = root;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    // ajv URI-encodes schema path segments (patternProperties keys are regular expressions).
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current as Schema | undefined;
}

/** What of a definition conforms to its schema (schemaValidPart). */
export interface SchemaValidPart {
  readonly value: unknown;
  /** The fields left out for a reason other than being unknown: a check reading them would read a default instead. */
  readonly removed: readonly (readonly (string | number)[])[];
}

/**
 * The part of a definition that conforms to its schema, for the checks that can still run on a
 * file with schema problems (load-fleet.ts), so that one run reports every problem of a file:
 * an unknown field is left out (nothing reads it); a required string or number that is only out
 * of its pattern, format, length or range (an image without a tag, a port above 65535) is kept
 * as written, since checks that compare names and numbers do not depend on that rule; anything
 * else takes its field with it (listed in `removed`), and a list with a broken item goes whole
 * (removing one item would renumber the others' field paths). Undefined when nothing of the file
 * is left to check (a required top-level field would go). The schema's own problems are
 * checkSchema's; this only decides what the other checks see.
 */
export function schemaValidPart(loaded: LoadedFile): SchemaValidPart | undefined {
  const validate = validators()[loaded.kind];
  const rootSchema = (loaded.kind === 'project' ? ProjectSchema : ClusterSchema) as unknown as Schema;
  const value: unknown = structuredClone(loaded.value);
  const kept = new Set<string>();
  const removed: (string | number)[][] = [];
  // Each round removes at least one field, so the rounds end; the bound only guards that argument.
  for (let round = 0; round < 1000; round++) {
    if (validate(value)) return { value, removed };
    const errors = validate.errors ?? [];
    const unionPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath.replace(/\/anyOf$/, '/anyOf/'));
    let changed = false;
    for (const error of errors) {
      if (error.keyword !== 'anyOf' && unionPaths.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
      if (kept.has(error.instancePath)) continue;
      const segments = pathSegments(error.instancePath);
      if (keepsAsWritten(error, segments, rootSchema)) {
        kept.add(error.instancePath);
        continue;
      }
      const params = error.params as Record<string, unknown>;
      const unknown = error.keyword === 'additionalProperties' ? String(params.additionalProperty) : error.keyword === 'propertyNames' ? String(params.propertyName) : undefined;
      const field = removeField(value, unknown === undefined ? segments : [...segments, unknown]);
      if (field === undefined) return undefined;
      if (unknown === undefined || field.length <= segments.length) removed.push(field);
      changed = true;
    }
    if (!changed) return { value, removed }; // only values kept as written fail
  }
  return undefined;
}

/** Rules whose failure leaves a value's shape intact: a check reading it as a string or a number still works. */
const SHAPE_KEEPING = new Set(['pattern', 'format', 'minLength', 'maxLength', 'minimum', 'maximum']);

/** Whether a failed value is kept as written: a required property, failing a rule that keeps its shape. */
function keepsAsWritten(error: ErrorObject, segments: readonly (string | number)[], rootSchema: Schema): boolean {
  if (!SHAPE_KEEPING.has(error.keyword) || segments.length === 0) return false;
  const property = /^(.*)\/properties\/([^/]+)\/[^/]+$/.exec(error.schemaPath);
  if (!property) return false;
  const parent = schemaAt(rootSchema, property[1]!);
  return ((parent?.required as string[] | undefined) ?? []).includes(decodeURIComponent(property[2]!));
}

/**
 * Removes the field at `segments`, or the enclosing list when it is a list item, and returns the
 * path removed; undefined when that would be the whole definition.
 */
function removeField(value: unknown, segments: readonly (string | number)[]): (string | number)[] | undefined {
  let at = [...segments];
  for (;;) {
    if (at.length === 0) return undefined;
    const parent = valueAt(value, at.slice(0, -1));
    if (Array.isArray(parent)) {
      at = at.slice(0, -1);
      continue;
    }
    if (parent !== null && typeof parent === 'object') delete (parent as Record<string, unknown>)[String(at.at(-1))];
    return at;
  }
}
