/**
 * `synth` as a service: load the fleet, build every selected cluster's tree and Terraform inputs,
 * then either compare them with the disk (`check`) or write them all-or-nothing (./write-tree.ts).
 * The CLI command and the new-project bot both call this; neither prints from here.
 */
import { dirname, join } from 'node:path';
import { validateFleet } from '../definitions/load-fleet.ts';
import { clusterDir, DEFINITION_DIRS, tfvarsFile } from '../plan/layout.ts';
import type { ClusterPlan } from '../plan/plan.ts';
import { selectClusters } from '../plan/select.ts';
import type { Tree } from './cluster-tree.ts';
import { recordTree, synthFingerprint, unchangedTree } from './synth-state.ts';
import { DefinitionError, type Problem } from '../util/problem.ts';
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
  /**
   * Per selected cluster: its plan, the number of files of its tree, and whether the tree was
   * generated (false when nothing changed since the last synth of the same definitions, see
   * ./synth-state.ts).
   */
  readonly clusters: readonly { readonly plan: ClusterPlan; readonly files: number; readonly generated: boolean }[];
  /** With `check`: generated files that differ from the disk (empty when all match). */
  readonly differences: readonly TreeDifference[];
  /** Without `check`: files written (new or changed text) and removed; 0 and 0 when nothing changed. */
  readonly written: number;
  readonly removed: number;
  /** Containers following latest (imagePullPolicy: Always), as validate warns of them: said, not refused. */
  readonly warnings: readonly Problem[];
}

export async function synthFleet(root: string, options: SynthOptions = {}): Promise<SynthResult> {
  // A previous run killed mid-swap is finished (or undone) before anything is compared or written.
  // `check` writes nothing, ever: it leaves that to the next `synth`.
  if (!options.check) recoverInterrupted(join(root, DEFINITION_DIRS.cluster));
  const { fleet, problems, followsLatest: warnings = [] } = await validateFleet(root);
  if (!fleet) throw new DefinitionError(problems);
  const plans = selectClusters(fleet, options.cluster);
  const trees = new Map<string, Tree>();
  const files = new Map<string, string>();
  const counts = new Map<string, number>();
  const fingerprints = new Map<ClusterPlan, string>();
  for (const plan of plans) {
    const name = plan.cluster.name;
    const target = join(root, clusterDir(name));
    const tfvars = join(root, tfvarsFile(name));
    if (!options.check) {
      recoverInterrupted(dirname(tfvars));
      // Nothing changed since the last synth of these definitions by this code: generate nothing.
      const fingerprint = synthFingerprint(plan);
      fingerprints.set(plan, fingerprint);
      const unchanged = unchangedTree(root, name, fingerprint, target, [tfvars]);
      if (unchanged !== undefined) {
        counts.set(name, unchanged);
        continue;
      }
    }
    // The emitters (and cdk8s behind them) load only when a tree is generated: a no-op synth never needs them.
    const [{ clusterTree }, { tfvarsJson }] = await Promise.all([import('./cluster-tree.ts'), import('../terraform/tfvars.ts')]);
    const tree = clusterTree(plan, (done, total) => options.onProgress?.(name, done, total));
    trees.set(target, tree);
    counts.set(name, tree.size);
    files.set(tfvars, tfvarsJson(plan));
  }
  const clusters = plans.map((plan) => ({ plan, files: counts.get(plan.cluster.name)!, generated: trees.has(join(root, clusterDir(plan.cluster.name))) }));
  if (options.check) {
    const differences = [...[...trees].flatMap(([target, tree]) => diffTree(root, target, tree)), ...[...files].flatMap(([file, text]) => diffFile(root, file, text))];
    return { clusters, differences, written: 0, removed: 0, warnings };
  }
  const { written, removed } = writeTrees(trees, {}, files);
  for (const plan of plans) {
    const target = join(root, clusterDir(plan.cluster.name));
    if (trees.has(target)) recordTree(root, plan.cluster.name, fingerprints.get(plan)!, target, [join(root, tfvarsFile(plan.cluster.name))]);
  }
  return { clusters, differences: [], written, removed, warnings };
}
