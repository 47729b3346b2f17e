import { isProjectFile, loadValidPart, requireValid } from '../../definitions/load-fleet.ts';
import { renderEnv, type ChartCache } from '../../render/render-env.ts';
import type { Io } from '../io.ts';
import { warnSkipped } from '../warn-skipped.ts';
import { selectCluster, selectEnv } from '../../plan/select.ts';

export async function renderCommand(root: string, opts: { cluster?: string | undefined; env?: string }, io: Io): Promise<number> {
  const part = await loadValidPart(root);
  // The env asked for must itself be valid: `--env alice/my-app` names project my-app.
  const project = opts.env?.split('/')[1];
  if (project) requireValid(part, isProjectFile(project));
  warnSkipped(io)(part.skipped);
  const plan = selectCluster(part.fleet, opts.cluster);
  const envs = opts.env ? [selectEnv(plan, opts.env)] : plan.envs;
  const cache: ChartCache = new Map();
  const chunks: string[] = [];
  for (const env of envs) chunks.push(renderEnv(env, cache));
  io.stdout(chunks.join(''));
  return 0;
}
