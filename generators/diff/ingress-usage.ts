/** ALB target groups and listener rules used per IngressGroup (one ALB each) of a cluster. */
import { albUsage } from '../plan/alb-usage.ts';
import type { ClusterPlan } from '../plan/plan.ts';

export interface IngressGroupUsage {
  readonly targetGroups: number;
  readonly rules: number;
  readonly envs: number;
}

export function ingressUsage(plan: ClusterPlan): Map<string, IngressGroupUsage> {
  const usage = new Map<string, { targetGroups: number; rules: number; envs: number }>();
  for (const env of plan.envs) {
    if (env.ingressGroup === undefined) continue;
    const add = albUsage(env);
    const group = usage.get(env.ingressGroup) ?? { targetGroups: 0, rules: 0, envs: 0 };
    group.targetGroups += add.targetGroups;
    group.rules += add.rules;
    group.envs += 1;
    usage.set(env.ingressGroup, group);
  }
  return usage;
}
