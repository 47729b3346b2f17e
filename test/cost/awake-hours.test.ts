import { describe, expect, it } from 'vitest';
import { scheduleLabel, weeklyAwakeHours, type ManualWake } from '../../generators/cost/awake-hours.ts';
import type { EnvSchedule } from '../../generators/plan/schedule.ts';

const DAILY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const MANUAL: ManualWake = { time: '10:00', days: WEEKDAYS };

describe('weeklyAwakeHours', () => {
  it('GIVEN an always-on env WHEN counted THEN it is awake all 168 hours of the week', () => {
    expect(weeklyAwakeHours({ sleep: undefined, wake: undefined, idleMinutes: 60 }, MANUAL)).toBe(168);
  });

  it('GIVEN a wake at 09:00 on weekdays and a sleep at 22:00 daily WHEN counted THEN 13 hours on 5 days', () => {
    expect(weeklyAwakeHours({ sleep: { time: '22:00', days: DAILY }, wake: { time: '09:00', days: WEEKDAYS }, idleMinutes: 60 }, MANUAL)).toBe(65);
  });

  it('GIVEN no wake time WHEN counted THEN the developer is assumed to wake it at the manual time on working days', () => {
    expect(weeklyAwakeHours({ sleep: { time: '22:00', days: DAILY }, wake: undefined, idleMinutes: 60 }, MANUAL)).toBe(60);
    expect(weeklyAwakeHours({ sleep: { time: '22:00', days: DAILY }, wake: undefined, idleMinutes: 60 }, { time: '08:30', days: ['mon'] })).toBe(13.5);
  });

  it('GIVEN a sleep earlier in the day than the wake WHEN counted THEN the env stays up until the next morning\'s sleep', () => {
    // Woken at 10:00 Monday to Friday, asleep at 08:00 the next day: 22 hours each.
    expect(weeklyAwakeHours({ sleep: { time: '08:00', days: DAILY }, wake: undefined, idleMinutes: 60 }, MANUAL)).toBe(110);
  });

  it('GIVEN a sleep only on Fridays WHEN counted THEN the env stays awake from Monday\'s wake to Friday\'s sleep', () => {
    expect(weeklyAwakeHours({ sleep: { time: '22:00', days: ['fri'] }, wake: undefined, idleMinutes: 60 }, MANUAL)).toBe(4 * 24 + 12);
  });

  it('GIVEN a wake and a sleep in the same minute WHEN counted THEN the env ends asleep', () => {
    expect(weeklyAwakeHours({ sleep: { time: '09:00', days: DAILY }, wake: { time: '09:00', days: DAILY }, idleMinutes: 60 }, MANUAL)).toBe(0);
  });
});

describe('scheduleLabel', () => {
  it('GIVEN the three kinds of schedule WHEN labelled THEN each reads as it works', () => {
    const schedules: EnvSchedule[] = [
      { sleep: undefined, wake: undefined, idleMinutes: 60 },
      { sleep: { time: '22:00', days: DAILY }, wake: undefined, idleMinutes: 60 },
      { sleep: { time: '22:00', days: DAILY }, wake: { time: '09:00', days: WEEKDAYS }, idleMinutes: 60 },
    ];
    expect(schedules.map(scheduleLabel)).toEqual(['always on', 'sleeps 22:00 daily', 'wakes 09:00 weekdays, sleeps 22:00 daily']);
  });
});
