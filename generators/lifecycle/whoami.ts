/**
 * Which developer is running the command: --developer, else the local git user mapped through the
 * cluster definition (by e-mail, then by name).
 */
import { execFileSync } from 'node:child_process';
import type { ClusterModel } from '../plan/model.ts';
import { NotFoundError } from '../util/errors.ts';

export interface GitUser {
  readonly email: string | undefined;
  readonly name: string | undefined;
}

export function gitUser(cwd: string): GitUser {
  const get = (key: string) => {
    try {
      return execFileSync('git', ['config', '--get', key], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  return { email: get('user.email'), name: get('user.name') };
}

export function resolveDeveloper(cluster: ClusterModel, flag: string | undefined, user: GitUser): string {
  const names = cluster.developers.map((d) => d.name);
  if (flag !== undefined) {
    if (!names.includes(flag)) throw new NotFoundError(`"${flag}" is not a developer of cluster ${cluster.name} (${cluster.file}); developers: ${names.join(', ')}`);
    return flag;
  }
  const byEmail = user.email ? cluster.developers.find((d) => d.email?.toLowerCase() === user.email!.toLowerCase()) : undefined;
  if (byEmail) return byEmail.name;
  const byName = user.name ? cluster.developers.find((d) => d.name === user.name!.toLowerCase().replace(/\s+/g, '-')) : undefined;
  if (byName) return byName.name;
  throw new NotFoundError(
    `could not tell which developer you are: git user ${user.email ? `"${user.email}"` : '(no user.email)'} matches no developer of ${cluster.file}; pass --developer NAME, or add your e-mail to your entry there`,
  );
}
