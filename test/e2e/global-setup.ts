/**
 * One local GitOps cluster (scripts/cluster.ts, `gitops` profile: kwok nodes, Argo CD) for the
 * whole e2e run, in a temporary directory of its own, so `npm run cluster:up`'s .cluster/ is left
 * alone. Started here, before the first file (a cluster that cannot start fails the run, never
 * skips it), stopped at the end; the teardown also checks that no process of it is left.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { clusterDown, clusterUp, runningComponents } from '../../scripts/cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eClusterDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = join(tmpdir(), `devfleet-e2e-${process.pid}-${randomBytes(4).toString('hex')}`);
  project.provide('e2eClusterDir', dir);
  const log = (line: string) => process.stderr.write(`e2e cluster: ${line}\n`);
  try {
    await clusterUp({ dir, profile: 'gitops', log });
  } catch (error) {
    await clusterDown({ dir });
    throw error;
  }
  return async () => {
    await clusterDown({ dir, log });
    const left = runningComponents(dir);
    if (Object.keys(left).length) throw new Error(`processes of the e2e cluster left after down: ${JSON.stringify(left)}`);
  };
}
