/**
 * The Application Load Balancers a cluster's tree makes AWS create, as the cost model splits them:
 * how many comes from plan/alb-usage.ts `loadBalancers` (the one count: one ALB in the front-door
 * mode, which Headlamp shares; one per IngressGroup plus the platform's with per-env Ingresses);
 * this adds which IngressGroups the env ALBs are, so each is shared by the envs behind it.
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#group.name
 */
import { loadBalancers as albCount } from '../plan/alb-usage.ts';
import type { ClusterPlan } from '../plan/plan.ts';
import { compare } from '../util/problem.ts';

export interface LoadBalancers {
  /** IngressGroups of env Ingresses (ingress-groups mode), one ALB each, sorted; empty behind the front door. */
  readonly envGroups: readonly string[];
  /** ALBs Terraform creates for the platform: the front door's, which Headlamp shares, or Headlamp's alone. */
  readonly platform: number;
  readonly total: number;
}

export function loadBalancers(plan: ClusterPlan): LoadBalancers {
  const envGroups = [...new Set(plan.envs.flatMap((env) => (env.ingressGroup === undefined ? [] : [env.ingressGroup])))].sort(compare);
  const { total } = albCount(plan);
  return { envGroups, platform: total - envGroups.length, total };
}
