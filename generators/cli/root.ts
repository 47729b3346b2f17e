import { DEFINITION_DIRS } from '../plan/layout.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../util/errors.ts';
import { packageRoot } from '../util/package-root.ts';

/** This checkout: the repository is the devfleet package. */
export const REPO_ROOT = packageRoot();

/** The --root folder, checked to look like a devfleet repository. */
export function resolveRoot(option: string | undefined): string {
  // An empty value (--root "$UNSET_VARIABLE") would otherwise mean the current folder, silently.
  if (option !== undefined && option.trim() === '') throw new UsageError('--root "": give a folder, e.g. --root . for the current one');
  const root = option === undefined ? REPO_ROOT : resolve(option);
  if (!existsSync(root)) throw new UsageError(`--root ${option}: no such directory`);
  if (!Object.values(DEFINITION_DIRS).some((folder) => existsSync(resolve(root, folder)))) {
    throw new UsageError(`--root ${option ?? root}: has neither projects/ nor clusters/; point it at a folder shaped like the devfleet repository`);
  }
  return root;
}
