import { validateFleet } from '../../definitions/load-fleet.ts';
import { DefinitionError, formatProblem } from '../../util/problem.ts';
import type { Io } from '../io.ts';

export async function validateCommand(root: string, opts: { json?: boolean }, io: Io): Promise<number> {
  const { fleet, problems, warnings = [] } = await validateFleet(root);
  if (opts.json) {
    io.stdout(`${JSON.stringify({ valid: problems.length === 0, problems, warnings }, null, 2)}\n`);
    return problems.length === 0 ? 0 : 1;
  }
  if (!fleet) throw new DefinitionError(problems);
  for (const warning of warnings) io.stderr(`devfleet: warning: ${formatProblem(warning)}`);
  const envs = fleet.clusters.reduce((n, c) => n + c.envs.length, 0);
  io.stdout(`ok: ${fleet.projects.length} project(s), ${fleet.clusters.length} cluster(s), ${envs} env(s)\n`);
  return 0;
}
