/**
 * Fleet-level checks that need the plan: with per-env Ingresses (`ingress.mode: ingress-groups`),
 * an IngressGroup must fit one ALB, or the AWS Load Balancer Controller fails to reconcile it.
 * Behind the front door (the default) every env shares one ALB with one target group, so there
 * is nothing to check and `ingress.groups` is never asked for.
 */
import { ALB_LIMITS, groupUsage } from '../plan/alb-usage.ts';
import { ingressGroupName } from '../plan/names.ts';
import type { ClusterPlan } from '../plan/plan.ts';
import { joinPath, type Problem } from '../util/problem.ts';

const fits = (use: { targetGroups: number; rules: number }) => use.targetGroups <= ALB_LIMITS.targetGroups && use.rules <= ALB_LIMITS.rules;

export function checkIngressCapacity(plan: ClusterPlan): Problem[] {
  const { cluster } = plan;
  if (cluster.ingress.mode !== 'ingress-groups') return [];
  const usage = groupUsage(plan.envs, cluster.ingress.groups);
  const full = usage.map((use, n) => ({ use, n })).filter(({ use }) => !fits(use));
  if (full.length === 0) return [];
  // The smallest group count at which every group fits, found by trying (hashing is not perfectly even).
  let suggested = cluster.ingress.groups + 1;
  while (suggested < cluster.ingress.groups * 4 + 100 && !groupUsage(plan.envs, suggested).every(fits)) suggested++;
  return full.map(({ use, n }) => {
    const over =
      use.targetGroups > ALB_LIMITS.targetGroups
        ? `${use.targetGroups} target groups (ALB limit ${ALB_LIMITS.targetGroups}, not adjustable)`
        : `${use.rules} listener rules (ALB default quota ${ALB_LIMITS.rules})`;
    return {
      file: cluster.file,
      path: joinPath(['ingress', 'groups']),
      message: `IngressGroup "${ingressGroupName(cluster.name, n)}" would need ${over} for its ${use.envs} envs, and the AWS Load Balancer Controller would fail to reconcile it; set ingress.groups to ${suggested} (now ${cluster.ingress.groups}; only envs that move to the new groups change ALB)`,
    };
  });
}
