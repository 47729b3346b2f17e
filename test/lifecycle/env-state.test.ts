/** Why an env is awake or asleep (generators/lifecycle/env-state.ts scaleReason), at a fixed moment. */
import { describe, expect, it } from 'vitest';
import { scaleReason } from '../../generators/lifecycle/env-state.ts';
import type { DeploymentState } from '../../generators/kube/kube-api.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';

const envIn = (mode: 'front-door' | 'ingress-groups') =>
  planFleet(
    [clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'Asia/Tokyo', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' }, schedule: { sleep: '22:00', wake: '09:00' }, ingress: { mode } })],
    [projectModel('projects/web.yaml', { name: 'web', containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] }], routes: [{ host: 'web', port: 'http' }] } as never)],
  ).clusters[0]!.envs[0]!;
const deployment = (replicas: number, scaledBy: string | undefined, replicasOwned = true): DeploymentState => ({ name: 'web', namespace: 'dev-alice', labels: {}, replicas, readyReplicas: replicas, createdAt: '2026-11-20T00:00:00Z', scaledAt: scaledBy ? '2026-12-07T01:00:00Z' : undefined, scaledBy, replicasOwned });

// Monday 2026-12-07: 10:00 and 23:00 in Tokyo.
const mondayMorning = new Date('2026-12-07T01:00:00Z');
const mondayNight = new Date('2026-12-07T14:00:00Z');

describe('scaleReason', () => {
  it('GIVEN KEDA woke an env behind the front door WHEN asked inside its scheduled wake window and outside it THEN it is the schedule, then a request', () => {
    expect(scaleReason(envIn('front-door'), deployment(1, 'keda'), mondayMorning)).toBe('schedule');
    expect(scaleReason(envIn('front-door'), deployment(1, 'keda'), mondayNight)).toBe('request');
  });

  it('GIVEN KEDA put an env to sleep WHEN asked THEN it slept because it was idle', () => {
    expect(scaleReason(envIn('front-door'), deployment(0, 'keda'), mondayNight)).toBe('idle');
  });

  it('GIVEN the CLI, the CronJobs\' kubectl, nobody, or another manager WHEN asked THEN cli, schedule, created, other', () => {
    expect(scaleReason(envIn('front-door'), deployment(1, 'devfleet'), mondayNight)).toBe('cli');
    expect(scaleReason(envIn('ingress-groups'), deployment(0, 'kubectl'), mondayNight)).toBe('schedule');
    expect(scaleReason(envIn('ingress-groups'), deployment(0, 'kubectl-scale'), mondayNight)).toBe('schedule');
    expect(scaleReason(envIn('front-door'), deployment(0, undefined), mondayNight)).toBe('created');
    expect(scaleReason(envIn('front-door'), deployment(1, 'Mozilla'), mondayNight)).toBe('other');
  });

  it('GIVEN a Deployment whose spec.replicas nobody owns (the API server kept no record of the last scale) WHEN asked THEN the reason is unknown, not created', () => {
    expect(scaleReason(envIn('front-door'), deployment(0, undefined, false), mondayNight)).toBe('unknown');
  });

  it('GIVEN a manager named keda on an env with per-env Ingresses (no ScaledObject) WHEN asked THEN it is not taken for KEDA', () => {
    expect(scaleReason(envIn('ingress-groups'), deployment(1, 'keda'), mondayNight)).toBe('other');
  });
});
