/** generators/cost/load-balancers.ts: which ALBs a cluster makes AWS create, as the cost model splits them. */
import { describe, expect, it } from 'vitest';
import { loadBalancers } from '../../generators/cost/load-balancers.ts';
import { loadBalancers as albCount } from '../../generators/plan/alb-usage.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';

const plan = (ingress: Record<string, unknown>) =>
  planFleet(
    [clusterModel('clusters/lab.yaml', { name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', developers: ['ann', 'bo', 'cy', 'di', 'ed'].map((name) => ({ name })), argocd: { repoURL: 'https://git.example.com/fleet.git' }, ingress } as never)],
    ['web', 'api', 'docs'].map((name) => projectModel(`projects/${name}.yaml`, { name, containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] }], routes: [{ host: `${name}.com`, port: 'http' }] } as never)),
  ).clusters[0]!;

describe('loadBalancers', () => {
  it('GIVEN a cluster behind the front door WHEN counted THEN one platform ALB and no env group', () => {
    expect(loadBalancers(plan({ mode: 'front-door' }))).toEqual({ envGroups: [], platform: 1, total: 1 });
  });

  it("GIVEN per-env Ingresses in three groups WHEN counted THEN each group the envs use is one ALB, sorted, beside the platform's, and the total is alb-usage's", () => {
    const lab = plan({ mode: 'ingress-groups', groups: 3 });
    const count = loadBalancers(lab);
    expect(count.envGroups).toEqual([...new Set(lab.envs.map((e) => e.ingressGroup!))].sort());
    expect(count.envGroups.length).toBeGreaterThan(1);
    expect(count.platform).toBe(1);
    expect(count.total).toBe(albCount(lab).total);
    expect(count.total).toBe(count.envGroups.length + 1);
  });
});
