/**
 * Building blocks shared by the project and cluster schemas.
 *
 * The schemas are written once, here, with TypeBox: the TypeScript types are derived from them
 * (`Static<...>`) and `npm run schema` writes them as JSON Schema files under `schema/` for
 * editors and the YAML language server. Nothing else is hand-written twice.
 *
 * `x-hint` is our own annotation: the fix printed after a `pattern`/`format` failure, so that
 * every error message says what to do, not only which regular expression failed. `x-max-reason`,
 * also ours, says after a `maxLength` failure where the limit comes from and what helps.
 */
import { Type, type TSchema, type StringOptions } from '@sinclair/typebox';

/**
 * Name limits, each said once here. Names that end up inside derived Kubernetes, DNS, Helm and IAM
 * names are as long as people need: generators/plan/names.ts shortens a derived name that would
 * pass its limit. The other limits keep the names used inside a chart (where nothing can be
 * shortened at synth time) within Kubernetes' limits; test/plan/names.test.ts checks both.
 */
/** GitHub's login limit: a developer can use their GitHub handle. */
export const DEVELOPER_NAME_MAX = 39;
export const PROJECT_NAME_MAX = 40;
/** Part of IAM role names of the platform (terraform/modules/platform/) that Terraform derives itself. */
export const CLUSTER_NAME_MAX = 20;
export const CONTAINER_NAME_MAX = 24;
export const VOLUME_NAME_MAX = 15;
/** A volume's `claimName`: as long as the longest derived claim `<project>-<container>-<volume>`, so any existing claim can be named. */
export const CLAIM_NAME_MAX = PROJECT_NAME_MAX + CONTAINER_NAME_MAX + VOLUME_NAME_MAX + 2;
export const ROUTE_LABEL_MAX = 40;
/** A route's `host`: DNS's limit for a whole name (RFC 1035 section 2.3.4); the env's label made from it is hash-shortened (plan/names.ts hostLabel). */
export const ROUTE_HOST_MAX = 253;
/** DNS's limit for one label of a name (RFC 1035 section 2.3.4). */
export const DNS_LABEL_MAX = 63;
export const NAMESPACE_PREFIX_MAX = 10;

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

/** An IAM policy ARN (AWS managed or customer managed). */
export const PolicyArn = (description: string) =>
  Type.String({
    pattern: '^arn:aws(?:-cn|-us-gov)?:iam::(?:aws|[0-9]{12}):policy/(?:[A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,128}$',
    maxLength: 2048,
    description,
    'x-hint': 'write an IAM policy ARN, e.g. "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" or "arn:aws:iam::123456789012:policy/shop-uploads"',
  });

/** Minutes without a request after which an env behind the front door sleeps, unless a definition says otherwise. */
export const IDLE_MINUTES_DEFAULT = 60;
/** Bounds of `idleMinutes`: at least a few minutes of quiet, at most a day. */
export const IDLE_MINUTES_MIN = 5;
export const IDLE_MINUTES_MAX = 1440;

/** Type helper for schemas that allow exactly the listed fields. */
export const Strict = { additionalProperties: false } as const;

export type { TSchema };

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];
/** The days the wake job runs unless a schedule says otherwise. */
export const WEEKDAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
export const WEEKEND: readonly Day[] = ['sat', 'sun'];

const Days = (description: string, fallback: readonly Day[]) =>
  Type.Array(Type.Union(DAYS.map((d) => Type.Literal(d))), {
    minItems: 1,
    maxItems: 7,
    uniqueItems: true,
    default: [...fallback],
    description: `${description} Default: ${fallback.length === 7 ? 'every day' : fallback.join(', ')}.`,
  });

const scheduleFields = () => ({
  sleep: Type.Optional(ClockTime('Nightly scale-to-zero time.')),
  days: Type.Optional(Days('Days the sleep job runs.', DAYS)),
  wake: Type.Optional(ClockTime('Opt-in wake time: envs are scaled to 1 at this time. No automatic wake when unset.')),
  wakeDays: Type.Optional(Days('Days the wake job runs.', WEEKDAYS)),
  idleMinutes: Type.Optional(
    Type.Integer({
      minimum: IDLE_MINUTES_MIN,
      maximum: IDLE_MINUTES_MAX,
      default: IDLE_MINUTES_DEFAULT,
      description:
        'Behind the front door: an awake env that has had no request for this many minutes goes back to sleep (KEDA scales it to 0). Opening its URL wakes it again.',
    }),
  ),
});

/**
 * When envs sleep and wake, in the cluster's time zone. The cluster sets the defaults; a project,
 * then a developer, override them field by field (developer wins).
 */
export function ClusterSchedule(description: string) {
  return Type.Object(scheduleFields(), { ...Strict, description });
}

/** A project's or a developer's override of the cluster schedule; may also opt out of sleeping. */
export function ScheduleOverride(description: string) {
  return Type.Object(
    {
      ...scheduleFields(),
      alwaysOn: Type.Optional(Type.Boolean({ default: false, description: 'Never put these envs to sleep (they still start asleep: wake them once).' })),
    },
    { ...Strict, description },
  );
}
