/**
 * Which envs the cluster's front door serves, and what that changes in how they wake.
 *
 * In a cluster with `ingress.mode: front-door` (the default) every env with routes is reached
 * through ONE load balancer in front of the KEDA HTTP add-on's interceptor
 * (terraform/modules/platform/front-door.tf); its chart holds an InterceptorRoute per target port
 * and a ScaledObject (generators/chart/interceptor-route.ts, scaled-object.ts) instead of an
 * Ingress. KEDA then owns waking such an env: on a request, and in its scheduled wake window
 * (a cron trigger). Envs without routes (workers) keep the schedule jobs and the CLI.
 */
import type { Env } from './plan.ts';
import type { Recurrence } from './schedule.ts';

/** True when the front door routes to this env and KEDA scales it. */
export function behindFrontDoor(env: Env): boolean {
  return env.cluster.ingress.mode === 'front-door' && env.hosts.length > 0;
}

/**
 * The wake the namespace's wake CronJob performs for this env, if any. None behind the front
 * door: a Deployment the job scales to 1 is scaled back to 0 by KEDA at its next poll when the
 * ScaledObject has been inactive for longer than its cooldown (scaleToZeroOrIdle in KEDA's
 * pkg/scaling/executor/scale_scaledobjects.go), so the wake window is a KEDA cron trigger
 * there instead.
 */
export function wakeJobRecurrence(env: Env): Recurrence | undefined {
  return behindFrontDoor(env) ? undefined : env.schedule.wake;
}
