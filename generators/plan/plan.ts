/**
 * The plan: which envs exist (developers x projects, per cluster), their names, hosts and
 * ALB IngressGroup. Pure data; the generators only read it.
 */
import { createHash } from 'node:crypto';
import { compare, joinPath, type Problem } from '../definitions/problem.ts';
import type { ClusterModel, ProjectModel, RouteModel } from './model.ts';
import { applicationName, hostLabel, ingressGroupName, namespaceName } from './names.ts';
import { resolveSchedule, type EnvSchedule } from './schedule.ts';

/** AWS ALB quotas (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html). */
export const ALB_LIMITS = {
  /** Target groups per ALB: not adjustable. */
  targetGroups: 100,
  /** Rules per ALB, default quota (the HTTP->HTTPS redirect is a listener default, not a rule). */
  rules: 100,
} as const;

export interface EnvHost {
  readonly route: RouteModel;
  /** Fully qualified host name, e.g. `my-app-com--alice.dev.example.com`. */
  readonly host: string;
}

export interface Env {
  readonly cluster: ClusterModel;
  readonly project: ProjectModel;
  readonly developer: string;
  readonly namespace: string;
  /** Argo CD Application name, also the env's id in `--env` is `<developer>/<project>`. */
  readonly application: string;
  /** Helm release name: the project name, so objects are named after the project. */
  readonly release: string;
  readonly hosts: readonly EnvHost[];
  /** ALB IngressGroup; undefined when the project has no routes. */
  readonly ingressGroup: string | undefined;
  /** When the env sleeps and wakes (cluster defaults, then project, then developer overrides). */
  readonly schedule: EnvSchedule;
}

export interface ClusterPlan {
  readonly cluster: ClusterModel;
  /** Projects deployed in this cluster (every project), sorted by name. */
  readonly projects: readonly ProjectModel[];
  /** Sorted by developer, then project. */
  readonly envs: readonly Env[];
}

export interface Fleet {
  readonly clusters: readonly ClusterPlan[];
  readonly projects: readonly ProjectModel[];
}

export function planFleet(clusters: readonly ClusterModel[], projects: readonly ProjectModel[]): { fleet: Fleet; problems: Problem[] } {
  const sortedProjects = [...projects].sort((a, b) => compare(a.name, b.name));
  const problems: Problem[] = [];
  const plans = [...clusters]
    .sort((a, b) => compare(a.name, b.name))
    .map((cluster) => {
      const plan = planCluster(cluster, sortedProjects);
      problems.push(...checkIngressCapacity(plan));
      return plan;
    });
  return { fleet: { clusters: plans, projects: sortedProjects }, problems };
}

function planCluster(cluster: ClusterModel, projects: readonly ProjectModel[]): ClusterPlan {
  const developers = [...cluster.developers].sort((a, b) => compare(a.name, b.name));
  const envs: Env[] = [];
  for (const { name: developer, schedule: developerSchedule } of developers) {
    for (const project of projects) {
      if (project.developers !== 'all' && !project.developers.includes(developer)) continue;
      const application = applicationName(project.name, developer);
      envs.push({
        cluster,
        project,
        developer,
        namespace: namespaceName(cluster.namespacePrefix, developer),
        application,
        release: project.name,
        hosts: project.routes.map((route) => ({ route, host: `${hostLabel(route.label, developer)}.${cluster.domain}` })),
        ingressGroup: project.routes.length > 0 ? ingressGroupName(cluster.name, chooseGroup(application, cluster.ingress.groups)) : undefined,
        schedule: resolveSchedule(cluster.schedule, project.schedule, developerSchedule),
      });
    }
  }
  return { cluster, projects, envs };
}

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
function groupUsage(envs: readonly Env[], groups: number): { targetGroups: number; rules: number; envs: number }[] {
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

const fits = (use: { targetGroups: number; rules: number }) => use.targetGroups <= ALB_LIMITS.targetGroups && use.rules <= ALB_LIMITS.rules;

function checkIngressCapacity(plan: ClusterPlan): Problem[] {
  const { cluster } = plan;
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
