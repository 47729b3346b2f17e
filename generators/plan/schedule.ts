/**
 * An env's sleep/wake schedule: the cluster's defaults, overridden field by field by the project,
 * then by the developer. All times are in the cluster's time zone.
 */
import { DAYS, IDLE_MINUTES_DEFAULT, WEEKDAYS, WEEKEND, type Day } from '../schema/common.ts';

export interface ScheduleOverrideModel {
  readonly sleep?: string | undefined;
  readonly days?: readonly Day[] | undefined;
  readonly wake?: string | undefined;
  readonly wakeDays?: readonly Day[] | undefined;
  readonly alwaysOn?: boolean | undefined;
  readonly idleMinutes?: number | undefined;
}

export interface ClusterScheduleModel {
  readonly sleep: string;
  readonly days: readonly Day[];
  readonly wake: string | undefined;
  readonly wakeDays: readonly Day[];
  readonly idleMinutes: number;
}

/** One recurring action: at `time` on `days`. */
export interface Recurrence {
  readonly time: string;
  readonly days: readonly Day[];
}

export interface EnvSchedule {
  /** Undefined when the env is always on. */
  readonly sleep: Recurrence | undefined;
  /** Undefined when no wake time is set. */
  readonly wake: Recurrence | undefined;
  /** Minutes without a request before the front door lets the env sleep. */
  readonly idleMinutes: number;
}

export const DEFAULT_SLEEP = '22:00';

export function clusterSchedule(def: Partial<Record<keyof ClusterScheduleModel, unknown>> | undefined): ClusterScheduleModel {
  const d = (def ?? {}) as Partial<ClusterScheduleModel>;
  return { sleep: d.sleep ?? DEFAULT_SLEEP, days: sortDays(d.days ?? DAYS), wake: d.wake, wakeDays: sortDays(d.wakeDays ?? WEEKDAYS), idleMinutes: d.idleMinutes ?? IDLE_MINUTES_DEFAULT };
}

export function resolveSchedule(cluster: ClusterScheduleModel, ...overrides: (ScheduleOverrideModel | undefined)[]): EnvSchedule {
  let sleep: Recurrence = { time: cluster.sleep, days: cluster.days };
  let wake: Recurrence | undefined = cluster.wake ? { time: cluster.wake, days: cluster.wakeDays } : undefined;
  let alwaysOn = false;
  let idleMinutes = cluster.idleMinutes;
  for (const o of overrides) {
    if (!o) continue;
    sleep = { time: o.sleep ?? sleep.time, days: o.days ? sortDays(o.days) : sleep.days };
    const wakeTime = o.wake ?? wake?.time;
    wake = wakeTime ? { time: wakeTime, days: o.wakeDays ? sortDays(o.wakeDays) : (wake?.days ?? cluster.wakeDays) } : undefined;
    if (o.alwaysOn !== undefined) alwaysOn = o.alwaysOn;
    if (o.idleMinutes !== undefined) idleMinutes = o.idleMinutes;
  }
  return { sleep: alwaysOn ? undefined : sleep, wake, idleMinutes };
}

function sortDays(days: readonly Day[]): Day[] {
  return [...new Set(days)].sort((a, b) => DAYS.indexOf(a) - DAYS.indexOf(b));
}

/** `daily`, `weekdays`, `weekends` or the days joined, e.g. `mon-wed-fri`. */
export function daysLabel(days: readonly Day[]): string {
  const key = sortDays(days).join('-');
  if (key === DAYS.join('-')) return 'daily';
  if (key === WEEKDAYS.join('-')) return 'weekdays';
  if (key === WEEKEND.join('-')) return 'weekends';
  return key;
}

/**
 * The label value that ties Deployments to the CronJob acting on them, e.g. `2200-daily`.
 * `never` marks an env the job of that kind must not touch (always-on, or no wake time).
 */
export function recurrenceLabel(r: Recurrence | undefined): string {
  return r ? `${r.time.replace(':', '')}-${daysLabel(r.days)}` : 'never';
}

const CRON_DAY: Record<Day, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/**
 * When a scheduled wake keeps an env awake, as two cron expressions (start, end) in the cluster's
 * time zone: from the wake time on the wake days until the sleep time that follows (the same day
 * when the sleep time is later, the next day otherwise). Undefined when the env has no wake time,
 * is always on (no sleep), or wakes and sleeps at the same minute (the two jobs would cancel out).
 * The front door hands this window to KEDA's cron scaler (chart/scaled-object.ts), which counts an
 * env as active when the next end comes before the next start.
 */
export function wakeWindow(schedule: EnvSchedule): { readonly start: string; readonly end: string } | undefined {
  const { wake, sleep } = schedule;
  if (!wake || !sleep || wake.time === sleep.time) return undefined;
  const endDays = sleep.time > wake.time ? wake.days : wake.days.map((d) => DAYS[(DAYS.indexOf(d) + 1) % DAYS.length]!);
  return { start: cronExpression(wake), end: cronExpression({ time: sleep.time, days: sortDays(endDays) }) };
}

/** Standard 5-field cron expression (CronJob `schedule`), evaluated in the CronJob's `timeZone`. */
export function cronExpression(r: Recurrence): string {
  const [hour, minute] = r.time.split(':').map(Number) as [number, number];
  const days = r.days.length === 7 ? '*' : r.days.map((d) => CRON_DAY[d]).sort((a, b) => a - b).join(',');
  return `${minute} ${hour} * * ${days}`;
}
