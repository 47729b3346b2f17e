/**
 * Which developer is running the command: --developer, else $DEVFLEET_DEVELOPER (set once, e.g. in
 * a shell profile, when the git e-mail is not the one in the cluster definition), else `developer`
 * of the per-user config file (./user-config.ts), else the local git user mapped through the
 * cluster definition (by e-mail, then by name).
 */
import { execFileSync } from 'node:child_process';
import type { ClusterModel } from '../plan/model.ts';
import { NotFoundError } from '../util/errors.ts';
import { userConfigPath } from './user-config.ts';

export interface GitUser {
  readonly email: string | undefined;
  readonly name: string | undefined;
  /** True when git itself could not be run (not installed, or not on PATH): then there is no git user to match. */
  readonly noGit?: boolean;
}

export function gitUser(cwd: string): GitUser {
  let noGit = false;
  const get = (key: string) => {
    try {
      return execFileSync('git', ['config', '--get', key], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
    } catch (error) {
      // Exit 1 is "not set"; ENOENT is no git at all.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') noGit = true;
      return undefined;
    }
  };
  const user = { email: get('user.email'), name: get('user.name') };
  return noGit ? { ...user, noGit } : user;
}

/** The environment variable that names the user's developer when --developer is absent. */
export const DEVELOPER_VARIABLE = 'DEVFLEET_DEVELOPER';

/**
 * `fromConfig`: the per-user config file's developer and the file (./user-config.ts), after the
 * variable and before git.
 */
export function resolveDeveloper(cluster: ClusterModel, flag: string | undefined, user: GitUser, fromEnvironment?: string, fromConfig?: { developer: string; file: string }): string {
  const names = cluster.developers.map((d) => d.name);
  if (flag !== undefined) {
    if (!names.includes(flag)) throw new NotFoundError(`"${flag}" is not a developer of cluster ${cluster.name} (${cluster.file}); developers: ${names.join(', ')}`);
    return flag;
  }
  if (fromEnvironment) {
    if (!names.includes(fromEnvironment)) throw new NotFoundError(`${DEVELOPER_VARIABLE}="${fromEnvironment}" is not a developer of cluster ${cluster.name} (${cluster.file}); developers: ${names.join(', ')}; fix the variable or pass --developer NAME`);
    return fromEnvironment;
  }
  if (fromConfig) {
    if (!names.includes(fromConfig.developer)) throw new NotFoundError(`${fromConfig.file}: developer: "${fromConfig.developer}" is not a developer of cluster ${cluster.name} (${cluster.file}); developers: ${names.join(', ')}; fix the file or pass --developer NAME`);
    return fromConfig.developer;
  }
  const byEmail = user.email ? cluster.developers.find((d) => d.email?.toLowerCase() === user.email!.toLowerCase()) : undefined;
  if (byEmail) return byEmail.name;
  const byName = user.name ? cluster.developers.find((d) => d.name === user.name!.toLowerCase().replace(/\s+/g, '-')) : undefined;
  if (byName) return byName.name;
  const who = user.noGit ? 'git could not be run (is it installed and on PATH?), so there is no git user to match' : `git user ${user.email ? `"${user.email}"` : '(no user.email)'} matches no developer of ${cluster.file}`;
  throw new NotFoundError(
    `could not tell which developer you are: ${who}; pass --developer NAME, set ${DEVELOPER_VARIABLE}=NAME or "developer: NAME" in ${userConfigPath()} once, or add your e-mail to your entry there`,
  );
}
