import { describe, expect, it } from 'vitest';
import { clusterSchedule, cronExpression, daysLabel, recurrenceLabel, resolveSchedule, wakeWindow } from '../../generators/plan/schedule.ts';
import { scheduleJobArgs, scheduleJobs, scheduleObjects, FAILED_JOBS_KEPT } from '../../generators/cluster/schedule-jobs.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { LIMITS } from '../../generators/plan/names.ts';

describe('resolveSchedule', () => {
  const cluster = clusterSchedule({ sleep: '22:00' });

  it('GIVEN only cluster defaults WHEN resolved THEN envs sleep every day at 22:00 and never wake', () => {
    expect(resolveSchedule(cluster)).toEqual({ sleep: { time: '22:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }, wake: undefined, idleMinutes: 60 });
  });

  it('GIVEN a project wake time and a developer sleep time WHEN resolved THEN both apply, the developer winning field by field', () => {
    const s = resolveSchedule(cluster, { wake: '09:00', sleep: '20:00' }, { sleep: '23:30' });
    expect(s.sleep).toEqual({ time: '23:30', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
    expect(s.wake).toEqual({ time: '09:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] });
  });

  it('GIVEN idleMinutes on the cluster, the project and the developer WHEN resolved THEN the developer wins, then the project', () => {
    const withIdle = clusterSchedule({ sleep: '22:00', idleMinutes: 30 });
    expect(resolveSchedule(withIdle).idleMinutes).toBe(30);
    expect(resolveSchedule(withIdle, { idleMinutes: 90 }).idleMinutes).toBe(90);
    expect(resolveSchedule(withIdle, { idleMinutes: 90 }, { idleMinutes: 15 }).idleMinutes).toBe(15);
  });

  it('GIVEN alwaysOn on the project WHEN a developer sets alwaysOn false THEN the developer wins', () => {
    expect(resolveSchedule(cluster, { alwaysOn: true }).sleep).toBeUndefined();
    expect(resolveSchedule(cluster, { alwaysOn: true }, { alwaysOn: false }).sleep).toBeDefined();
  });
});

describe('labels and cron', () => {
  it.each([
    [['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], 'daily'],
    [['fri', 'mon', 'tue', 'wed', 'thu'], 'weekdays'],
    [['sun', 'sat'], 'weekends'],
    [['fri', 'mon', 'wed'], 'mon-wed-fri'],
  ] as const)('GIVEN days %j WHEN labelled THEN %s', (days, label) => {
    expect(daysLabel(days)).toBe(label);
  });

  it('GIVEN recurrences WHEN turned into cron and labels THEN minute and hour come first and Sunday is 0', () => {
    expect(cronExpression({ time: '22:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] })).toBe('0 22 * * *');
    expect(cronExpression({ time: '08:30', days: ['sun', 'mon', 'fri'] })).toBe('30 8 * * 0,1,5');
    expect(recurrenceLabel({ time: '08:30', days: ['mon', 'tue', 'wed', 'thu', 'fri'] })).toBe('0830-weekdays');
    expect(recurrenceLabel(undefined)).toBe('never');
  });

  it('GIVEN the longest possible recurrence WHEN named THEN the CronJob name fits 52 characters', () => {
    const env = { cluster: { ingress: { mode: 'ingress-groups' } }, hosts: [], schedule: { sleep: { time: '23:59', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] }, wake: { time: '00:00', days: ['tue', 'wed', 'thu', 'fri', 'sat', 'sun'] } } };
    const jobs = scheduleJobs([env as never]);
    expect(jobs.map((j) => j.action)).toEqual(['sleep', 'wake']);
    for (const job of jobs) expect(job.name.length).toBeLessThanOrEqual(52);
    expect(LIMITS.dnsLabel).toBe(63);
  });
});

describe('wakeWindow (the scheduled wake behind the front door)', () => {
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
  const daily = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

  it('GIVEN a wake at 09:00 on weekdays and a sleep at 22:00 daily WHEN turned into a window THEN it runs from 09:00 to 22:00 on the wake days only', () => {
    expect(wakeWindow({ wake: { time: '09:00', days: weekdays }, sleep: { time: '22:00', days: daily }, idleMinutes: 60 })).toEqual({ start: '0 9 * * 1,2,3,4,5', end: '0 22 * * 1,2,3,4,5' });
  });

  it('GIVEN a wake at 20:00 on Friday and Sunday and a sleep at 02:00 WHEN turned into a window THEN it ends the next day, Saturday and Monday', () => {
    expect(wakeWindow({ wake: { time: '20:00', days: ['fri', 'sun'] }, sleep: { time: '02:00', days: daily }, idleMinutes: 60 })).toEqual({ start: '0 20 * * 0,5', end: '0 2 * * 1,6' });
  });

  it('GIVEN no wake, an always-on env, or a wake at the sleep time WHEN turned into a window THEN there is none', () => {
    expect(wakeWindow({ wake: undefined, sleep: { time: '22:00', days: daily }, idleMinutes: 60 })).toBeUndefined();
    expect(wakeWindow({ wake: { time: '09:00', days: weekdays }, sleep: undefined, idleMinutes: 60 })).toBeUndefined();
    expect(wakeWindow({ wake: { time: '22:00', days: daily }, sleep: { time: '22:00', days: daily }, idleMinutes: 60 })).toBeUndefined();
  });
});

describe('schedule CronJobs of a namespace', () => {
  const cluster = clusterModel('clusters/dev.yaml', {
    name: 'dev', domain: 'dev.example.com', timeZone: 'Asia/Tokyo', developers: [{ name: 'alice' }],
    argocd: { repoURL: 'https://git.example.com/x.git' }, schedule: { sleep: '22:00' },
  });
  const project = (name: string, schedule?: Record<string, unknown>) =>
    projectModel(`projects/${name}.yaml`, { name, containers: [{ name: 'app', image: 'nginx:1.27' }], ...(schedule ? { schedule } : {}) } as never);

  it('GIVEN envs with a shared sleep, one wake time and one always-on env WHEN generated THEN there is one CronJob per recurrence and none for the always-on env', () => {
    const plan = planFleet([cluster], [project('a'), project('b', { wake: '09:00' }), project('c', { alwaysOn: true })]).clusters[0]!;
    const objects = scheduleObjects(cluster, 'alice', plan.envs) as Record<string, any>[];
    const cronJobs = objects.filter((o) => o.kind === 'CronJob');
    expect(cronJobs.map((c) => c.metadata.name)).toEqual(['devfleet-sleep-2200-daily', 'devfleet-wake-0900-weekdays']);
    const [sleep, wake] = cronJobs as [Record<string, any>, Record<string, any>];
    expect(sleep.spec).toMatchObject({
      schedule: '0 22 * * *',
      timeZone: 'Asia/Tokyo',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: FAILED_JOBS_KEPT,
    });
    const container = sleep.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.k8s.io/kubectl:v1.35.10');
    expect(container.args).toEqual(['scale', 'deployment', '--namespace=dev-alice', '--selector=devfleet.dev/sleep=2200-daily', '--replicas=0']);
    expect(sleep.spec.jobTemplate.spec.template.spec.serviceAccountName).toBe('devfleet-scaler');
    expect(wake.spec.schedule).toBe('0 9 * * 1,2,3,4,5');
    expect(wake.spec.jobTemplate.spec.template.spec.containers[0].args).toContain('--replicas=1');
    // The always-on env carries sleep=never, which no job selects.
    const alwaysOn = plan.envs.find((e) => e.project.name === 'c')!;
    expect(recurrenceLabel(alwaysOn.schedule.sleep)).toBe('never');
    expect(scheduleJobArgs(scheduleJobs(plan.envs)[0]!, 'dev-alice').join(' ')).not.toContain('never');
  });

  it('GIVEN only always-on envs without wake WHEN generated THEN the namespace gets no job and no scaler identity', () => {
    const plan = planFleet([cluster], [project('c', { alwaysOn: true })]).clusters[0]!;
    expect(scheduleObjects(cluster, 'alice', plan.envs)).toEqual([]);
  });
});
