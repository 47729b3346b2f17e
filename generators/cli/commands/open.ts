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
  if (opts.print) return 0;
  if (!io.interactive) {
    io.stderr('devfleet: not on a terminal, so no browser was opened; the URL is above (--print says only that)');
    return 0;
  }
  const failure = await openInBrowser(url);
  if (failure) io.stderr(`devfleet: could not open a browser (${failure}); open the URL above yourself`);
  return 0;
}

/**
 * Opens the URL with the system's opener (xdg-open, open, start); undefined when it started and did
 * not fail within a second, else why. `open` does not wait for the opener, whose failure would go unseen.
 */
export async function openInBrowser(url: string): Promise<string | undefined> {
  let child;
  try {
    child = await openUrl(url);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 1000);
    timer.unref();
    child.once('error', (error) => resolve(`${error.message}; is xdg-open installed?`));
    child.once('exit', (code) => resolve(code ? `${child.spawnfile} exited with code ${code}` : undefined));
  });
}
