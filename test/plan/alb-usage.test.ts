/**
 * How many load balancers a cluster runs (generators/plan/alb-usage.ts loadBalancers): one behind
 * the front door whatever the fleet's size, one per used IngressGroup (plus the platform's) with
 * per-env Ingresses. Fleets are written by test/helpers/make-fleet.ts and loaded like any
 * repository (validation included).
 */
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { loadBalancers } from '../../generators/plan/alb-usage.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { writeFleet } from '../helpers/make-fleet.ts';

async function plannedFleet(projects: number, developers: number, ingress: 'front-door' | 'ingress-groups') {
  const root = tempRoot();
  const { envs } = writeFleet(root, { projects, developers }, { ingress });
  const [plan] = (await loadFleet(root)).clusters;
  expect(plan!.envs).toHaveLength(envs);
  return plan!;
}

describe('loadBalancers', () => {
  it.each([
    [10, 1, 10],
    [1_000, 10, 100],
    [10_000, 10, 1_000],
  ])('GIVEN a fleet of %i envs behind the front door (no ingress settings at all) WHEN loaded and counted THEN exactly one ALB carries all env traffic and it is the cluster\'s only one', async (_envs, projects, developers) => {
    const plan = await plannedFleet(projects, developers, 'front-door');
    expect(loadBalancers(plan)).toEqual({ envTraffic: 1, total: 1 });
    expect(plan.envs.filter((e) => e.ingressGroup !== undefined)).toEqual([]);
  });

  it('GIVEN 1,000 envs with two routes each and per-env Ingresses WHEN counted THEN one ALB per IngressGroup in use plus the platform\'s (Headlamp)', async () => {
    const plan = await plannedFleet(10, 100, 'ingress-groups');
    const groups = new Set(plan.envs.map((e) => e.ingressGroup));
    // make-fleet sizes ingress.groups at about 60 target groups per ALB: 2,000 routes, 34 groups.
    expect(plan.cluster.ingress.groups).toBe(34);
    expect(groups.size).toBe(34);
    expect(loadBalancers(plan)).toEqual({ envTraffic: 34, total: 35 });
  });
});
