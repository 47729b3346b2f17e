/**
 * The IANA time zone names a cluster's `timeZone` may use, from the IANA tz database itself.
 *
 * The sleep/wake CronJobs pass the name to Kubernetes, which resolves it with Go's tz database
 * (time.LoadLocation): every zone and every link of the IANA database is valid there, including
 * backward links such as "Asia/Calcutta" -> "Asia/Kolkata". Node's `Intl.supportedValuesOf`
 * answers with ICU's (CLDR's) canonical names instead, which lists "Asia/Calcutta" but not
 * "Asia/Kolkata" and changes with the Node build, so it is not the judge here.
 * Ref https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones
 *
 * The list comes from the npm package `tzdata` (pinned in package.json), a JSON build of the
 * IANA database whose `version` field names the tz release: 2026d for tzdata 1.0.51. Updating the
 * package updates the zones; docs/envs.md says which release is in use.
 * Ref https://www.iana.org/time-zones
 */
import { createRequire } from 'node:module';
import { closest, distance } from 'fastest-levenshtein';

interface TzData {
  /** The tz release, e.g. "2026d". */
  readonly version: string;
  /** Zone name -> its rules, or (a link) the name of the zone it points to. */
  readonly zones: Readonly<Record<string, unknown>>;
}

/**
 * "Factory" is the database's placeholder for "zone not yet set" (its abbreviation is "-00"): a
 * schedule in it would silently run in UTC, and Node cannot format times in it.
 */
const NOT_A_PLACE = new Set(['Factory']);

interface Database {
  readonly release: string;
  /** Zones and links, sorted (the order of suggestions must not depend on the JSON file). */
  readonly names: readonly string[];
  readonly valid: ReadonlySet<string>;
  /** Names that are zones, not links: preferred when a suggestion is tied. */
  readonly canonical: ReadonlySet<string>;
}

let loaded: Database | undefined;
function database(): Database {
  if (!loaded) {
    const data = createRequire(import.meta.url)('tzdata') as TzData;
    const names = Object.keys(data.zones).filter((name) => !NOT_A_PLACE.has(name)).sort();
    loaded = { release: data.version, names, valid: new Set(names), canonical: new Set(names.filter((name) => typeof data.zones[name] !== 'string')) };
  }
  return loaded;
}

/** The IANA tz release the zone list comes from, e.g. "2026d". */
export function tzRelease(): string {
  return database().release;
}

/** True for a zone or a link of the IANA tz database (case-sensitive, as Go's LoadLocation is on Linux). */
export function isTimeZone(name: string): boolean {
  return database().valid.has(name);
}

/** The areas (first parts) of the database's current Area/Location zones: "Africa", "America", ... */
export function timeZoneAreas(): string[] {
  const { names, canonical } = database();
  return [...new Set(names.filter((name) => canonical.has(name) && name.includes('/')).map((name) => name.slice(0, name.indexOf('/'))))];
}

/** The zone a mistyped or city-only name most likely means, or undefined when nothing is close. */
export function suggestTimeZone(name: string): string | undefined {
  const { names, canonical } = database();
  const lower = name.toLowerCase().replace(/[\s-]+/g, '_');
  // The right name in the wrong case, or a city without its area ("tokyo" -> "Asia/Tokyo").
  const named = names.find((zone) => zone.toLowerCase() === lower) ?? names.find((zone) => canonical.has(zone) && zone.toLowerCase().endsWith(`/${lower}`)) ?? names.find((zone) => zone.toLowerCase().endsWith(`/${lower}`));
  if (named) return named;
  // A misspelling such as "Asia/Tokio": the nearest zone when it is only a few edits away, a
  // current zone rather than a backward link when both are that close.
  for (const pool of [names.filter((zone) => canonical.has(zone)), names]) {
    const byLower = new Map(pool.map((zone) => [zone.toLowerCase(), zone]));
    const guess = closest(lower, [...byLower.keys()]);
    if (distance(lower, guess) <= 2) return byLower.get(guess);
  }
  return undefined;
}
