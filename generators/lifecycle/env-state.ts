/** What an env is doing, from its Deployment, and when it next sleeps. */
import { CronExpressionParser } from 'cron-parser';
import type { DeploymentState } from '../kube/kube-api.ts';
import { behindFrontDoor } from '../plan/front-door.ts';
import type { Env } from '../plan/plan.ts';
import { cronExpression, wakeWindow } from '../plan/schedule.ts';

export type EnvStatus = 'awake' | 'asleep' | 'starting' | 'missing';

export function envStatus(deployment: DeploymentState | undefined): EnvStatus {
  if (!deployment) return 'missing';
  if (deployment.replicas === 0) return 'asleep';
  return deployment.readyReplicas >= 1 ? 'awake' : 'starting';
}

/** The next time the env's sleep job runs after `now`, as an ISO instant; undefined if always on. */
export function nextSleep(env: Env, now: Date): string | undefined {
  if (!env.schedule.sleep) return undefined;
  const expression = CronExpressionParser.parse(cronExpression(env.schedule.sleep), { currentDate: now, tz: env.cluster.timeZone });
  return expression.next().toISOString() ?? undefined;
}

/**
 * Why the env is as it is, from who last changed its replica count (the field manager that owns
 * spec.replicas through the Deployment's `scale` subresource, generators/kube/kube-api.ts):
 * - `cli`: `devfleet up/down` (field manager `devfleet`, generators/kube/kube-api.ts);
 * - `schedule`: the namespace's sleep/wake CronJobs, which run kubectl (manager `kubectl`; a
 *   person's `kubectl scale` looks the same);
 * - behind the front door, KEDA's operator (manager `keda`, its binary's name): `request` when it
 *   woke the env for traffic, `schedule` when it did so in the env's scheduled wake window, `idle`
 *   when it put the env to sleep after its idle time;
 * - `created`: never scaled since Argo CD created it asleep (its apply still owns spec.replicas);
 * - `other`: anyone else (Headlamp's scale button, for one); the manager is in `scaledBy`;
 * - `unknown`: nobody owns spec.replicas. The API server then kept no record: seen on a real
 *   kube-apiserver 1.32 after KEDA v2.21.0 scaled an env back to 0 (the proof in the README).
 */
export type ScaleReason = 'cli' | 'schedule' | 'request' | 'idle' | 'created' | 'other' | 'unknown';

export const KEDA_FIELD_MANAGER = 'keda';

export function scaleReason(env: Env, deployment: DeploymentState, now: Date): ScaleReason {
  const by = deployment.scaledBy;
  if (by === undefined) return deployment.replicasOwned ? 'created' : 'unknown';
  if (by === 'devfleet') return 'cli';
  if (by === 'kubectl' || by.startsWith('kubectl-')) return 'schedule';
  if (by === KEDA_FIELD_MANAGER && behindFrontDoor(env)) {
    if (deployment.replicas === 0) return 'idle';
    return inWakeWindow(env, now) ? 'schedule' : 'request';
  }
  return 'other';
}

/** True when `now` lies in the env's scheduled wake window (KEDA's cron rule: the next end comes before the next start). */
function inWakeWindow(env: Env, now: Date): boolean {
  const window = wakeWindow(env.schedule);
  if (!window) return false;
  const next = (expression: string) => CronExpressionParser.parse(expression, { currentDate: now, tz: env.cluster.timeZone }).next().getTime();
  return next(window.end) < next(window.start);
}
