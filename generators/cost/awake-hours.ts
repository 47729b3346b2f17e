/**
 * How long an env is awake: its sleep and wake CronJobs (generators/plan/schedule.ts) replayed
 * over a week, minute by minute. An env with no wake time is woken by its developer; the estimate
 * assumes that happens at the prices file's `manualWake` time on its `workingDays`. An always-on
 * env is awake all week. Events repeat weekly, so the second week of the replay is the steady
 * state whatever the first one started with.
 */
import { DAYS, type Day } from '../schema/common.ts';
import { daysLabel, type EnvSchedule, type Recurrence } from '../plan/schedule.ts';

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
export const HOURS_PER_WEEK = 168;

/** How developers wake envs that have no wake time. */
export interface ManualWake {
  readonly time: string;
  readonly days: readonly Day[];
}

const cache = new Map<string, number>();

/** Hours per week the env is awake. */
export function weeklyAwakeHours(schedule: EnvSchedule, manual: ManualWake): number {
  if (!schedule.sleep) return HOURS_PER_WEEK;
  const wake: Recurrence = schedule.wake ?? manual;
  const key = JSON.stringify([schedule.sleep, wake]);
  const known = cache.get(key);
  if (known !== undefined) return known;
  const sleeps = minutesOfWeek(schedule.sleep);
  const wakes = minutesOfWeek(wake);
  let awake = false;
  let minutes = 0;
  for (let t = 0; t < 2 * MINUTES_PER_WEEK; t++) {
    const m = t % MINUTES_PER_WEEK;
    // Both jobs in the same minute: the wake runs, then the sleep (the env ends asleep).
    if (wakes.has(m)) awake = true;
    if (sleeps.has(m)) awake = false;
    if (awake && t >= MINUTES_PER_WEEK) minutes++;
  }
  const hours = minutes / 60;
  cache.set(key, hours);
  return hours;
}

function minutesOfWeek(r: Recurrence): Set<number> {
  const [hour, minute] = r.time.split(':').map(Number) as [number, number];
  return new Set(r.days.map((day) => DAYS.indexOf(day) * MINUTES_PER_DAY + hour * 60 + minute));
}

/** The schedule in a few words, for tables: `09:00-22:00 weekdays`, `sleeps 22:00 daily`, `always on`. */
export function scheduleLabel(schedule: EnvSchedule): string {
  if (!schedule.sleep) return 'always on';
  const sleep = `${schedule.sleep.time} ${daysLabel(schedule.sleep.days)}`;
  if (!schedule.wake) return `sleeps ${sleep}`;
  return `wakes ${schedule.wake.time} ${daysLabel(schedule.wake.days)}, sleeps ${sleep}`;
}
