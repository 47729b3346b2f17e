import { describe, expect, it } from 'vitest';
import type { DeploymentState, ReplicaSetState } from '../../generators/kube/kube-api.ts';
import { envStatus, lastScaledAt } from '../../generators/lifecycle/env-state.ts';

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
