/**
 * The monthly cost of a fleet, per env, per developer, per project, per cluster and in total,
 * each split into compute while awake, storage, load balancers and the fixed platform.
 *
 * The model (docs/cost.md says the same for users):
 * - compute: the env's CPU and memory requests (every container's, defaults applied) times the
 *   hours it is awake in a month (./awake-hours.ts), at the spot price of one vCPU-hour and one
 *   GiB-hour of the env NodePool's instance mix (on-demand prices of the mix split into vCPU and
 *   memory by least squares, less the spot saving), divided by the node utilisation (requests
 *   never fill a node);
 * - storage: each persistent volume's requested size, in GB, at the EFS Standard GB-month price,
 *   all month (data stays while the env sleeps);
 * - load balancers: every ALB the tree makes AWS create (./load-balancers.ts), all month, at the
 *   ALB-hour price plus the assumed LCUs; an IngressGroup's ALB is shared by its envs, the
 *   platform's ALB by every env of the cluster;
 * - platform: the EKS control plane and the on-demand system nodes (./platform.ts), all month,
 *   shared by every env of the cluster.
 *
 * Money is integer cents. An env's compute and storage are rounded to the cent (half up); a shared
 * cost is rounded to the cent once and split into whole cents (equal shares, the remainder one
 * cent each to the first envs in plan order: developer, then project). Every other figure is a sum
 * of these, so each total equals the sum of its parts exactly. A cluster without envs carries its
 * shared costs as `unallocated`.
 */
import { ownVolumes } from '../plan/model.ts';
import type { ClusterPlan } from '../plan/plan.ts';
import { compare } from '../util/problem.ts';
import { HOURS_PER_WEEK, scheduleLabel, weeklyAwakeHours, type ManualWake } from './awake-hours.ts';
import { loadBalancers, type LoadBalancers } from './load-balancers.ts';
import { PLATFORM } from './platform.ts';
import type { PriceList, Prices } from './prices.ts';
import { parseQuantity } from './quantity.ts';

export interface Cents {
  readonly compute: number;
  readonly storage: number;
  readonly loadBalancers: number;
  readonly platform: number;
  readonly total: number;
}

export interface EnvCost {
  readonly developer: string;
  readonly project: string;
  readonly namespace: string;
  readonly schedule: string;
  readonly awakeHoursPerMonth: number;
  /** Requests of all its containers: CPU cores, memory GiB. */
  readonly cpu: number;
  readonly memoryGiB: number;
  /** Requested size of its persistent volumes, GB (10^9 bytes, as EFS bills). */
  readonly storageGB: number;
  readonly ingressGroup: string | null;
  readonly cents: Cents;
}

export interface GroupCost {
  readonly name: string;
  readonly envs: number;
  readonly cents: Cents;
}

export interface ClusterCost {
  readonly cluster: string;
  readonly loadBalancers: LoadBalancers;
  readonly envs: readonly EnvCost[];
  readonly developers: readonly GroupCost[];
  readonly projects: readonly GroupCost[];
  /** Shared costs no env carries (a cluster without envs). */
  readonly unallocated: Cents;
  readonly total: Cents;
}

/** The unit prices the estimate used, after deriving them from the prices file. */
export interface Rates {
  readonly spotPerVcpuHour: number;
  readonly spotPerGibHour: number;
  readonly albPerMonth: number;
  readonly controlPlanePerMonth: number;
  readonly systemNodesPerMonth: number;
}

export interface FleetCost {
  readonly prices: { readonly file: string; readonly date: string; readonly region: string; readonly currency: string };
  readonly rates: Rates;
  readonly clusters: readonly ClusterCost[];
  readonly total: Cents;
}

const ZERO: Cents = { compute: 0, storage: 0, loadBalancers: 0, platform: 0, total: 0 };

export function fleetCost(plans: readonly ClusterPlan[], list: PriceList): FleetCost {
  const { prices } = list;
  const rates = deriveRates(prices);
  const clusters = plans.map((plan) => clusterCost(plan, prices, rates));
  return {
    prices: { file: list.file, date: prices.date, region: prices.region, currency: prices.currency },
    rates,
    clusters,
    total: sum(clusters.map((c) => c.total)),
  };
}

export function deriveRates(prices: Prices): Rates {
  const mix = prices.envInstances.value.map((type) => prices.instances.value[type]!);
  // Least squares for price = a * vcpu + b * GiB over the mix (normal equations of a 2x2 system).
  let vv = 0;
  let vg = 0;
  let gg = 0;
  let vp = 0;
  let gp = 0;
  for (const i of mix) {
    vv += i.vcpu * i.vcpu;
    vg += i.vcpu * i.memoryGiB;
    gg += i.memoryGiB * i.memoryGiB;
    vp += i.vcpu * i.onDemandPerHour;
    gp += i.memoryGiB * i.onDemandPerHour;
  }
  const det = vv * gg - vg * vg;
  if (det === 0) throw new Error('prices: envInstances need at least two instance types with different memory per vCPU');
  const spot = 1 - prices.spotSavings.value;
  const hours = prices.hoursPerMonth.value;
  const system = prices.instances.value[PLATFORM.systemNodes.instanceType];
  if (!system) throw new Error(`prices: instances has no "${PLATFORM.systemNodes.instanceType}" (the system nodes' type)`);
  // Rounded to 10 decimal places: no price has more, and binary floating point noise
  // (0.016274999999999994) would otherwise show in the JSON.
  const clean = (x: number) => Math.round(x * 1e10) / 1e10;
  return {
    spotPerVcpuHour: clean(((vp * gg - vg * gp) / det) * spot),
    spotPerGibHour: clean(((vv * gp - vg * vp) / det) * spot),
    albPerMonth: clean(hours * (prices.albPerHour.value + prices.assumptions.lcuPerAlb.value * prices.albPerLcuHour.value)),
    controlPlanePerMonth: clean(hours * PLATFORM.controlPlanes * prices.eksControlPlanePerHour.value),
    systemNodesPerMonth: clean(hours * PLATFORM.systemNodes.count * system.onDemandPerHour),
  };
}

function clusterCost(plan: ClusterPlan, prices: Prices, rates: Rates): ClusterCost {
  const manual: ManualWake = { time: prices.assumptions.manualWake.value, days: prices.assumptions.workingDays.value };
  const monthsPerWeek = prices.hoursPerMonth.value / HOURS_PER_WEEK;
  const lbs = loadBalancers(plan);
  const envs = plan.envs;

  // Shared costs, each rounded once, then split into whole cents.
  const lbShare = new Array<number>(envs.length).fill(0);
  const albCents = toCents(rates.albPerMonth);
  const members = new Map<string, number[]>(lbs.envGroups.map((group) => [group, []]));
  envs.forEach((env, i) => env.ingressGroup !== undefined && members.get(env.ingressGroup)!.push(i));
  for (const indices of members.values()) split(albCents, indices.length).forEach((c, k) => (lbShare[indices[k]!]! += c));
  const platformAlb = split(albCents * lbs.platform, envs.length);
  const platformCents = toCents(rates.controlPlanePerMonth) + toCents(rates.systemNodesPerMonth);
  const platformShare = split(platformCents, envs.length);

  const envCosts = envs.map((env, i): EnvCost => {
    const cpu = env.project.containers.reduce((n, c) => n + parseQuantity(c.resources.cpu), 0);
    const memoryGiB = env.project.containers.reduce((n, c) => n + parseQuantity(c.resources.memory), 0) / 2 ** 30;
    const storageGB = ownVolumes(env.project).map((o) => o.volumeModel).filter((v) => v.persistent).reduce((n, v) => n + parseQuantity(v.size ?? '0') / 1e9, 0);
    const awakeHoursPerMonth = weeklyAwakeHours(env.schedule, manual) * monthsPerWeek;
    const compute = toCents((awakeHoursPerMonth * (cpu * rates.spotPerVcpuHour + memoryGiB * rates.spotPerGibHour)) / prices.assumptions.nodeUtilisation.value);
    const storage = toCents(storageGB * prices.efsStandardPerGbMonth.value);
    const loadBalancers = lbShare[i]! + (platformAlb[i] ?? 0);
    const platform = platformShare[i] ?? 0;
    return {
      developer: env.developer,
      project: env.project.name,
      namespace: env.namespace,
      schedule: scheduleLabel(env.schedule),
      awakeHoursPerMonth: round2(awakeHoursPerMonth),
      cpu: round2(cpu),
      memoryGiB: round2(memoryGiB),
      storageGB: round2(storageGB),
      ingressGroup: env.ingressGroup ?? null,
      cents: cents(compute, storage, loadBalancers, platform),
    };
  });
  const unallocated = envs.length === 0 ? cents(0, 0, albCents * lbs.platform, platformCents) : ZERO;
  return {
    cluster: plan.cluster.name,
    loadBalancers: lbs,
    envs: envCosts,
    developers: groupBy(envCosts, (e) => e.developer),
    projects: groupBy(envCosts, (e) => e.project),
    unallocated,
    total: sum([...envCosts.map((e) => e.cents), unallocated]),
  };
}

function cents(compute: number, storage: number, loadBalancers: number, platform: number): Cents {
  return { compute, storage, loadBalancers, platform, total: compute + storage + loadBalancers + platform };
}

export function sum(parts: readonly Cents[]): Cents {
  return parts.reduce((a, b) => cents(a.compute + b.compute, a.storage + b.storage, a.loadBalancers + b.loadBalancers, a.platform + b.platform), ZERO);
}

function groupBy(envs: readonly EnvCost[], key: (e: EnvCost) => string): GroupCost[] {
  const groups = new Map<string, EnvCost[]>();
  for (const env of envs) {
    const group = groups.get(key(env));
    if (group) group.push(env);
    else groups.set(key(env), [env]);
  }
  return [...groups].sort(([a], [b]) => compare(a, b)).map(([name, members]) => ({ name, envs: members.length, cents: sum(members.map((m) => m.cents)) }));
}

/** Dollars to whole cents, half up. */
function toCents(usd: number): number {
  return Math.round(usd * 100 + 1e-9);
}

/** `total` whole cents in `n` shares that differ by at most one cent and add up to `total`. */
function split(total: number, n: number): number[] {
  if (n === 0) return [];
  const base = Math.floor(total / n);
  const rest = total - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < rest ? 1 : 0));
}

const round2 = (x: number) => Math.round(x * 100) / 100;
