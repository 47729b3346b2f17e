import { describe, expect, it } from 'vitest';
import { namedShards, shardClusterName, shardCount, shardOf } from '../../generators/plan/argocd-shards.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { ENVS_PER_SHARD } from '../../generators/schema/cluster.ts';

const definition = {
  name: 'dev',
  domain: 'dev.example.com',
  timeZone: 'Asia/Tokyo',
  developers: [{ name: 'alice' }, { name: 'bob' }],
  argocd: { repoURL: 'https://git.example.com/fleet.git' },
};
const project = (name: string) => projectModel(`projects/${name}.yaml`, { name, containers: [{ name: 'app', image: 'nginx:1.27' }] });
const developers = Array.from({ length: 10_000 }, (_, i) => `dev${i}`);

describe('shard of a developer', () => {
  it('GIVEN the dev cluster\'s developers WHEN placed on 1 to 4 shards THEN the golden shards (sha256 rendezvous: a change of hash or of its input fails here)', () => {
    const table = Object.fromEntries(['alice', 'bob', 'carol', 'dave', 'erin'].map((d) => [d, [1, 2, 3, 4].map((n) => shardOf(d, n))]));
    expect(table).toEqual({ alice: [0, 1, 1, 1], bob: [0, 0, 2, 2], carol: [0, 0, 2, 3], dave: [0, 1, 2, 2], erin: [0, 1, 1, 1] });
  });

  it('GIVEN the same developer WHEN placed again THEN the same shard (a pure function: no order, time or process state)', () => {
    const first = developers.slice(0, 500).map((d) => shardOf(d, 7));
    expect([...developers.slice(0, 500)].reverse().map((d) => shardOf(d, 7)).reverse()).toEqual(first);
  });

  it('GIVEN 10,000 developers WHEN placed on 2, 3, 4 or 8 shards THEN every shard holds its share within 5% and no index is out of range', () => {
    for (const n of [2, 3, 4, 8]) {
      const counts = new Array<number>(n).fill(0);
      for (const d of developers) counts[shardOf(d, n)]!++;
      expect(counts.reduce((a, b) => a + b, 0)).toBe(developers.length);
      for (const c of counts) expect(Math.abs(c - developers.length / n)).toBeLessThan(0.05 * (developers.length / n));
    }
  });

  it('GIVEN N shards WHEN one is added THEN only the developers that now land on the new shard move (about 1/(N+1) of them), nobody moves between old shards', () => {
    let before = developers.map((d) => shardOf(d, 1));
    for (const n of [1, 2, 3, 4]) {
      const after = developers.map((d) => shardOf(d, n + 1));
      const moved = after.filter((shard, i) => shard !== before[i]);
      for (const shard of moved) expect(shard).toBe(n);
      before = after;
      const share = developers.length / (n + 1);
      expect(Math.abs(moved.length - share)).toBeLessThan(0.05 * share);
    }
  });
});

describe('shard count and names', () => {
  it('GIVEN no argocd.shards WHEN the cluster has up to ENVS_PER_SHARD envs, or one more THEN 1, then 2 shards', () => {
    const names = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `d${i}` }));
    const plan = (devs: number, projects: number) =>
      planFleet([clusterModel('clusters/dev.yaml', { ...definition, developers: names(devs) })], Array.from({ length: projects }, (_, i) => project(`p${i}`))).clusters[0]!;
    expect(shardCount(plan(2, 1))).toBe(1);
    expect(ENVS_PER_SHARD).toBe(1000);
    expect(shardCount(plan(100, 10))).toBe(1);
    expect(shardCount(plan(91, 11))).toBe(2);
  });

  it('GIVEN argocd.shards WHEN counted THEN the definition\'s figure, whatever the fleet size; the named shards are 1 .. N-1 (shard 0 is in-cluster)', () => {
    const cluster = clusterModel('clusters/dev.yaml', { ...definition, argocd: { ...definition.argocd, shards: 3 } });
    expect(shardCount(planFleet([cluster], [project('web')]).clusters[0]!)).toBe(3);
    expect(namedShards(cluster, 3)).toEqual([{ shard: 1, name: 'dev-shard-1' }, { shard: 2, name: 'dev-shard-2' }]);
    expect(namedShards(cluster, 1)).toEqual([]);
    expect(shardClusterName(cluster, 2)).toBe('dev-shard-2');
  });
});
