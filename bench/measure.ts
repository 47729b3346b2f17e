/**
 * One benchmark run in a fresh process (so peak memory is this run's alone):
 * writes a synthetic fleet, then times synth (load + validate + plan + generate + atomic write)
 * and render of every env. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadFleet } from '../generators/definitions/load-fleet.ts';
import { renderEnv, type ChartCache } from '../generators/render/render-env.ts';
import { clusterTree, type Tree } from '../generators/synth/cluster-tree.ts';
import { writeTrees } from '../generators/synth/write-tree.ts';
import { writeFleet } from '../test/helpers/make-fleet.ts';

const [projects, developers] = process.argv.slice(2).map(Number) as [number, number];
const root = mkdtempSync(join(tmpdir(), 'devfleet-bench-'));
try {
  const { envs } = writeFleet(root, { projects, developers });

  const t0 = performance.now();
  const fleet = await loadFleet(root);
  const trees = new Map<string, Tree>();
  for (const plan of fleet.clusters) trees.set(join(root, 'clusters', plan.cluster.name), clusterTree(plan));
  writeTrees(trees);
  const synthMs = performance.now() - t0;

  const t1 = performance.now();
  let bytes = 0;
  const cache: ChartCache = new Map();
  for (const plan of fleet.clusters) for (const env of plan.envs) bytes += renderEnv(env, cache).length;
  const renderMs = performance.now() - t1;

  const files = [...trees.values()].reduce((n, t) => n + t.size, 0);
  console.log(JSON.stringify({ envs, files, synthMs, renderMs, renderedMiB: bytes / 2 ** 20, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
