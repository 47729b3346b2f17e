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

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), COMPOSE_SCHEMA), 'utf8')) as Record<string, unknown>;
    // strict: false because the schema uses annotations Ajv does not know (deprecated, ...).
    compiled = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
  }
  return compiled;
}

/** What the schema refuses in `value` (a parsed, interpolated compose file), deepest fields first, at most `limit`. */
export function checkComposeSchema(value: unknown, limit = 10): SchemaProblem[] {
  const validate = validator();
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => !['oneOf', 'anyOf', 'if', 'not'].includes(e.keyword));
  const all = errors.length > 0 ? errors : (validate.errors ?? []);
  const byPath = new Map<string, ErrorObject>();
  for (const error of all) {
    const unknown = unknownKey(error);
    const path = error.instancePath + (unknown === undefined ? '' : `/${unknown.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    const kept = byPath.get(path);
    // One error a field: an unknown key first, then the first error the schema reported.
    if (!kept || (unknown !== undefined && unknownKey(kept) === undefined)) byPath.set(path, error);
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
    case 'required':
      return `needs the field "${String(error.params.missingProperty)}"; ${rule}`;
    case 'pattern':
    case 'propertyNames':
      return `${field === '(root)' ? 'has a name that' : 'is a name or value that'} does not match ${String(error.params.pattern ?? 'the allowed names')}; ${rule}`;
    default:
      return `${error.message ?? 'is not valid'}; ${rule}`;
  }
}
