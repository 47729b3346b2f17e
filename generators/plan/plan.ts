/**
 * The plan: which envs exist (developers x projects, per cluster), their names, hosts and
 * ALB IngressGroup. Pure data; the generators only read it.
 */
import { createHash } from 'node:crypto';
import { compare, joinPath, type Problem } from '../definitions/problem.ts';
import type { ClusterModel, ProjectModel, RouteModel } from './model.ts';
import { applicationName, hostLabel, ingressGroupName, namespaceName } from './names.ts';

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
  const developers = cluster.developers.map((d) => d.name).sort(compare);
  const envs: Env[] = [];
  for (const developer of developers) {
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
      });
    }
  }
  return { cluster, projects, envs };
}

/**
 * Rendezvous (highest random weight) hashing: each env goes to the group with the highest
 * hash of (env, group). Adding a group moves only the envs that now score highest on the new
 * group; no other env changes ALB, so DNS and certificates of the rest stay put.
 */
export function chooseGroup(application: string, groups: number): number {
  let best = 0;
  let bestScore = -1n;
  for (let g = 0; g < groups; g++) {
    const score = createHash('sha256').update(`${application}\0${g}`).digest().readBigUInt64BE(0);
    if (score > bestScore) {
      best = g;
      bestScore = score;
    }
  }
  return best;
}

/** Target groups and rules an env adds to its ALB. */
export function albUsage(env: Env): { targetGroups: number; rules: number } {
  return {
    targetGroups: new Set(env.project.routes.map((r) => r.port)).size,
    rules: env.project.routes.length,
  };
}

function checkIngressCapacity(plan: ClusterPlan): Problem[] {
  const usage = new Map<string, { targetGroups: number; rules: number; envs: number }>();
  let totalTargetGroups = 0;
  let totalRules = 0;
  for (const env of plan.envs) {
    if (!env.ingressGroup) continue;
    const add = albUsage(env);
    const group = usage.get(env.ingressGroup) ?? { targetGroups: 0, rules: 0, envs: 0 };
    group.targetGroups += add.targetGroups;
    group.rules += add.rules;
    group.envs += 1;
    usage.set(env.ingressGroup, group);
    totalTargetGroups += add.targetGroups;
    totalRules += add.rules;
  }
  const problems: Problem[] = [];
  // Headroom: hashing is not perfectly even, so suggest groups filled to about 80 %.
  const suggested = Math.max(plan.cluster.ingress.groups + 1, Math.ceil(Math.max(totalTargetGroups / ALB_LIMITS.targetGroups, totalRules / ALB_LIMITS.rules) / 0.8));
  for (const [group, use] of [...usage].sort(([a], [b]) => compare(a, b))) {
    const over =
      use.targetGroups > ALB_LIMITS.targetGroups
        ? `${use.targetGroups} target groups (ALB limit ${ALB_LIMITS.targetGroups}, not adjustable)`
        : use.rules > ALB_LIMITS.rules
          ? `${use.rules} listener rules (ALB default quota ${ALB_LIMITS.rules})`
          : undefined;
    if (over) {
      problems.push({
        file: plan.cluster.file,
        path: joinPath(['ingress', 'groups']),
        message: `IngressGroup "${group}" would need ${over} for its ${use.envs} envs, and the AWS Load Balancer Controller would fail to reconcile it; set ingress.groups to ${suggested} (now ${plan.cluster.ingress.groups})`,
      });
    }
  }
  return problems;
}
