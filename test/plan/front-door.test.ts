/** Which envs the front door serves and who wakes them (generators/plan/front-door.ts). */
import { describe, expect, it } from 'vitest';
import { behindFrontDoor, wakeJobRecurrence } from '../../generators/plan/front-door.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';

const envOf = (mode: 'front-door' | 'ingress-groups', routes: boolean) =>
  planFleet(
    [clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' }, schedule: { wake: '08:00' }, ingress: { mode } })],
    [projectModel('projects/web.yaml', { name: 'web', containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] }], ...(routes ? { routes: [{ host: 'web', port: 'http' }] } : {}) } as never)],
  ).clusters[0]!.envs[0]!;

describe('behindFrontDoor and wakeJobRecurrence', () => {
  it('GIVEN an env with routes in a front-door cluster WHEN asked THEN the front door serves it and no wake job wakes it (KEDA does)', () => {
    expect(behindFrontDoor(envOf('front-door', true))).toBe(true);
    expect(wakeJobRecurrence(envOf('front-door', true))).toBeUndefined();
  });

  it('GIVEN a worker (no routes) in a front-door cluster, or an env with its own Ingress WHEN asked THEN the wake job wakes it at its wake time', () => {
    for (const env of [envOf('front-door', false), envOf('ingress-groups', true)]) {
      expect(behindFrontDoor(env)).toBe(false);
      expect(wakeJobRecurrence(env)).toEqual({ time: '08:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    }
  });
});
