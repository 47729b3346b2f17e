/** What an env is doing, from its Deployment, and when it next sleeps. */
import { CronExpressionParser } from 'cron-parser';
import type { DeploymentState } from '../kube/kube-api.ts';
import type { Env } from '../plan/plan.ts';
import { cronExpression } from '../plan/schedule.ts';

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
