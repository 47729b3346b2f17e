import type { ClusterPlan, Env, Fleet } from './plan.ts';
import { NotFoundError, UsageError } from '../util/errors.ts';

/** The clusters a command works on: the one named by --cluster, or all. An unknown name is a usage error (exit 2). */
export function selectClusters(fleet: Fleet, name: string | undefined): readonly ClusterPlan[] {
  if (name === undefined) return fleet.clusters;
  const plan = fleet.clusters.find((c) => c.cluster.name === name);
  if (!plan) {
    const defined = fleet.clusters.map((c) => c.cluster.name).join(', ') || 'none';
    throw new UsageError(`--cluster ${name}: unknown cluster; defined clusters: ${defined} (see clusters/*.ts)`);
  }
  return [plan];
}

/** The one cluster a command works on: the one named by --cluster, or the only one defined. */
export function selectCluster(fleet: Fleet, name: string | undefined): ClusterPlan {
  if (name === undefined && fleet.clusters.length > 1) {
    throw new UsageError(`there are ${fleet.clusters.length} clusters; pass --cluster with one of: ${fleet.clusters.map((c) => c.cluster.name).join(', ')}`);
  }
  const [plan] = selectClusters(fleet, name);
  if (!plan) throw new NotFoundError('no cluster is defined; add clusters/<name>.ts');
  return plan;
}

/** The env named `<developer>/<project>` in a cluster. */
export function selectEnv(plan: ClusterPlan, id: string): Env {
  const match = /^([^/]+)\/([^/]+)$/.exec(id);
  if (!match) throw new UsageError(`--env ${id}: write it as <developer>/<project>, e.g. alice/my-app`);
  const [, developer, project] = match;
  const env = plan.envs.find((e) => e.developer === developer && e.project.name === project);
  if (env) return env;
  const developers = new Set(plan.envs.map((e) => e.developer));
  const why = !plan.cluster.developers.some((d) => d.name === developer)
    ? `"${developer}" is not a developer of cluster ${plan.cluster.name} (developers: ${[...developers].join(', ')})`
    : !plan.projects.some((p) => p.name === project)
      ? `there is no project "${project}" (projects: ${plan.projects.map((p) => p.name).join(', ')})`
      : `project "${project}" is not deployed for "${developer}" (see its \`developers\` field)`;
  throw new NotFoundError(`no env ${id} in cluster ${plan.cluster.name}: ${why}`);
}
