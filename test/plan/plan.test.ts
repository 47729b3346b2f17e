import { describe, expect, it } from 'vitest';
import { albUsage, chooseGroup } from '../../generators/plan/alb-usage.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { checkIngressCapacity } from '../../generators/definitions/check-capacity.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';

const cluster = (extra: Record<string, unknown> = {}) =>
  clusterModel('clusters/dev.yaml', {
    name: 'dev',
    domain: 'dev.example.com',
    timeZone: 'Asia/Tokyo',
    developers: [{ name: 'bob' }, { name: 'alice' }, { name: 'carol' }],
    argocd: { repoURL: 'https://git.example.com/fleet.git' },
    ...extra,
  } as never);

const project = (name: string, extra: Record<string, unknown> = {}) =>
  projectModel(`projects/${name}.yaml`, {
    name,
    containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 81 }] }],
    routes: [
      { host: `${name}.com`, port: 'http' },
      { host: `admin.${name}.com`, port: 'admin', path: '/admin' },
    ],
    ...extra,
  } as never);

describe('planFleet', () => {
  it('GIVEN developers and projects WHEN planned THEN there is one env per pair, sorted by developer then project, honouring developers lists', () => {
    const fleet = planFleet([cluster()], [project('zeta'), project('alpha', { developers: ['carol', 'alice'] })]);
    expect(fleet.clusters[0]!.envs.map((e) => `${e.developer}/${e.project.name}`)).toEqual([
      'alice/alpha', 'alice/zeta', 'bob/zeta', 'carol/alpha', 'carol/zeta',
    ]);
  });

  it('GIVEN an env WHEN planned THEN its names and hosts follow the documented scheme, and behind the front door (the default) it joins no IngressGroup', () => {
    const env = planFleet([cluster({ namespacePrefix: 'team-' })], [project('shop')]).clusters[0]!.envs[0]!;
    expect(env).toMatchObject({ developer: 'alice', namespace: 'team-alice', application: 'shop--alice', release: 'shop', ingressGroup: undefined });
    expect(env.hosts.map((h) => h.host)).toEqual(['shop-com--alice.dev.example.com', 'admin-shop-com--alice.dev.example.com']);
    expect(albUsage(env)).toEqual({ targetGroups: 2, rules: 2 });
  });

  it('GIVEN a cluster with per-env Ingresses (ingress.mode ingress-groups) WHEN planned THEN an env with routes joins an IngressGroup', () => {
    const env = planFleet([cluster({ ingress: { mode: 'ingress-groups', groups: 3 } })], [project('shop')]).clusters[0]!.envs[0]!;
    expect(env.ingressGroup).toBe(`devfleet-dev-${chooseGroup('shop--alice', 3)}`);
  });

  it('GIVEN a project without routes WHEN planned with per-env Ingresses THEN its envs join no IngressGroup', () => {
    const env = planFleet([cluster({ ingress: { mode: 'ingress-groups' } })], [project('worker', { routes: [] })]).clusters[0]!.envs[0]!;
    expect(env.ingressGroup).toBeUndefined();
    expect(env.hosts).toEqual([]);
  });
});

describe('chooseGroup (jump consistent hashing)', () => {
  const apps = Array.from({ length: 2000 }, (_, i) => `app${i}--dev${i % 37}`);

  it('GIVEN n groups WHEN one is added THEN an env either stays or moves to the new group, never elsewhere', () => {
    for (const n of [1, 2, 7, 30]) {
      let moved = 0;
      for (const app of apps) {
        const before = chooseGroup(app, n);
        const after = chooseGroup(app, n + 1);
        if (after !== before) {
          expect(after).toBe(n);
          moved++;
        }
      }
      // About 1/(n+1) of the envs move.
      expect(moved / apps.length).toBeGreaterThan(0.5 / (n + 1));
      expect(moved / apps.length).toBeLessThan(1.5 / (n + 1));
    }
  });

  it('GIVEN 20 groups WHEN 2000 envs are placed THEN every group gets a fair share', () => {
    const counts = new Array<number>(20).fill(0);
    for (const app of apps) counts[chooseGroup(app, 20)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(60);
    expect(Math.max(...counts)).toBeLessThan(140);
  });

  it('GIVEN one group WHEN placing THEN it is group 0', () => {
    expect(apps.every((a) => chooseGroup(a, 1) === 0)).toBe(true);
  });
});

describe('ALB capacity', () => {
  const developers = Array.from({ length: 60 }, (_, i) => ({ name: `dev${i}` }));
  const capacity = (c: Parameters<typeof cluster>[0]) => planFleet([cluster(c)], [project('shop')]).clusters.flatMap(checkIngressCapacity);

  it('GIVEN more target groups than one ALB holds behind the front door (the default) WHEN planned THEN nothing is asked of ingress.groups', () => {
    expect(capacity({ developers })).toEqual([]);
    expect(capacity({ developers, ingress: { mode: 'front-door', groups: 1 } })).toEqual([]);
  });

  it('GIVEN more target groups than one ALB holds with per-env Ingresses WHEN planned THEN the cluster file reports ingress.groups with a count that fits', () => {
    const perEnv = (groups?: number) => ({ developers, ingress: { mode: 'ingress-groups', ...(groups ? { groups } : {}) } });
    const problems = capacity(perEnv());
    expect(problems.length).toBeGreaterThan(0);
    const [problem] = problems;
    expect(problem).toMatchObject({ file: 'clusters/dev.yaml', path: 'ingress.groups' });
    expect(problem!.message).toContain('120 target groups (ALB limit 100, not adjustable)');
    const suggested = Number(/set ingress\.groups to (\d+)/.exec(problem!.message)![1]);
    expect(capacity(perEnv(suggested))).toEqual([]);
    expect(capacity(perEnv(suggested - 1)).length).toBeGreaterThan(0);
  });
});
