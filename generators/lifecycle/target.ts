/** The cluster, developer and env a lifecycle command (up, down, status, open, swap) acts on. */
import { loadFleet } from '../definitions/load-fleet.ts';
import type { ClusterPlan, Env } from '../plan/plan.ts';
import { NotFoundError, UsageError } from '../util/errors.ts';
import { findEnv, selectClusters } from '../plan/select.ts';
import { gitUser, resolveDeveloper } from './whoami.ts';

export interface TargetOptions {
  readonly cluster?: string | undefined;
  readonly developer?: string | undefined;
}

export async function resolveTarget(root: string, opts: TargetOptions): Promise<{ plan: ClusterPlan; developer: string }> {
  const fleet = await loadFleet(root);
  if (opts.cluster === undefined && fleet.clusters.length > 1) {
    throw new UsageError(`there are ${fleet.clusters.length} clusters; pass --cluster with one of: ${fleet.clusters.map((c) => c.cluster.name).join(', ')}`);
  }
  const [plan] = selectClusters(fleet, opts.cluster);
  if (!plan) throw new NotFoundError('no cluster is defined; add clusters/<name>.ts');
  return { plan, developer: resolveDeveloper(plan.cluster, opts.developer, gitUser(root)) };
}

export async function resolveEnv(root: string, project: string, opts: TargetOptions): Promise<Env> {
  const { plan, developer } = await resolveTarget(root, opts);
  return findEnv(plan, { developer, project });
}
