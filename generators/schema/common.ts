/**
 * Building blocks shared by the project and cluster schemas.
 *
 * The schemas are written once, here, with TypeBox: the TypeScript types are derived from them
 * (`Static<...>`) and `npm run schema` writes them as JSON Schema files under `schema/` for
 * editors and the YAML language server. Nothing else is hand-written twice.
 *
 * `x-hint` is our own annotation: the fix printed after a `pattern`/`format` failure, so that
 * every error message says what to do, not only which regular expression failed.
 */
import { Type, type TSchema, type StringOptions } from '@sinclair/typebox';

/** Hyphen-separated lower-case words, starting with a letter, no `--` (reserved as separator). */
export const WORDS = '^[a-z](?:-?[a-z0-9])*$';

/**
 * A name that ends up in Kubernetes object names and DNS labels.
 * Double hyphens are refused because devfleet joins names with `--` (e.g. `my-app--alice`),
 * which keeps every joined name unambiguous.
 */
export function DnsName(maxLength: number, description: string, options: StringOptions = {}) {
  return Type.String({
    pattern: WORDS,
    minLength: 1,
    maxLength,
    description: `${description} Lower-case letters, digits and single hyphens, starting with a letter, at most ${maxLength} characters.`,
    'x-hint': `use lower-case letters, digits and single hyphens, start with a letter and end with a letter or digit (at most ${maxLength} characters), e.g. "my-app"`,
    ...options,
  });
}

/** Kubernetes resource quantity (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/). */
export function Quantity(description: string, example: string, options: StringOptions = {}) {
  return Type.String({
    pattern: '^(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)(?:m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$',
    maxLength: 20,
    description,
    'x-hint': `write a Kubernetes quantity such as "${example}" (suffixes m, Ki, Mi, Gi, Ti; no spaces)`,
    ...options,
  });
}

/** Memory / storage quantity: only binary or decimal byte suffixes, never millis. */
export function ByteQuantity(description: string, example: string, options: StringOptions = {}) {
  return Type.String({
    pattern: '^[0-9]+(?:\\.[0-9]+)?(?:k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$',
    maxLength: 20,
    description,
    'x-hint': `write a size such as "${example}" (suffixes Ki, Mi, Gi, Ti or k, M, G, T)`,
    ...options,
  });
}

export const ClockTime = (description: string, options: StringOptions = {}) =>
  Type.String({
    pattern: '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$',
    description: `${description} 24-hour "HH:MM" in the cluster's time zone.`,
    'x-hint': 'write a 24-hour time "HH:MM", e.g. "22:00" or "08:30"',
    ...options,
  });

/** Type helper for schemas that allow exactly the listed fields. */
export const Strict = { additionalProperties: false } as const;

export type { TSchema };
