/**
 * The Application Load Balancers a cluster's tree makes AWS create: one per distinct IngressGroup
 * of the env Ingresses (the AWS Load Balancer Controller makes one ALB per group), plus the
 * platform's own: Terraform groups Headlamp's Ingress and the front door's into the one
 * IngressGroup `devfleet-<cluster>-platform` (terraform/modules/platform/access.tf, addons.tf,
 * front-door.tf). This is the only place the count is made: when envs move behind the front door
 * (no per-env Ingress), only this function changes.
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#group.name
 */
import type { ClusterPlan } from '../plan/plan.ts';
import { compare } from '../util/problem.ts';

export interface LoadBalancers {
  /** IngressGroups of env Ingresses, one ALB each, sorted. */
  readonly envGroups: readonly string[];
  /** ALBs Terraform creates for the platform (Headlamp and the front door share one). */
  readonly platform: number;
  readonly total: number;
}

export function loadBalancers(plan: ClusterPlan): LoadBalancers {
  const envGroups = [...new Set(plan.envs.flatMap((env) => (env.ingressGroup === undefined ? [] : [env.ingressGroup])))].sort(compare);
  const platform = 1;
  return { envGroups, platform, total: envGroups.length + platform };
}
