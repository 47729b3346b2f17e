/**
 * A real git remote for the bot tests: a bare repository (`git init --bare`) in a temp folder,
 * seeded with the repository's example definitions and generated tree on `main`, and shallow
 * clones of it as actions/checkout makes them.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { copyOfExamples, tempRoot } from './fixtures.ts';

export const AUTHOR = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com'];

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export interface Remote {
  /** Path of the bare repository (git accepts it as a remote URL). */
  readonly url: string;
  /** A fresh shallow clone of `main`, like actions/checkout with persist-credentials: false. */
  readonly checkout: () => string;
  /** The commit a branch points at, or undefined. */
  readonly head: (branch: string) => string | undefined;
  /** The files of a branch, checked out into a new folder. */
  readonly worktree: (branch: string) => string;
}

export function makeRemote(seed: string = copyOfExamples({ withGenerated: true })): Remote {
  const url = join(tempRoot(), 'remote.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', url]);
  git(seed, 'init', '--quiet', '--initial-branch=main');
  git(seed, 'add', '-A');
  git(seed, ...AUTHOR, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', url, 'main');
  const head = (branch: string) => git(seed, 'ls-remote', '--heads', url, `refs/heads/${branch}`).split(/\s+/)[0] || undefined;
  const clone = (branch: string, depth: string[]) => {
    const dir = join(tempRoot(), 'checkout');
    execFileSync('git', ['clone', '--quiet', ...depth, '--branch', branch, `file://${url}`, dir]);
    return dir;
  };
  return { url, checkout: () => clone('main', ['--depth=1']), head, worktree: (branch) => clone(branch, []) };
}
