/** Assertions shared by the cost tests. */
import { expect } from 'vitest';
import { sum, type Cents, type FleetCost } from '../../generators/cost/fleet-cost.ts';

/** Cents of every level add up: parts to totals, envs to developers, projects and clusters, clusters to the fleet. */
export function expectReconciled(cost: FleetCost): void {
  const whole = (c: Cents) => expect(c.total).toBe(c.compute + c.storage + c.loadBalancers + c.platform);
  for (const cluster of cost.clusters) {
    for (const env of cluster.envs) whole(env.cents);
    for (const group of [...cluster.developers, ...cluster.projects]) whole(group.cents);
    expect(cluster.total).toEqual(sum([...cluster.envs.map((e) => e.cents), cluster.unallocated]));
    for (const d of cluster.developers) expect(d.cents).toEqual(sum(cluster.envs.filter((e) => e.developer === d.name).map((e) => e.cents)));
    for (const p of cluster.projects) expect(p.cents).toEqual(sum(cluster.envs.filter((e) => e.project === p.name).map((e) => e.cents)));
    expect(sum(cluster.developers.map((d) => d.cents))).toEqual(sum(cluster.envs.map((e) => e.cents)));
    expect(sum(cluster.projects.map((p) => p.cents))).toEqual(sum(cluster.envs.map((e) => e.cents)));
    for (const value of Object.values(cluster.total)) expect(Number.isInteger(value)).toBe(true);
  }
  expect(cost.total).toEqual(sum(cost.clusters.map((c) => c.total)));
}
