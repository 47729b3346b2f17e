/** What an env is doing, from its Deployment, and when it next sleeps. */
import { CronExpressionParser } from 'cron-parser';
import type { DeploymentState, ReplicaSetState, ScaledObjectState } from '../kube/kube-api.ts';
import { behindFrontDoor } from '../plan/front-door.ts';
import type { Env } from '../plan/plan.ts';
import { cronExpression, wakeWindow } from '../plan/schedule.ts';

export type EnvStatus = 'awake' | 'asleep' | 'starting' | 'missing';

export function envStatus(deployment: DeploymentState | undefined): EnvStatus {
  if (!deployment) return 'missing';
  if (deployment.replicas === 0) return 'asleep';
  return deployment.readyReplicas >= 1 ? 'awake' : 'starting';
}

/**
 * Since when the env has been asleep or awake: the last scale, whoever scaled (`devfleet up/down`,
 * the sleep and wake jobs, Headlamp, kubectl), read from the time the deployment controller last
 * changed the replica count of one of the Deployment's ReplicaSets (why not the Deployment's own
 * managedFields: kube-api.ts, ReplicaSetState). A ReplicaSet never changed since its creation says
 * nothing about scaling (a rollout while asleep creates one at 0) and is skipped. The Deployment's
 * creation time when it was never scaled; a rollout of an awake env counts as its last scale.
 */
export function lastScaledAt(deployment: DeploymentState, replicaSets: readonly ReplicaSetState[]): string | undefined {
  const times = replicaSets
    .filter((r) => r.ownerUid === deployment.uid && r.replicasSetAt !== undefined && r.replicasSetAt !== r.createdAt)
    .map((r) => r.replicasSetAt!)
    .sort();
  return times.at(-1) ?? deployment.createdAt;
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
 * - asleep with nobody owning spec.replicas: the API server keeps no record of a scale to 0 (the
 *   scale subresource's autoscaling/v1 body omits `replicas: 0`, so the scaler's entry is dropped;
 *   kube-apiserver 1.32, and seen after the pinned KEDA scaled an env back to 0). The reason is then
 *   read from the time it went to sleep (`since`, lastScaledAt): `schedule` when that was within
 *   SLEEP_JOB_WINDOW_MS after a run of its sleep job, `idle` when, behind the front door, its
 *   ScaledObject's last activity plus the idle time had passed by then (KEDA's rule);
 * - `unknown`: none of these (`devfleet down`, Headlamp or kubectl scale to 0 by hand look alike).
 */
export type ScaleReason = 'cli' | 'schedule' | 'request' | 'idle' | 'created' | 'other' | 'unknown';

export const KEDA_FIELD_MANAGER = 'keda';

/** How long after its scheduled time a sleep job's `kubectl scale` still counts as the job's (start-up, image pull, retries). */
export const SLEEP_JOB_WINDOW_MS = 10 * 60_000;

/** What scaleReason reads besides the Deployment: when it went to sleep, and its ScaledObject behind the front door. */
export interface ScaleEvidence {
  readonly since?: string | undefined;
  readonly scaledObject?: ScaledObjectState | undefined;
}

export function scaleReason(env: Env, deployment: DeploymentState, now: Date, evidence: ScaleEvidence = {}): ScaleReason {
  const by = deployment.scaledBy;
  if (by === undefined) {
    if (deployment.replicasOwned) return 'created';
    return deployment.replicas === 0 && evidence.since ? asleepReason(env, evidence.since, evidence.scaledObject) : 'unknown';
  }
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

/** Why an env went to sleep at `since` when the API server kept no owner (see scaleReason). */
function asleepReason(env: Env, since: string, scaledObject: ScaledObjectState | undefined): ScaleReason {
  const at = Date.parse(since);
  if (env.schedule.sleep) {
    // The sleep job's last run at or before `since` (cron-parser's prev() is strictly before its start).
    const run = CronExpressionParser.parse(cronExpression(env.schedule.sleep), { currentDate: new Date(at + 1), tz: env.cluster.timeZone }).prev().getTime();
    if (at - run <= SLEEP_JOB_WINDOW_MS) return 'schedule';
  }
  const active = scaledObject?.lastActiveTime;
  if (behindFrontDoor(env) && active && env.schedule.sleep && at >= Date.parse(active) + env.schedule.idleMinutes * 60_000) return 'idle';
  return 'unknown';
}
