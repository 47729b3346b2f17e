/** The cluster, developer and env a lifecycle command (up, down, status, open, swap) acts on. */
import { isProjectFile, loadValidPart, requireValid } from '../definitions/load-fleet.ts';
import type { Problem } from '../util/problem.ts';
import type { ClusterPlan, Env } from '../plan/plan.ts';
import { findEnv, selectCluster } from '../plan/select.ts';
import { readUserConfig, userConfigPath } from './user-config.ts';
import { DEVELOPER_VARIABLE, gitUser, resolveDeveloper } from './whoami.ts';

export interface TargetOptions {
  readonly cluster?: string | undefined;
  readonly developer?: string | undefined;
}

/**
 * These commands change no definition: they work on the valid part of the fleet (definitions/
 * load-fleet.ts loadValidPart) and hand the problems of the project files left out to `warn`,
 * unless the command asked for one of those projects, which is then refused with its problems.
 */
export async function resolveTarget(root: string, opts: TargetOptions, warn: (skipped: readonly Problem[]) => void, project?: string): Promise<{ plan: ClusterPlan; developer: string }> {
  const part = await loadValidPart(root);
  if (project !== undefined) requireValid(part, isProjectFile(project));
  warn(part.skipped);
  const plan = selectCluster(part.fleet, opts.cluster);
  const fromEnvironment = process.env[DEVELOPER_VARIABLE];
  // The config file is read only when it could decide: a broken one does not stand in the way of --developer.
  const file = userConfigPath();
  const configured = opts.developer === undefined && !fromEnvironment ? readUserConfig(file).developer : undefined;
  return { plan, developer: resolveDeveloper(plan.cluster, opts.developer, gitUser(root), fromEnvironment, configured === undefined ? undefined : { developer: configured, file }) };
}

export async function resolveEnv(root: string, project: string, opts: TargetOptions, warn: (skipped: readonly Problem[]) => void): Promise<Env> {
  const { plan, developer } = await resolveTarget(root, opts, warn, project);
  return findEnv(plan, { developer, project });
}
