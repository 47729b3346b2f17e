/**
 * Capacity that several envs share, checked on the plan:
 * - with per-env Ingresses (`ingress.mode: ingress-groups`), an IngressGroup must fit one ALB, or
 *   the AWS Load Balancer Controller fails to reconcile it. Behind the front door (the default)
 *   every env shares one ALB with one target group, so there is nothing to check and
 *   `ingress.groups` is never asked for;
 * - a developer namespace's ResourceQuota must hold its always-on envs together plus the largest
 *   other env (checkAlwaysOnFitQuota).
 */
import { ALB_LIMITS, groupUsage } from '../plan/alb-usage.ts';
import { ingressGroupName } from '../plan/names.ts';
import type { ClusterPlan, Env } from '../plan/plan.ts';
import { addQuantities, compareQuantities, parseQuantity, type Quantity } from '../util/quantity.ts';
import { joinPath, type Problem } from '../util/problem.ts';
import { POD_RESOURCES } from './check-resources.ts';
import { listed } from './check-secrets.ts';
import type { LoadedFile } from './load.ts';
import { problemAt } from './problem-at.ts';

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

/** The item that asks most of a resource (the first of equals). */
function largest<T extends { readonly value: Quantity }>(items: readonly T[]): T | undefined {
  return items.reduce<T | undefined>((best, item) => (best === undefined || compareQuantities(item.value, best.value) > 0 ? item : best), undefined);
}

/**
 * Where an always-on env's `alwaysOn` is set: the developer's schedule in the cluster file wins
 * over the project's (plan/schedule.ts resolves them in that order).
 */
function alwaysOnField(env: Env): { file: string; segments: (string | number)[] } {
  const d = env.cluster.developers.findIndex((developer) => developer.name === env.developer);
  if (env.cluster.developers[d]?.schedule?.alwaysOn !== undefined) return { file: env.cluster.file, segments: ['developers', d, 'schedule', 'alwaysOn'] };
  return { file: env.project.file, segments: ['schedule', 'alwaysOn'] };
}

/**
 * Always-on envs never sleep, so they hold their part of the developer namespace's ResourceQuota
 * all the time, and every other env of that developer has to fit in what is left: an always-on
 * env near the quota stops the others from waking (their Pods are refused, "exceeded quota").
 * So, per namespace and per quota'd resource of a Pod (check-resources.ts POD_RESOURCES, the same
 * table the one-Pod check reads), the always-on envs together plus the largest other env must fit
 * the quota. An env that alone exceeds it is the one-Pod check's problem and is not counted twice.
 *
 * Reported at the `alwaysOn` of the always-on env that asks most of the resource, once for all
 * developers whose namespaces hold the same envs.
 */
export function checkAlwaysOnFitQuota(plan: ClusterPlan, loadedOf: (file: string) => LoadedFile): Problem[] {
  const { cluster } = plan;
  const byNamespace = new Map<string, Env[]>();
  for (const env of plan.envs) byNamespace.set(env.namespace, [...(byNamespace.get(env.namespace) ?? []), env]);

  interface Overrun {
    readonly resource: (typeof POD_RESOURCES)[number];
    readonly quota: Quantity;
    readonly on: readonly { env: Env; value: Quantity }[];
    readonly other: { env: Env; value: Quantity; of: number } | undefined;
    readonly total: Quantity;
    readonly at: { file: string; segments: (string | number)[] };
    readonly namespaces: string[];
    readonly developers: string[];
  }
  const overruns = new Map<string, Overrun>();
  for (const [namespace, envs] of byNamespace) {
    const alwaysOn = envs.filter((env) => env.schedule.sleep === undefined);
    if (alwaysOn.length === 0) continue;
    const others = envs.filter((env) => env.schedule.sleep !== undefined);
    for (const resource of POD_RESOURCES) {
      const quota = parseQuantity(cluster.quota[resource.quota]);
      const ask = (env: Env) => ({ env, value: addQuantities(...env.project.containers.map((c) => parseQuantity(c.resources[resource.key]))) });
      const on = alwaysOn.map(ask);
      const biggestOther = largest(others.map(ask));
      const counted = biggestOther ? [...on, biggestOther] : on;
      if (counted.some(({ value }) => compareQuantities(value, quota) > 0)) continue;
      const total = addQuantities(...counted.map(({ value }) => value));
      if (compareQuantities(total, quota) <= 0) continue;
      const at = alwaysOnField(largest(on)!.env);
      const id = JSON.stringify([resource.key, on.map(({ env }) => env.project.name), biggestOther?.env.project.name, others.length, at.file, at.segments]);
      const overrun = overruns.get(id) ?? { resource, quota, on, other: biggestOther && { ...biggestOther, of: others.length }, total, at, namespaces: [], developers: [] };
      overrun.namespaces.push(namespace);
      overrun.developers.push(envs[0]!.developer);
      overruns.set(id, overrun);
    }
  }

  return [...overruns.values()].map(({ resource, quota, on, other, total, at, namespaces, developers }) => {
    const { format } = resource;
    const who = `${developers.length === 1 ? 'developer' : 'developers'} ${listed(developers)} in cluster "${cluster.name}" (${namespaces.length === 1 ? 'namespace' : 'namespaces'} ${listed(namespaces)})`;
    const onText = `${on.map(({ env, value }) => `${env.project.name} ${format(value)}`).join(', ')}`;
    const sumOn = addQuantities(...on.map(({ value }) => value));
    const needs = other
      ? `the always-on envs (${onText}: ${format(sumOn)}) plus the largest env that may wake beside them (${other.env.project.name} ${format(other.value)}${other.of > 1 ? `, the largest of ${other.of} other envs` : ''}) need ${format(total)} of ${resource.what}`
      : `the always-on envs (${onText}) need ${format(total)} of ${resource.what} together`;
    const effect = other ? `always-on envs never sleep, so ${other.env.project.name} could not wake while they run` : 'they never sleep, so they could never all run at once';
    return problemAt(
      loadedOf(at.file),
      at.segments,
      `${needs}, more than the namespace quota of ${who} allows (${cluster.file} quota.${resource.quota} ${format(quota)}, the namespace's ${resource.quotaName}): ${effect}; lower the containers' resources, drop alwaysOn from one of them (a project's schedule.alwaysOn, or a developer's in ${cluster.file}), or ask ops to raise quota.${resource.quota} to at least ${format(total)}`,
    );
  });
}
