/** What an env is doing, from its Deployment, and when it next sleeps. */
import { CronExpressionParser } from 'cron-parser';
import type { DeploymentState, ReplicaSetState } from '../kube/kube-api.ts';
import type { Env } from '../plan/plan.ts';
import { cronExpression } from '../plan/schedule.ts';

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
