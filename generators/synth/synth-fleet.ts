/**
 * `synth` as a service: load the fleet, build every selected cluster's tree and Terraform inputs,
 * then either compare them with the disk (`check`) or write them all-or-nothing (./write-tree.ts).
 * The CLI command and the new-project bot both call this; neither prints from here.
 */
import { dirname, join } from 'node:path';
import { loadFleet } from '../definitions/load-fleet.ts';
import { clusterDir, DEFINITION_DIRS, tfvarsFile } from '../plan/layout.ts';
import type { ClusterPlan } from '../plan/plan.ts';
import { selectClusters } from '../plan/select.ts';
import { tfvarsJson } from '../terraform/tfvars.ts';
import { clusterTree, type Tree } from './cluster-tree.ts';
import { diffFile, diffTree, recoverInterrupted, writeTrees, type TreeDifference } from './write-tree.ts';

export interface SynthOptions {
  /** Only this cluster (default: every cluster). */
  readonly cluster?: string | undefined;
  /** Compare with the disk instead of writing. */
  readonly check?: boolean | undefined;
  /** Progress of one cluster's tree (charts and envs built so far). */
  readonly onProgress?: (cluster: string, done: number, total: number) => void;
}

export interface SynthResult {
  /** Per selected cluster: its plan and the number of files of its tree. */
  readonly clusters: readonly { readonly plan: ClusterPlan; readonly files: number }[];
  /** With `check`: generated files that differ from the disk (empty when all match). */
  readonly differences: readonly TreeDifference[];
}

export async function synthFleet(root: string, options: SynthOptions = {}): Promise<SynthResult> {
  // A previous run killed mid-swap is finished (or undone) before anything is compared or written.
  // `check` writes nothing, ever: it leaves that to the next `synth`.
  if (!options.check) recoverInterrupted(join(root, DEFINITION_DIRS.cluster));
  const fleet = await loadFleet(root);
  const plans = selectClusters(fleet, options.cluster);
  const trees = new Map<string, Tree>();
  const files = new Map<string, string>();
  for (const plan of plans) {
    const name = plan.cluster.name;
    trees.set(join(root, clusterDir(name)), clusterTree(plan, (done, total) => options.onProgress?.(name, done, total)));
    const tfvars = join(root, tfvarsFile(name));
    if (!options.check) recoverInterrupted(dirname(tfvars));
    files.set(tfvars, tfvarsJson(plan));
  }
  const clusters = plans.map((plan) => ({ plan, files: trees.get(join(root, clusterDir(plan.cluster.name)))!.size }));
  if (options.check) {
    const differences = [...[...trees].flatMap(([target, tree]) => diffTree(root, target, tree)), ...[...files].flatMap(([file, text]) => diffFile(root, file, text))];
    return { clusters, differences };
  }
  writeTrees(trees, {}, files);
  return { clusters, differences: [] };
}
