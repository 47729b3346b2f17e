/**
 * The files `devfleet swap` writes on the laptop, and what it tells the developer about them.
 *
 * Telepresence copies the replaced container's whole environment into an env file
 * (`--env-file`), and mirrord into the local process: Secret values included. That file must
 * never land in the repository (a `git add -A` away from being pushed), so it lives in the
 * user's state directory, `$XDG_STATE_HOME/devfleet/swap/` (default `~/.local/state/devfleet/swap/`),
 * a directory only its owner may open (0700), in a file created 0600 before Telepresence writes
 * it, and deleted when the swap ends.
 * Ref https://specifications.freedesktop.org/basedir-spec/latest/ (XDG_STATE_HOME)
 * Ref https://telepresence.io/docs/reference/environment
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, realpathSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ContainerModel } from '../plan/model.ts';
import { UsageError } from '../util/errors.ts';

/** `$XDG_STATE_HOME/devfleet/swap` (an absolute XDG_STATE_HOME only, as the specification says), else `~/.local/state/devfleet/swap`. */
export function swapStateDir(environment: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = environment.XDG_STATE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'state');
  return join(base, 'devfleet', 'swap');
}

/** The nearest existing ancestor, resolved through symlinks: a path not created yet is judged by where it would land. */
function realPath(path: string): string {
  let dir = resolve(path);
  const rest: string[] = [];
  while (!existsSync(dir) && dirname(dir) !== dir) {
    rest.unshift(dir.slice(dirname(dir).length + 1));
    dir = dirname(dir);
  }
  return join(realpathSync(dir), ...rest);
}

/** Refuses a state directory inside the repository (e.g. XDG_STATE_HOME pointed into it). */
export function checkOutsideRepository(dir: string, root: string): void {
  const inside = relative(realPath(root), realPath(dir));
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new UsageError(`${dir} is inside the repository ${root}; swap writes the container's environment, secrets included, there: point XDG_STATE_HOME outside the repository`);
  }
}

/** Creates the state directory (0700) and an empty env file (0600) for Telepresence to fill. */
export function prepareSwapFiles(dir: string, envFile: string | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  if (envFile) {
    closeSync(openSync(envFile, 'w', 0o600));
    chmodSync(envFile, 0o600);
  }
}

export function removeSwapFile(file: string): void {
  rmSync(file, { force: true });
}

/** The Secrets the container's environment reads by reference (`{ secret, key }`), as `NAME (Secret s, key k)`. */
export function secretVariables(container: ContainerModel): string[] {
  return container.env.flatMap(([name, value]) => (typeof value === 'string' ? [] : [`${name} (Secret ${value.secret}, key ${value.key})`]));
}

/** The plain warning `swap` prints before it runs anything. */
export function swapNotice(container: ContainerModel, envFile: string | undefined): string {
  const secrets = secretVariables(container);
  const which = secrets.length > 0 ? ` (${secrets.join(', ')})` : '';
  const where = envFile
    ? `into ${envFile} (readable only by you, outside the repository; deleted when the command ends) and into the local process`
    : 'into the local process';
  return `swap copies the environment of container "${container.name}", secret values included${which}, to this laptop: ${where}. Do not paste it, log it or commit it.`;
}
