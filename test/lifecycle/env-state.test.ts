import { describe, expect, it } from 'vitest';
import type { DeploymentState, ReplicaSetState } from '../../generators/kube/kube-api.ts';
import { envStatus, lastScaledAt, scaleReason } from '../../generators/lifecycle/env-state.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';

const deployment = (over: Partial<DeploymentState> = {}): DeploymentState => ({
  name: 'my-app',
  namespace: 'dev-alice',
  uid: 'd-1',
  labels: {},
  replicas: 0,
  readyReplicas: 0,
  createdAt: '2026-11-20T01:00:00.000Z',
  scaledAt: undefined,
  scaledBy: undefined,
  replicasOwned: true,
  ...over,
});
const replicaSet = (over: Partial<ReplicaSetState>): ReplicaSetState => ({
  name: 'my-app-7d9c8b6f5d',
  ownerUid: 'd-1',
  replicas: 0,
  createdAt: '2026-11-20T01:00:00.000Z',
  replicasSetAt: '2026-11-20T01:00:00.000Z',
  ...over,
});

describe('envStatus', () => {
  it('GIVEN no Deployment, 0 replicas, 1 not ready, 1 ready WHEN classified THEN missing, asleep, starting, awake', () => {
    expect(envStatus(undefined)).toBe('missing');
    expect(envStatus(deployment())).toBe('asleep');
    expect(envStatus(deployment({ replicas: 1 }))).toBe('starting');
    expect(envStatus(deployment({ replicas: 1, readyReplicas: 1 }))).toBe('awake');
  });
});

describe('lastScaledAt', () => {
  it('GIVEN a Deployment never scaled (its ReplicaSet untouched since creation) WHEN asked THEN it is the creation time', () => {
    expect(lastScaledAt(deployment(), [replicaSet({})])).toBe('2026-11-20T01:00:00.000Z');
  });

  it('GIVEN the controller rescaled the ReplicaSet at 13:00 WHEN asked THEN it is 13:00, whoever scaled the Deployment', () => {
    expect(lastScaledAt(deployment(), [replicaSet({ replicasSetAt: '2026-11-25T13:00:00.000Z' })])).toBe('2026-11-25T13:00:00.000Z');
  });

  it('GIVEN a rollout while asleep (a new ReplicaSet created at 0 after the scale to 0) WHEN asked THEN the new ReplicaSet is skipped and the scale to 0 counts', () => {
    const sets = [
      replicaSet({ replicasSetAt: '2026-11-25T13:00:00.000Z' }),
      replicaSet({ name: 'my-app-5997dd7c95', createdAt: '2026-11-26T02:00:00.000Z', replicasSetAt: '2026-11-26T02:00:00.000Z' }),
    ];
    expect(lastScaledAt(deployment(), sets)).toBe('2026-11-25T13:00:00.000Z');
  });

  it('GIVEN ReplicaSets of another Deployment, or without an owner or a time WHEN asked THEN they are ignored', () => {
    const sets = [
      replicaSet({ ownerUid: 'd-2', replicasSetAt: '2026-11-27T00:00:00.000Z' }),
      replicaSet({ ownerUid: undefined, replicasSetAt: '2026-11-27T00:00:00.000Z' }),
      replicaSet({ replicasSetAt: undefined }),
      replicaSet({ replicasSetAt: '2026-11-24T10:00:00.000Z' }),
    ];
    expect(lastScaledAt(deployment(), sets)).toBe('2026-11-24T10:00:00.000Z');
  });

  it('GIVEN several rescaled ReplicaSets WHEN asked THEN the latest change wins', () => {
    const sets = [replicaSet({ replicasSetAt: '2026-11-25T13:00:00.000Z' }), replicaSet({ name: 'b', createdAt: '2026-11-21T00:00:00.000Z', replicasSetAt: '2026-11-22T00:00:00.000Z' })];
    expect(lastScaledAt(deployment(), sets)).toBe('2026-11-25T13:00:00.000Z');
  });
});

const envIn = (mode: 'front-door' | 'ingress-groups') =>
  planFleet(
    [clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'Asia/Tokyo', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' }, schedule: { sleep: '22:00', wake: '09:00' }, ingress: { mode } })],
    [projectModel('projects/web.yaml', { name: 'web', containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] }], routes: [{ host: 'web', port: 'http' }] } as never)],
  ).clusters[0]!.envs[0]!;
const scaled = (replicas: number, scaledBy: string | undefined, replicasOwned = true): DeploymentState => ({ name: 'web', namespace: 'dev-alice', uid: 'd-web', labels: {}, replicas, readyReplicas: replicas, createdAt: '2026-11-20T00:00:00Z', scaledAt: scaledBy ? '2026-12-07T01:00:00Z' : undefined, scaledBy, replicasOwned });

// Monday 2026-12-07: 10:00 and 23:00 in Tokyo.
const mondayMorning = new Date('2026-12-07T01:00:00Z');
const mondayNight = new Date('2026-12-07T14:00:00Z');

describe('scaleReason', () => {
  it('GIVEN KEDA woke an env behind the front door WHEN asked inside its scheduled wake window and outside it THEN it is the schedule, then a request', () => {
    expect(scaleReason(envIn('front-door'), scaled(1, 'keda'), mondayMorning)).toBe('schedule');
    expect(scaleReason(envIn('front-door'), scaled(1, 'keda'), mondayNight)).toBe('request');
  });

  it('GIVEN KEDA put an env to sleep WHEN asked THEN it slept because it was idle', () => {
    expect(scaleReason(envIn('front-door'), scaled(0, 'keda'), mondayNight)).toBe('idle');
  });

  it('GIVEN the CLI, the CronJobs\' kubectl, nobody, or another manager WHEN asked THEN cli, schedule, created, other', () => {
    expect(scaleReason(envIn('front-door'), scaled(1, 'devfleet'), mondayNight)).toBe('cli');
    expect(scaleReason(envIn('ingress-groups'), scaled(0, 'kubectl'), mondayNight)).toBe('schedule');
    expect(scaleReason(envIn('ingress-groups'), scaled(0, 'kubectl-scale'), mondayNight)).toBe('schedule');
    expect(scaleReason(envIn('front-door'), scaled(0, undefined), mondayNight)).toBe('created');
    expect(scaleReason(envIn('front-door'), scaled(1, 'Mozilla'), mondayNight)).toBe('other');
  });

  it('GIVEN a Deployment whose spec.replicas nobody owns (the API server kept no record of the last scale) WHEN asked THEN the reason is unknown, not created', () => {
    expect(scaleReason(envIn('front-door'), scaled(0, undefined, false), mondayNight)).toBe('unknown');
  });

  it('GIVEN a manager named keda on an env with per-env Ingresses (no ScaledObject) WHEN asked THEN it is not taken for KEDA', () => {
    expect(scaleReason(envIn('ingress-groups'), scaled(1, 'keda'), mondayNight)).toBe('other');
  });
});

describe('scaleReason of an asleep env whose scale to 0 the API server kept no record of', () => {
  const unowned = scaled(0, undefined, false);
  const so = (lastActiveTime: string | undefined) => ({ name: 'web', annotations: {}, lastActiveTime });

  it('GIVEN it went to sleep 2 minutes after its 22:00 sleep job ran WHEN asked THEN the schedule', () => {
    expect(scaleReason(envIn('ingress-groups'), unowned, mondayNight, { since: '2026-12-07T13:02:00.000Z' })).toBe('schedule');
  });

  it('GIVEN it went to sleep 11 minutes after the sleep job ran WHEN asked THEN not the schedule: unknown without a ScaledObject', () => {
    expect(scaleReason(envIn('ingress-groups'), unowned, mondayNight, { since: '2026-12-07T13:11:00.000Z' })).toBe('unknown');
  });

  it('GIVEN behind the front door it went to sleep 60 minutes (its idle time) after the last request WHEN asked THEN idle', () => {
    expect(scaleReason(envIn('front-door'), unowned, mondayNight, { since: '2026-12-07T05:00:30.000Z', scaledObject: so('2026-12-07T04:00:00.000Z') })).toBe('idle');
  });

  it('GIVEN behind the front door it went to sleep 10 minutes after the last request WHEN asked THEN unknown (someone scaled it down by hand or with devfleet down)', () => {
    expect(scaleReason(envIn('front-door'), unowned, mondayNight, { since: '2026-12-07T04:10:00.000Z', scaledObject: so('2026-12-07T04:00:00.000Z') })).toBe('unknown');
    expect(scaleReason(envIn('front-door'), unowned, mondayNight, { since: '2026-12-07T04:10:00.000Z', scaledObject: so(undefined) })).toBe('unknown');
  });

  it('GIVEN no time of the scale WHEN asked THEN unknown', () => {
    expect(scaleReason(envIn('front-door'), unowned, mondayNight)).toBe('unknown');
  });
});
