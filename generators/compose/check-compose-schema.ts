/**
 * Checks one compose file against the Compose Specification's published JSON Schema (vendored
 * unmodified in ./vendor/, with its licence and source), so a malformed file is refused with the
 * field and its line before anything is translated. The schema is draft 2020-12: Ajv2020.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { packageRoot } from '../util/package-root.ts';
import { joinPath, show } from '../util/problem.ts';

export interface SchemaProblem {
  readonly segments: readonly (string | number)[];
  readonly message: string;
}

/** The vendored schema, relative to the package. */
export const COMPOSE_SCHEMA = 'generators/compose/vendor/compose-spec.json';

let compiled: ValidateFunction | undefined;
let root: Record<string, unknown> = {};

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), COMPOSE_SCHEMA), 'utf8')) as Record<string, unknown>;
    root = schema;
    // strict: false because the schema uses annotations Ajv does not know (deprecated, ...).
    compiled = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true }).compile(schema);
  }
  return compiled;
}

/** What the schema refuses in `value` (a parsed, interpolated compose file), deepest fields first, at most `limit`. */
export function checkComposeSchema(value: unknown, limit = 10): SchemaProblem[] {
  const validate = validator();
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => !['oneOf', 'anyOf', 'if', 'not'].includes(e.keyword) && !declaredButFailed(e));
  const all = errors.length > 0 ? errors : (validate.errors ?? []);
  const byPath = new Map<string, ErrorObject>();
  for (const error of all) {
    const unknown = unknownKey(error);
    const path = error.instancePath + (unknown === undefined ? '' : `/${unknown.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    const kept = byPath.get(path);
    // One error a field: an unknown key first, then the first error the schema reported, but a
    // "type" error only when nothing else is said (it comes from the alternatives that do not match).
    if (!kept || (unknown !== undefined && unknownKey(kept) === undefined) || (kept.keyword === 'type' && error.keyword !== 'type' && unknownKey(kept) === undefined)) byPath.set(path, error);
  }
  // A field's error is dropped when a field inside it has one: the inner one says more.
  const paths = [...byPath.keys()];
  const deepest = paths.filter((path) => !paths.some((other) => other !== path && other.startsWith(`${path}/`)));
  return deepest.slice(0, limit).map((path) => {
    const error = byPath.get(path)!;
    const segments = path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    return { segments, message: describe(error, joinPath(segments)) };
  });
}

/**
 * An unevaluatedProperties error about a field the schema declares (`image` of a service): when
 * another field of the same mapping fails, the schema keeps no record of what it evaluated, so
 * every field is reported as unknown. The failing field has its own error.
 */
function declaredButFailed(error: ErrorObject): boolean {
  if (error.keyword !== 'unevaluatedProperties') return false;
  const key = unknownKey(error);
  return key !== undefined && declares(error.parentSchema, key, 0);
}

/** Whether a schema declares `key` in its properties or patternProperties, its own or those of its allOf and local $refs. */
function declares(schema: unknown, key: string, depth: number): boolean {
  if (typeof schema !== 'object' || schema === null || depth > 8) return false;
  const node = schema as { properties?: Record<string, unknown>; patternProperties?: Record<string, unknown>; allOf?: unknown[]; $ref?: string };
  if (Object.hasOwn(node.properties ?? {}, key)) return true;
  if (Object.keys(node.patternProperties ?? {}).some((pattern) => new RegExp(pattern, 'u').test(key))) return true;
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    const target = node.$ref.slice(2).split('/').reduce<unknown>((at, part) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[part] : undefined), root);
    if (declares(target, key, depth + 1)) return true;
  }
  return (node.allOf ?? []).some((part) => declares(part, key, depth + 1));
}

/** The key an additionalProperties/unevaluatedProperties error is about. */
function unknownKey(error: ErrorObject): string | undefined {
  const key = error.params.additionalProperty ?? error.params.unevaluatedProperty;
  return key === undefined ? undefined : String(key);
}

function describe(error: ErrorObject, field: string): string {
  const rule = 'check it against the Compose Specification (https://compose-spec.io)';
  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return `is not a field Compose knows; fix its spelling or remove it, and ${rule}`;
    case 'type':
      return `must be ${String(error.params.type).replace(',', ' or ')}; ${rule}`;
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => show(v)).join(', ')}; ${rule}`;
    case 'uniqueItems':
      return `lists the same item twice (items ${Math.min(Number(error.params.i), Number(error.params.j))} and ${Math.max(Number(error.params.i), Number(error.params.j))}), which Compose refuses; remove one, and ${rule}`;
    case 'required':
      return `needs the field "${String(error.params.missingProperty)}"; ${rule}`;
    case 'pattern':
    case 'propertyNames':
      return `${field === '(root)' ? 'has a name that' : 'is a name or value that'} does not match ${String(error.params.pattern ?? 'the allowed names')}; ${rule}`;
    default:
      return `${error.message ?? 'is not valid'}; ${rule}`;
  }
}
