/**
 * The plan: which envs exist (developers x projects, per cluster), their names, hosts and (with
 * per-env Ingresses) ALB IngressGroup. Pure data; the generators only read it.
 */
import { compare } from '../util/problem.ts';
import { chooseGroup } from './alb-usage.ts';
import type { EnvId } from './env-id.ts';
import type { ClusterModel, ProjectModel, RouteModel } from './model.ts';
import { applicationName, hostLabel, ingressGroupName, namespaceName, releaseName } from './names.ts';
import { resolveSchedule, type EnvSchedule } from './schedule.ts';

export interface EnvHost {
  readonly route: RouteModel;
  /** Fully qualified host name, e.g. `my-app-com--alice.dev.example.com` (its first label shortened when long, see ./names.ts). */
  readonly host: string;
}

export interface Env {
  /** The env's identity: real developer and project names (./env-id.ts). */
  readonly id: EnvId;
  readonly cluster: ClusterModel;
  readonly project: ProjectModel;
  readonly developer: string;
  readonly namespace: string;
  /** Argo CD Application name: derived, shortened when long; not the env's identity (that is `id`). */
  readonly application: string;
  /** Helm release name: the project name, so objects are named after the project. */
  readonly release: string;
  readonly hosts: readonly EnvHost[];
  /**
   * ALB IngressGroup of the env's own Ingress: only in a cluster with `ingress.mode:
   * ingress-groups`, and only when the project has routes. Behind the front door (the default
   * mode) envs have no Ingress and join no group (./front-door.ts).
   */
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

export function planFleet(clusters: readonly ClusterModel[], projects: readonly ProjectModel[]): Fleet {
  const sortedProjects = [...projects].sort((a, b) => compare(a.name, b.name));
  const plans = [...clusters].sort((a, b) => compare(a.name, b.name)).map((cluster) => planCluster(cluster, sortedProjects));
  return { clusters: plans, projects: sortedProjects };
}

function planCluster(cluster: ClusterModel, projects: readonly ProjectModel[]): ClusterPlan {
  const developers = [...cluster.developers].sort((a, b) => compare(a.name, b.name));
  const envs: Env[] = [];
  for (const { name: developer, schedule: developerSchedule } of developers) {
    for (const project of projects) {
      if (project.developers !== 'all' && !project.developers.includes(developer)) continue;
      const application = applicationName(project.name, developer);
      envs.push({
        id: { developer, project: project.name },
        cluster,
        project,
        developer,
        namespace: namespaceName(cluster.namespacePrefix, developer),
        application,
        release: releaseName(project.name),
        hosts: project.routes.map((route) => ({ route, host: `${hostLabel(route.label, developer)}.${cluster.domain}` })),
        ingressGroup:
          cluster.ingress.mode === 'ingress-groups' && project.routes.length > 0 ? ingressGroupName(cluster.name, chooseGroup(application, cluster.ingress.groups)) : undefined,
        schedule: resolveSchedule(cluster.schedule, project.schedule, developerSchedule),
      });
    }
  }
  return { cluster, projects, envs };
}

/** The URL of each route of an env, in route order. */
export function envUrls(env: Env): string[] {
  return env.hosts.map((h) => `https://${h.host}${h.route.path === '/' ? '' : h.route.path}`);
}
