/**
 * One local GitOps cluster (scripts/cluster.ts, `gitops` profile: kwok nodes, Argo CD) for the
 * whole e2e run, in a temporary directory of its own, so `npm run cluster:up`'s .cluster/ is left
 * alone. Started here, before the first file (a cluster that cannot start fails the run, never
 * skips it), stopped at the end; the teardown also checks that no process of it is left.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { clusterDown, clusterUp, processesUsing, runningComponents } from '../../scripts/cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eClusterDir: string;
  }
}

/** Clusters of earlier runs whose vitest died before its teardown (the pid in the name is gone). */
async function stopOrphans(log: (line: string) => void): Promise<void> {
  for (const entry of readdirSync(tmpdir())) {
    const pid = /^devfleet-e2e-(\d+)-[0-9a-f]+$/.exec(entry)?.[1];
    if (!pid) continue;
    try {
      process.kill(Number(pid), 0);
      continue; // that run is still going
    } catch {
      log(`stopping the cluster of an interrupted run in ${join(tmpdir(), entry)}`);
      await clusterDown({ dir: join(tmpdir(), entry), log });
    }
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = join(tmpdir(), `devfleet-e2e-${process.pid}-${randomBytes(4).toString('hex')}`);
  project.provide('e2eClusterDir', dir);
  const log = (line: string) => process.stderr.write(`e2e cluster: ${line}\n`);
  await stopOrphans(log);
  try {
    await clusterUp({ dir, profile: 'gitops', log });
  } catch (error) {
    await clusterDown({ dir });
    throw error;
  }
  return async () => {
    await clusterDown({ dir, log });
    const left = [...Object.entries(runningComponents(dir)).map(([c, pid]) => `${pid} ${c}`), ...processesUsing(dir).map((p) => `${p.pid} ${p.command}`)];
    if (left.length) throw new Error(`processes of the e2e cluster left after down:\n${left.join('\n')}`);
  };
}
