/**
 * generators/lifecycle/force-activation.ts against the Kubernetes stand-in (test/helpers/kube-stand-in.ts,
 * which plays KEDA's operator): `up` holds the env active through KEDA until KEDA records it, and
 * the annotation never outlives the call.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type KubeApi } from '../../generators/kube/kube-api.ts';
import { clearForceActivation, envScaledObject, keepAwakeThroughKeda } from '../../generators/lifecycle/force-activation.ts';
import { FORCE_ACTIVATION_ANNOTATION } from '../../generators/plan/labels.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet, type Env } from '../../generators/plan/plan.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { KubeStandIn } from '../helpers/kube-stand-in.ts';

const env: Env = planFleet(
  [clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/fleet.git' } } as never)],
  [projectModel('projects/my-app.yaml', { name: 'my-app', containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] }], routes: [{ host: 'my-app.com', port: 'http' }] } as never)],
).clusters[0]!.envs[0]!;
const saved = process.env.KUBECONFIG;
let kube: KubeStandIn;
let api: KubeApi;

beforeEach(async () => {
  kube = new KubeStandIn();
  await kube.start();
  kube.add({ namespace: env.namespace, name: env.release, labels: {}, replicas: 0, readyReplicas: 0 });
  kube.addScaledObject({ namespace: env.namespace, name: env.release, annotations: {}, lastActiveTime: '2026-11-24T12:00:00Z' });
  process.env.KUBECONFIG = kube.kubeconfig(tempRoot(), 'developer-token');
  api = connect();
});
afterEach(async () => {
  expect(kube.invalid).toEqual([]);
  await kube.stop();
  if (saved === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = saved;
});

const annotations = () => kube.exchanges.filter((e) => e.method === 'PATCH' && e.path.includes('/scaledobjects/')).map((e) => (e.body as { metadata: { annotations: Record<string, unknown> } }).metadata.annotations);

describe('keepAwakeThroughKeda', () => {
  it('GIVEN KEDA acting on the ScaledObject WHEN the env is held awake THEN KEDA records a newer activity, the env is at 1, and the annotation is set then removed', async () => {
    const before = (await envScaledObject(api, env))!;
    expect(await keepAwakeThroughKeda(api, env, before, { timeoutMs: 30_000, pollMs: 10 })).toBe(true);
    expect(kube.deployments.get(`${env.namespace}/${env.release}`)!.replicas).toBe(1);
    expect(annotations()).toEqual([{ [FORCE_ACTIVATION_ANNOTATION]: 'true' }, { [FORCE_ACTIVATION_ANNOTATION]: null }]);
    expect(kube.scaledObjects.get(`${env.namespace}/${env.release}`)!.annotations).toEqual({});
  });

  it('GIVEN no KEDA operator WHEN the env is held awake THEN it gives up at the timeout, and still removes the annotation', async () => {
    kube.scaledObjects.get(`${env.namespace}/${env.release}`)!.kedaRunning = false;
    const before = (await envScaledObject(api, env))!;
    expect(await keepAwakeThroughKeda(api, env, before, { timeoutMs: 0, pollMs: 1 })).toBe(false);
    expect(annotations()).toEqual([{ [FORCE_ACTIVATION_ANNOTATION]: 'true' }, { [FORCE_ACTIVATION_ANNOTATION]: null }]);
  });
});

describe('envScaledObject and clearForceActivation', () => {
  it('GIVEN no ScaledObject (not synced yet) WHEN read THEN undefined, not an error', async () => {
    kube.scaledObjects.clear();
    expect(await envScaledObject(api, env)).toBeUndefined();
  });

  it('GIVEN a leftover annotation WHEN cleared THEN it is removed once; without one THEN nothing is sent', async () => {
    expect(await clearForceActivation(api, env, (await envScaledObject(api, env))!)).toBe(false);
    expect(annotations()).toEqual([]);
    kube.scaledObjects.get(`${env.namespace}/${env.release}`)!.annotations[FORCE_ACTIVATION_ANNOTATION] = 'true';
    expect(await clearForceActivation(api, env, (await envScaledObject(api, env))!)).toBe(true);
    expect(annotations()).toEqual([{ [FORCE_ACTIVATION_ANNOTATION]: null }]);
  });
});
