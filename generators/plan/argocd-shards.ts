/**
 * Which Argo CD application controller (shard) holds which developer's envs.
 *
 * Argo CD shards its application controllers by destination cluster only (controller/sharding/sharding.go
 * of the pinned ARGOCD_VERSION: a cluster Secret's `shard`, else a hash of the cluster), and
 * every env of a cluster has one destination, so one controller would hold them all whatever the
 * replica count (argoproj/argo-cd#6125, #15466). devfleet therefore registers the cluster's own
 * API server under more than one Argo CD cluster, one per shard, each pinned to its controller:
 * shard 0 is Argo CD's in-cluster destination (`https://kubernetes.default.svc`, where the
 * platform's Applications go too), shard i >= 1 the named cluster `<cluster>-shard-<i>`
 * (its Secret made by Terraform on EKS, by scripts/cluster/argocd.ts in the harness).
 *
 * A developer's envs stay together on one shard, chosen by rendezvous (highest random weight)
 * hashing of the developer's name over the shard indexes: going from N to N + 1 shards moves only
 * the developers whose weight for the new shard beats all others, about 1 / (N + 1) of them, and
 * moves them only onto the new shard. docs/gitops.md "More than one application controller".
 */
import { createHash } from 'node:crypto';
import { ENVS_PER_SHARD } from '../schema/cluster.ts';
import type { ClusterModel } from './model.ts';
import type { ClusterPlan } from './plan.ts';

/** How many application controllers hold the cluster's envs: `argocd.shards`, else one per ENVS_PER_SHARD envs. */
export function shardCount(plan: ClusterPlan): number {
  return plan.cluster.argocd.shards ?? Math.max(1, Math.ceil(plan.envs.length / ENVS_PER_SHARD));
}

/** The Argo CD cluster name of shard `shard` >= 1 (shard 0 is Argo CD's in-cluster destination). */
export function shardClusterName(cluster: ClusterModel, shard: number): string {
  return `${cluster.name}-shard-${shard}`;
}

/** The named Argo CD clusters of a cluster with `shards` shards: shards 1 .. shards - 1 (none when 1). */
export function namedShards(cluster: ClusterModel, shards: number): { readonly shard: number; readonly name: string }[] {
  return Array.from({ length: Math.max(0, shards - 1) }, (_, i) => ({ shard: i + 1, name: shardClusterName(cluster, i + 1) }));
}

/** The developer's weight for one shard: the first 48 bits of sha256("<developer>\n<shard>"). */
function weight(developer: string, shard: number): number {
  return createHash('sha256').update(`${developer}\n${shard}`).digest().readUIntBE(0, 6);
}

/** The shard (0 .. shards - 1) of a developer's envs: the shard of the highest weight, the lowest index on a tie. */
export function shardOf(developer: string, shards: number): number {
  let best = 0;
  let bestWeight = -1;
  for (let shard = 0; shard < shards; shard++) {
    const w = weight(developer, shard);
    if (w > bestWeight) {
      best = shard;
      bestWeight = w;
    }
  }
  return best;
}
