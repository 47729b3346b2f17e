/** generators/diff/ingress-usage.ts: what each IngressGroup (one ALB) of a cluster uses, for `devfleet diff`. */
import { describe, expect, it } from 'vitest';
import { ingressUsage } from '../../generators/diff/ingress-usage.ts';
import { albUsage } from '../../generators/plan/alb-usage.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';

const cluster = (ingress: Record<string, unknown>) =>
  clusterModel('clusters/lab.yaml', { name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', developers: ['ann', 'bo', 'cy', 'di'].map((name) => ({ name })), argocd: { repoURL: 'https://git.example.com/fleet.git' }, ingress } as never);
const project = (name: string, routes: number) =>
  projectModel(`projects/${name}.yaml`, {
    name,
    containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }, { name: 'api', port: 81 }] }],
    routes: [{ host: `${name}.com`, port: 'http' }, ...(routes > 1 ? [{ host: `api.${name}.com`, port: 'api' }] : [])],
  } as never);

describe('ingressUsage', () => {
  it('GIVEN envs with their own Ingresses in two groups WHEN counted THEN each group sums its envs\' target groups and rules', () => {
    const plan = planFleet([cluster({ mode: 'ingress-groups', groups: 2 })], [project('web', 2), project('docs', 1)]).clusters[0]!;
    const usage = ingressUsage(plan);
    expect([...usage.values()].reduce((n, g) => n + g.envs, 0)).toBe(plan.envs.length);
    for (const [group, used] of usage) {
      const envs = plan.envs.filter((e) => e.ingressGroup === group);
      expect(used).toEqual({
        targetGroups: envs.reduce((n, e) => n + albUsage(e).targetGroups, 0),
        rules: envs.reduce((n, e) => n + albUsage(e).rules, 0),
        envs: envs.length,
      });
    }
    expect(usage.size).toBeGreaterThan(0);
  });

  it('GIVEN a cluster behind the front door WHEN counted THEN no env has an IngressGroup of its own, so nothing is counted', () => {
    const plan = planFleet([cluster({ mode: 'front-door' })], [project('web', 2)]).clusters[0]!;
    expect(plan.envs.length).toBe(4);
    expect(ingressUsage(plan).size).toBe(0);
  });
});
