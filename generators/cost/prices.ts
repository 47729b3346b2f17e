/**
 * The prices and assumptions of the cost estimate: one dated JSON file (./prices.json, bundled),
 * which a user may replace with their own (`devfleet cost --prices FILE`, same shape). The TypeBox
 * schema below is the shape; a replacement file is checked against it where it enters, and every
 * problem names the file, the field and the fix.
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
// A static import: bin/build.js bundles ajv (CommonJS), and a dynamic import() of a bundled CommonJS
// package gets only a default export there, so `const { Ajv } = await import('ajv')` was undefined in
// dist/ while it worked from the sources (test/bin/devfleet.test.ts). `cost` loads ajv for the
// definitions anyway (definitions/schema-check.ts).
import { Ajv } from 'ajv';
import { DAYS } from '../schema/common.ts';
import { packageRoot } from '../util/package-root.ts';
import { DefinitionError, joinPath, show, sortProblems, WHOLE_FILE, type Problem } from '../util/problem.ts';

const Sourced = <T extends TSchema>(value: T, what: string) =>
  Type.Object({ value, source: Type.String({ minLength: 1, description: `Where ${what} comes from: a public URL or a file of this repository.` }), note: Type.Optional(Type.String()) }, { additionalProperties: false });
const Assumed = <T extends TSchema>(value: T) => Type.Object({ value, note: Type.Optional(Type.String()) }, { additionalProperties: false });
const Usd = Type.Number({ minimum: 0 });

export const PricesSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    date: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'When the prices were read, YYYY-MM-DD.' }),
    region: Type.String({ minLength: 1, description: 'AWS region the prices are for, e.g. ap-northeast-1.' }),
    currency: Type.Literal('USD'),
    hoursPerMonth: Sourced(Type.Number({ exclusiveMinimum: 0, maximum: 744 }), 'the hours in a month'),
    eksControlPlanePerHour: Sourced(Usd, 'the EKS control plane price'),
    instances: Sourced(
      Type.Record(Type.String({ pattern: '^[a-z0-9-]+\\.[a-z0-9]+$' }), Type.Object({ vcpu: Type.Number({ exclusiveMinimum: 0 }), memoryGiB: Type.Number({ exclusiveMinimum: 0 }), onDemandPerHour: Usd }, { additionalProperties: false })),
      'the instance prices',
    ),
    envInstances: Sourced(Type.Array(Type.String(), { minItems: 2 }), 'the env instance mix'),
    spotSavings: Sourced(Type.Number({ minimum: 0, exclusiveMaximum: 1 }), 'the spot saving'),
    albPerHour: Sourced(Usd, 'the ALB hour price'),
    albPerLcuHour: Sourced(Usd, 'the LCU hour price'),
    efsStandardPerGbMonth: Sourced(Usd, 'the EFS price'),
    assumptions: Type.Object(
      {
        manualWake: Assumed(Type.String({ pattern: '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$' })),
        workingDays: Assumed(Type.Array(Type.Union(DAYS.map((d) => Type.Literal(d))), { uniqueItems: true })),
        nodeUtilisation: Assumed(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
        lcuPerAlb: Assumed(Type.Number({ minimum: 0 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Prices = Static<typeof PricesSchema>;

/** A prices file and where it was read from (relative to the root when inside it). */
export interface PriceList {
  readonly file: string;
  readonly prices: Prices;
}

/** The bundled prices file, relative to the package. */
export const BUNDLED_PRICES = 'generators/cost/prices.json';

let bundled: PriceList | undefined;

/** The bundled prices (what the generated READMEs and the pull-request diff use). */
export function bundledPrices(): PriceList {
  bundled ??= { file: BUNDLED_PRICES, prices: JSON.parse(readFileSync(join(packageRoot(), BUNDLED_PRICES), 'utf8')) as Prices };
  return bundled;
}

/** A user's prices file, checked against the schema; a DefinitionError lists every problem. */
export async function loadPrices(path: string, root: string): Promise<PriceList> {
  const file = relative(root, path).startsWith('..') ? path : relative(root, path).split(sep).join('/');
  const problem = (at: string, message: string): Problem => ({ file, path: at, message });
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file; pass the path of a prices file shaped like generators/cost/prices.json' : code === 'EISDIR' ? 'is a folder; pass the path of a prices file shaped like generators/cost/prices.json' : `not valid JSON (${(error as Error).message}); copy generators/cost/prices.json and edit it`;
    throw new DefinitionError([problem(WHOLE_FILE, why)]);
  }
  const validate = new Ajv({ allErrors: true, strict: false }).compile(PricesSchema);
  if (!validate(value)) {
    throw new DefinitionError(
      sortProblems((validate.errors ?? []).map((e) => {
        const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
        const params = e.params as { additionalProperty?: string; missingProperty?: string };
        if (e.keyword === 'additionalProperties') return problem(joinPath([...segments, params.additionalProperty!]), 'is not a field of a prices file; remove it or correct its name (see generators/cost/prices.json)');
        if (e.keyword === 'required') return problem(joinPath([...segments, params.missingProperty!]), 'is missing; add it (see generators/cost/prices.json)');
        const at = segments.length === 0 ? WHOLE_FILE : joinPath(segments);
        return problem(at, `${e.message ?? 'is not valid'}, got ${show(valueAt(value, segments))}; see generators/cost/prices.json for the shape`);
      })),
    );
  }
  const prices = value as Prices;
  const unknown = prices.envInstances.value.filter((type) => !(type in prices.instances.value));
  if (unknown.length > 0) throw new DefinitionError([problem('envInstances.value', `${unknown.map((t) => `"${t}"`).join(', ')} not in instances.value; add their vCPU, memory and price there`)]);
  return { file, prices };
}

function valueAt(value: unknown, segments: readonly string[]): unknown {
  let at = value;
  for (const segment of segments) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[segment] : undefined;
  return at;
}
