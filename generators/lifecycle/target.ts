/** The cluster, developer and env a lifecycle command (up, down, status, open, swap) acts on. */
import { loadFleet } from '../definitions/load-fleet.ts';
import type { ClusterPlan, Env } from '../plan/plan.ts';
import { findEnv, selectCluster } from '../plan/select.ts';
import { gitUser, resolveDeveloper } from './whoami.ts';

export interface TargetOptions {
  readonly cluster?: string | undefined;
  readonly developer?: string | undefined;
}

export async function resolveTarget(root: string, opts: TargetOptions): Promise<{ plan: ClusterPlan; developer: string }> {
  const plan = selectCluster(await loadFleet(root), opts.cluster);
  return { plan, developer: resolveDeveloper(plan.cluster, opts.developer, gitUser(root)) };
}

export async function resolveEnv(root: string, project: string, opts: TargetOptions): Promise<Env> {
  const { plan, developer } = await resolveTarget(root, opts);
  return findEnv(plan, { developer, project });
}
