import openUrl from 'open';
import { envUrls } from '../../plan/plan.ts';
import { resolveEnv, type TargetOptions } from '../../lifecycle/target.ts';
import { NotFoundError } from '../../util/errors.ts';
import type { Io } from '../io.ts';
import { warnSkipped } from '../warn-skipped.ts';

export async function openCommand(root: string, project: string, opts: TargetOptions & { print?: boolean; route?: string }, io: Io): Promise<number> {
  const env = await resolveEnv(root, project, opts, warnSkipped(io));
  const urls = envUrls(env);
  if (urls.length === 0) throw new NotFoundError(`project ${project} has no routes, so its envs have no URL (add \`routes\` to ${env.project.file})`);
  const index = opts.route === undefined ? 0 : env.hosts.findIndex((h) => h.route.host === opts.route);
  if (index < 0) throw new NotFoundError(`project ${project} has no route "${opts.route}"; routes: ${env.hosts.map((h) => h.route.host).join(', ')}`);
  const url = urls[index]!;
  io.stdout(`${url}\n`);
  if (!opts.print && io.interactive) await openUrl(url);
  return 0;
}
