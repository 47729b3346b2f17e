/**
 * How KEDA scales an env behind the front door (generators/chart/scaled-object.ts): the object,
 * the per-env values, the scaler address Terraform publishes, and the wake window read the way
 * KEDA's cron scaler reads it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { templateYaml } from '../../generators/chart/helm-text.ts';
import { HTTP_SCALER_ADDRESS, NO_WAKE_WINDOW, scaledObject, scalingValues } from '../../generators/chart/scaled-object.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { REPO } from '../helpers/fixtures.ts';

const cluster = (extra: Record<string, unknown> = {}) =>
  clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'Asia/Tokyo', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' }, ...extra } as never);
const web = (extra: Record<string, unknown> = {}) =>
  projectModel('projects/web.yaml', {
    name: 'web',
    containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }, { name: 'api', port: 81 }] }],
    routes: [{ host: 'web', port: 'http' }, { host: 'api.web', port: 'api' }],
    ...extra,
  } as never);

describe('scaledObject', () => {
  it('GIVEN a project with routes on two ports WHEN built for a front-door cluster THEN it scales the release\'s Deployment between the env\'s minimum and 1, with one push trigger per InterceptorRoute and the scheduled-wake cron trigger in the cluster\'s zone', () => {
    const built = scaledObject(cluster(), web())!;
    expect(built.file).toBe('scaledobject.yaml');
    const text = templateYaml(built.object, '');
    // Integer values are whole unquoted fields, so the API gets numbers.
    expect(text).toContain('  cooldownPeriod: {{ .Values.scaling.idleSeconds }}\n');
    expect(text).toContain('  minReplicaCount: {{ .Values.scaling.minReplicas }}\n');
    const object = parse(text.replaceAll(/\{\{ \.Values\.scaling\.(idleSeconds|minReplicas) \}\}/g, '0')) as Record<string, any>;
    expect(object.metadata.labels).toMatchObject({ 'devfleet.dev/sleep': '{{ .Values.schedule.sleep }}', 'devfleet.dev/wake': '{{ .Values.schedule.wake }}' });
    expect(object.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: '{{ .Release.Name }}' },
      minReplicaCount: 0,
      maxReplicaCount: 1,
      cooldownPeriod: 0,
      pollingInterval: 30,
      triggers: [
        { type: 'external-push', name: 'requests-http', metadata: { scalerAddress: HTTP_SCALER_ADDRESS, interceptorRoute: '{{ .Release.Name }}--http' } },
        { type: 'external-push', name: 'requests-api', metadata: { scalerAddress: HTTP_SCALER_ADDRESS, interceptorRoute: '{{ .Release.Name }}--api' } },
        { type: 'cron', name: 'scheduled-wake', metadata: { timezone: 'Asia/Tokyo', start: '{{ .Values.scaling.wakeStart }}', end: '{{ .Values.scaling.wakeEnd }}', desiredReplicas: '1' } },
      ],
    });
  });

  it('GIVEN a worker without routes, or a cluster with per-env Ingresses WHEN built THEN there is no ScaledObject', () => {
    expect(scaledObject(cluster(), web({ routes: [] }))).toBeUndefined();
    expect(scaledObject(cluster({ ingress: { mode: 'ingress-groups' } }), web())).toBeUndefined();
  });

  it('GIVEN Terraform\'s front door WHEN its scaler address is read THEN the ScaledObjects point at it', () => {
    const tf = readFileSync(join(REPO, 'terraform/modules/platform/front-door.tf'), 'utf8');
    const namespace = /\bkeda_namespace\s*=\s*"([^"]+)"/.exec(tf)![1]!;
    const port = /\bhttp_scaler_port\s*=\s*(\d+)/.exec(tf)![1]!;
    const address = /\bhttp_scaler_address\s*=\s*"([^"]+)"/.exec(tf)![1]!.replace('${local.keda_namespace}', namespace).replace('${local.http_scaler_port}', port);
    expect(HTTP_SCALER_ADDRESS).toBe(address);
  });
});

describe('scalingValues', () => {
  const env = (schedule: Record<string, unknown> = {}, developer: Record<string, unknown> = {}, mode = 'front-door') =>
    planFleet([cluster({ schedule: { sleep: '22:00' }, developers: [{ name: 'alice', ...developer }], ingress: { mode } })], [web({ schedule })]).clusters[0]!.envs[0]!;

  it('GIVEN an env with a wake time WHEN its values are made THEN KEDA may let it sleep, after idleMinutes, and keeps it awake from the wake to the sleep time', () => {
    expect(scalingValues(env({ wake: '09:00', idleMinutes: 30 }))).toEqual({ minReplicas: 0, idleSeconds: 1800, wakeStart: '0 9 * * 1,2,3,4,5', wakeEnd: '0 22 * * 1,2,3,4,5' });
  });

  it('GIVEN an always-on env without a wake time WHEN its values are made THEN KEDA keeps one replica and the window never begins', () => {
    expect(scalingValues(env({ alwaysOn: true }))).toEqual({ minReplicas: 1, idleSeconds: 3600, ...{ wakeStart: NO_WAKE_WINDOW.start, wakeEnd: NO_WAKE_WINDOW.end } });
  });

  it('GIVEN an env with per-env Ingresses, or without routes WHEN its values are made THEN there are none', () => {
    expect(scalingValues(env({}, {}, 'ingress-groups'))).toBeUndefined();
    expect(scalingValues(planFleet([cluster()], [web({ routes: [] })]).clusters[0]!.envs[0]!)).toBeUndefined();
  });
});

/**
 * KEDA's cron scaler (pkg/scalers/cron_scaler.go, v2.21.0): active when the next end comes before
 * the next start. robfig/cron returns the zero time for a schedule that never fires within five
 * years (spec.go Next); cron-parser refuses such a schedule instead, which stands for it here.
 */
function kedaCronActive(start: string, end: string, timeZone: string, now: Date): boolean {
  const next = (expression: string): Date | undefined => {
    try {
      return CronExpressionParser.parse(expression, { currentDate: now, tz: timeZone }).next().toDate();
    } catch {
      return undefined;
    }
  };
  const nextStart = next(start) ?? new Date(-62135596800000);
  const nextEnd = next(end) ?? new Date(-62135596800000);
  return nextStart < nextEnd ? now > nextStart && now < nextEnd : now > nextStart || now < nextEnd;
}

describe('the wake window as KEDA reads it', () => {
  // 2026-12-07 is a Monday; times are Tokyo's (UTC+9, no daylight saving).
  const tokyo = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 11, 7 + day, hour - 9, minute));

  it('GIVEN a wake at 09:00 on weekdays and a sleep at 22:00 WHEN KEDA checks across a week THEN the env is awake exactly from 09:00 to 22:00 Monday to Friday', () => {
    const values = scalingValues(planFleet([cluster({ schedule: { sleep: '22:00', wake: '09:00' } })], [web()]).clusters[0]!.envs[0]!)!;
    const awake: string[] = [];
    for (let day = 0; day < 7; day++) for (let hour = 0; hour < 24; hour++) if (kedaCronActive(values.wakeStart, values.wakeEnd, 'Asia/Tokyo', tokyo(day, hour, 30))) awake.push(`${day}:${hour}`);
    expect(awake).toEqual([0, 1, 2, 3, 4].flatMap((day) => Array.from({ length: 13 }, (_, h) => `${day}:${h + 9}`)));
  });

  it('GIVEN a wake at 20:00 on Fridays and a sleep at 02:00 WHEN KEDA checks THEN the env is awake from Friday 20:00 to Saturday 02:00 only', () => {
    const values = scalingValues(planFleet([cluster({ schedule: { sleep: '02:00', wake: '20:00', wakeDays: ['fri'] } })], [web()]).clusters[0]!.envs[0]!)!;
    const awake: string[] = [];
    for (let day = 0; day < 7; day++) for (let hour = 0; hour < 24; hour++) if (kedaCronActive(values.wakeStart, values.wakeEnd, 'Asia/Tokyo', tokyo(day, hour, 30))) awake.push(`${day}:${hour}`);
    expect(awake).toEqual(['4:20', '4:21', '4:22', '4:23', '5:0', '5:1']);
  });

  it('GIVEN no scheduled wake WHEN KEDA checks at any hour of a week THEN the window is never active (a never-firing start would be always active)', () => {
    for (let day = 0; day < 7; day++) for (let hour = 0; hour < 24; hour++) expect(kedaCronActive(NO_WAKE_WINDOW.start, NO_WAKE_WINDOW.end, 'Asia/Tokyo', tokyo(day, hour))).toBe(false);
    expect(kedaCronActive(NO_WAKE_WINDOW.end, NO_WAKE_WINDOW.start, 'Asia/Tokyo', tokyo(2, 12))).toBe(true);
  });
});
