import { loadFleet } from '../../definitions/load-fleet.ts';
import { renderEnv, type ChartCache } from '../../render/render-env.ts';
import type { Io } from '../io.ts';
import { selectCluster, selectEnv } from '../../plan/select.ts';

export async function renderCommand(root: string, opts: { cluster?: string | undefined; env?: string }, io: Io): Promise<number> {
  const plan = selectCluster(await loadFleet(root), opts.cluster);
  const envs = opts.env ? [selectEnv(plan, opts.env)] : plan.envs;
  const cache: ChartCache = new Map();
  const chunks: string[] = [];
  for (const env of envs) chunks.push(renderEnv(env, cache));
  io.stdout(chunks.join(''));
  return 0;
}
