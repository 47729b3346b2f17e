/**
 * How many ALBs a cluster needs and how much of one the envs use: the AWS quotas, what one env
 * adds, and which IngressGroup (one ALB each) an env joins in the per-env Ingress mode. Facts
 * only; `definitions/check-capacity.ts` turns them into problems, `diff/` shows them in pull
 * requests, and the cost model prices `loadBalancers`.
 */
import { createHash } from 'node:crypto';
import type { ClusterPlan, Env } from './plan.ts';

/** AWS ALB quotas (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html). */
export const ALB_LIMITS = {
  /** Target groups per ALB: not adjustable. */
  targetGroups: 100,
  /** Rules per ALB, default quota (the HTTP->HTTPS redirect is a listener default, not a rule). */
  rules: 100,
} as const;


/**
 * Jump consistent hashing (Lamping & Veach, https://arxiv.org/abs/1406.2294): stateless, even,
 * and monotone. Going from n to n+1 groups moves only ~1/(n+1) of the envs, and only into the
 * new group; every other env keeps its ALB, so its DNS records and certificate stay put.
 */
export function chooseGroup(application: string, groups: number): number {
  let key = createHash('sha256').update(application).digest().readBigUInt64BE(0);
  let b = -1n;
  let j = 0n;
  const n = BigInt(groups);
  while (j < n) {
    b = j;
    key = (key * 2862933555777941757n + 1n) & 0xffffffffffffffffn;
    j = BigInt(Math.floor((Number(b) + 1) * (2 ** 31 / Number((key >> 33n) + 1n))));
  }
  return Number(b);
}

/** Target groups and rules an env adds to its ALB. */
export function albUsage(env: Env): { targetGroups: number; rules: number } {
  return {
    targetGroups: new Set(env.project.routes.map((r) => r.port)).size,
    rules: env.project.routes.length,
  };
}

/** Target groups and rules per IngressGroup index, for a given number of groups. */
export function groupUsage(envs: readonly Env[], groups: number): { targetGroups: number; rules: number; envs: number }[] {
  const usage = Array.from({ length: groups }, () => ({ targetGroups: 0, rules: 0, envs: 0 }));
  for (const env of envs) {
    if (env.project.routes.length === 0) continue;
    const add = albUsage(env);
    const group = usage[chooseGroup(env.application, groups)]!;
    group.targetGroups += add.targetGroups;
    group.rules += add.rules;
    group.envs += 1;
  }
  return usage;
}


/** The load balancers (ALBs) a cluster runs. */
export interface LoadBalancerCount {
  /** ALBs that carry env traffic. */
  readonly envTraffic: number;
  /** Every ALB of the cluster, the platform's (Headlamp, and the front door) included. */
  readonly total: number;
}

/**
 * The ALBs a cluster's generated tree and its Terraform make AWS run. The one place this is
 * counted: the cost model and the tests ask here.
 * - `front-door` (default): ONE ALB for all env traffic, whatever the number of envs: the
 *   front-door Ingress (`*.<domain>` to the interceptor) and Headlamp's Ingress share the platform
 *   IngressGroup `devfleet-<cluster>-platform` (terraform/modules/platform/front-door.tf, addons.tf,
 *   access.tf `platform_alb_group`), so the total is 1 too. Terraform creates it whether or not an
 *   env has routes.
 * - `ingress-groups`: one ALB per IngressGroup that at least one env joins, plus the platform
 *   group's ALB, which then serves Headlamp alone.
 */
export function loadBalancers(plan: ClusterPlan): LoadBalancerCount {
  if (plan.cluster.ingress.mode === 'front-door') return { envTraffic: 1, total: 1 };
  const groups = new Set(plan.envs.flatMap((env) => (env.ingressGroup === undefined ? [] : [env.ingressGroup])));
  return { envTraffic: groups.size, total: groups.size + 1 };
}
