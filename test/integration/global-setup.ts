/**
 * One local control plane per test run (scripts/cluster.ts), in a temporary directory of its own so
 * parallel runs in the same checkout never share one and `npm run cluster:up`'s .cluster/ is left
 * alone. Starting it is lazy: the first integration test file to need it starts it
 * (test/integration/kube.ts `localCluster()`), so runs without integration tests cost nothing.
 * Teardown stops whatever was started and removes the directory.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { clusterDown } from '../../scripts/cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeClusterDir: string;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  // Only a name: the directory is made by the first start, so runs without integration tests leave nothing.
  const dir = join(tmpdir(), `devfleet-kube-${process.pid}-${randomBytes(4).toString('hex')}`);
  project.provide('kubeClusterDir', dir);
  return () => clusterDown({ dir });
}
