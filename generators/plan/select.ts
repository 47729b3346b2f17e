/** The clusters and envs a command names, with errors that say what exists instead. */
import type { ClusterPlan, Env, Fleet } from './plan.ts';
import { formatEnvId, parseEnvId, type EnvId } from './env-id.ts';
import { SEPARATOR } from './names.ts';
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

/**
 * The env a user names on the command line: `<developer>/<project>` (the env's identity, see
 * ./env-id.ts) or its Argo CD Application name as `list` and Argo CD show it.
 */
export function selectEnv(plan: ClusterPlan, text: string): Env {
  const id = parseEnvId(text, plan.envs);
  if (id) return findEnv(plan, id);
  if (text.includes(SEPARATOR) && !text.includes('/')) {
    throw new NotFoundError(`no env of cluster ${plan.cluster.name} has the Argo CD Application "${text}"; name the env as <developer>/<project>, e.g. ${exampleId(plan)} (\`devfleet list\` shows every env)`);
  }
  throw new UsageError(`--env ${text}: write it as <developer>/<project>, e.g. ${exampleId(plan)}`);
}

/** The env with this identity in a cluster, or an error that says why there is none. */
export function findEnv(plan: ClusterPlan, id: EnvId): Env {
  const env = plan.envs.find((e) => e.id.developer === id.developer && e.id.project === id.project);
  if (env) return env;
  const developers = new Set(plan.envs.map((e) => e.developer));
  const why = !plan.cluster.developers.some((d) => d.name === id.developer)
    ? `"${id.developer}" is not a developer of cluster ${plan.cluster.name} (developers: ${[...developers].join(', ')})`
    : !plan.projects.some((p) => p.name === id.project)
      ? `there is no project "${id.project}" (projects: ${plan.projects.map((p) => p.name).join(', ')})`
      : `project "${id.project}" is not deployed for "${id.developer}" (see its \`developers\` field)`;
  throw new NotFoundError(`no env ${formatEnvId(id)} in cluster ${plan.cluster.name}: ${why}`);
}

function exampleId(plan: ClusterPlan): string {
  const first = plan.envs[0];
  return first ? formatEnvId(first.id) : 'alice/my-app';
}
