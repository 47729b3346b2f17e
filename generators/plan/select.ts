import type { ClusterPlan, Env, Fleet } from './plan.ts';
import { NotFoundError, UsageError } from '../util/errors.ts';

/** The clusters a command works on: the one named by --cluster, or all. */
export function selectClusters(fleet: Fleet, name: string | undefined): readonly ClusterPlan[] {
  if (name === undefined) return fleet.clusters;
  const plan = fleet.clusters.find((c) => c.cluster.name === name);
  if (!plan) {
    throw new NotFoundError(`no cluster named "${name}"; defined clusters: ${fleet.clusters.map((c) => c.cluster.name).join(', ')} (see clusters/*.ts)`);
  }
  return [plan];
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
