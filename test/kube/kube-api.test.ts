/**
 * generators/kube/kube-api.ts against the local stand-in of the Kubernetes API
 * (test/helpers/kube-stand-in.ts): what each call sends, the plain data it returns, and the
 * message each failure becomes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { connect, KubeError, type KubeApi } from '../../generators/kube/kube-api.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { KubeStandIn } from '../helpers/kube-stand-in.ts';

const labels = (project: string) => ({ 'app.kubernetes.io/name': project, 'app.kubernetes.io/instance': project, 'app.kubernetes.io/part-of': 'devfleet' });
const saved = process.env.KUBECONFIG;
let kube: KubeStandIn;

function connectAs(token: string, options: { context?: string } = {}): KubeApi {
  process.env.KUBECONFIG = kube.kubeconfig(tempRoot(), token);
  return connect(options);
}

async function failure(call: Promise<unknown>): Promise<{ message: string; status: number | undefined }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KubeError);
  return { message: (error as KubeError).message, status: (error as KubeError).status };
}

beforeEach(async () => {
  kube = new KubeStandIn();
  await kube.start();
  kube.add({ namespace: 'dev-alice', name: 'my-app', labels: labels('my-app'), replicas: 0, readyReplicas: 0, scaledAt: '2026-11-25T13:00:00Z', rolledOutAt: '2026-11-26T02:00:00Z' });
  kube.add({ namespace: 'dev-alice', name: 'docs', labels: labels('docs'), replicas: 1, readyReplicas: 0, waitingReason: 'ImagePullBackOff' });
});
afterEach(async () => {
  // Every answer the stand-in gave held to the API's schemas (test/helpers/kube-schemas.ts servedSchemaErrors).
  expect(kube.invalid).toEqual([]);
  await kube.stop();
  if (saved === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = saved;
});

describe('connect', () => {
  it('GIVEN a kubeconfig WHEN connected THEN it names the context, server and user it talks to, and has called nothing yet', () => {
    const api = connectAs('developer-token');
    expect([api.context, api.server, api.user]).toEqual(['stand-in', `http://127.0.0.1:${kube.port}`, 'me']);
    expect(kube.exchanges).toEqual([]);
  });

  it('GIVEN no kubeconfig file WHEN connecting THEN it says where it looked and how to get one', () => {
    process.env.KUBECONFIG = '/nonexistent/a:/nonexistent/b';
    expect(() => connect()).toThrow(
      new KubeError('no kubeconfig found (looked at /nonexistent/a, /nonexistent/b); get one for your cluster, e.g. `aws eks update-kubeconfig --name <cluster>`, or set KUBECONFIG', undefined),
    );
  });

  it('GIVEN a kubeconfig with two contexts WHEN one is chosen THEN calls go there, and an unknown one lists them', () => {
    const file = join(tempRoot(), 'kubeconfig');
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'a', cluster: { server: 'http://127.0.0.1:1', 'insecure-skip-tls-verify': true } },
          { name: 'b', cluster: { server: `http://127.0.0.1:${kube.port}`, 'insecure-skip-tls-verify': true } },
        ],
        users: [{ name: 'me', user: { token: 'developer-token' } }],
        contexts: [
          { name: 'prod', context: { cluster: 'a', user: 'me' } },
          { name: 'dev', context: { cluster: 'b', user: 'me' } },
        ],
        'current-context': 'prod',
      }),
    );
    process.env.KUBECONFIG = file;
    expect(connect({ context: 'dev' }).server).toBe(`http://127.0.0.1:${kube.port}`);
    expect(connect().context).toBe('prod');
    expect(() => connect({ context: 'staging' })).toThrow('kubeconfig has no context "staging"; contexts: prod, dev');
  });
});

describe('reads', () => {
  it('GIVEN a Deployment WHEN read THEN it is plain data: name, namespace, uid, labels, replicas, readiness and creation time', async () => {
    expect(await connectAs('developer-token').readDeployment('dev-alice', 'my-app')).toEqual({
      name: 'my-app',
      namespace: 'dev-alice',
      uid: 'deployment-dev-alice-my-app',
      labels: labels('my-app'),
      replicas: 0,
      readyReplicas: 0,
      createdAt: '2026-11-20T01:00:00.000Z',
      // Never scaled: Argo CD's apply still owns spec.replicas, no scale entry.
      scaledAt: undefined,
      scaledBy: undefined,
      replicasOwned: true,
    });
    expect(kube.exchanges.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['GET /apis/apps/v1/namespaces/dev-alice/deployments/my-app 200']);
  });

  it('GIVEN Deployments WHEN listed with a label selector THEN the selector is sent and each comes back', async () => {
    const list = await connectAs('developer-token').listDeployments('dev-alice', 'app.kubernetes.io/name=docs');
    expect(list.map((d) => d.name)).toEqual(['docs']);
    expect(kube.exchanges.map((e) => e.path)).toEqual(['/apis/apps/v1/namespaces/dev-alice/deployments?labelSelector=app.kubernetes.io%2Fname%3Ddocs']);
  });

  it("GIVEN ReplicaSets WHEN listed THEN each carries its owner's uid, replicas, creation and the time the controller last set its replicas", async () => {
    expect(await connectAs('developer-token').listReplicaSets('dev-alice', 'app.kubernetes.io/name=my-app')).toEqual([
      { name: 'my-app-7d9c8b6f5d', ownerUid: 'deployment-dev-alice-my-app', replicas: 0, createdAt: '2026-11-20T01:00:00.000Z', replicasSetAt: '2026-11-25T13:00:00.000Z' },
      { name: 'my-app-5997dd7c95', ownerUid: 'deployment-dev-alice-my-app', replicas: 0, createdAt: '2026-11-26T02:00:00.000Z', replicasSetAt: '2026-11-26T02:00:00.000Z' },
    ]);
    expect(kube.exchanges.map((e) => e.path)).toEqual(['/apis/apps/v1/namespaces/dev-alice/replicasets?labelSelector=app.kubernetes.io%2Fname%3Dmy-app']);
  });

  it('GIVEN a starting Pod that cannot pull its image WHEN Pods are listed THEN its phase and the waiting reason per container come back', async () => {
    expect(await connectAs('developer-token').listPods('dev-alice', 'app.kubernetes.io/name=docs')).toEqual([{ name: 'docs-7d9c8b6f5d-x2x4k', phase: 'Pending', waitingReasons: ['app: ImagePullBackOff'] }]);
  });
});

describe('scaleDeployment', () => {
  it('GIVEN an asleep env WHEN scaled to 1 THEN it merge-patches the scale subresource as field manager devfleet, without a resourceVersion', async () => {
    await connectAs('developer-token').scaleDeployment('dev-alice', 'my-app', 1);
    expect(kube.exchanges).toEqual([
      { method: 'PATCH', path: '/apis/apps/v1/namespaces/dev-alice/deployments/my-app/scale?fieldManager=devfleet', contentType: 'application/merge-patch+json', body: { spec: { replicas: 1 } }, status: 200, user: 'devfleet:developer:alice' },
    ]);
    expect(kube.deployments.get('dev-alice/my-app')!.replicas).toBe(1);
  });
});

describe('failures become messages that say what to do', () => {
  it('GIVEN a token the server does not accept WHEN reading THEN 401 says to log in again', async () => {
    expect(await failure(connectAs('expired-token').readDeployment('dev-alice', 'my-app'))).toEqual({
      message: `the cluster at http://127.0.0.1:${kube.port} did not accept your credentials (context stand-in); log in again (e.g. \`aws sso login\`) and retry`,
      status: 401,
    });
  });

  it('GIVEN an identity without the right WHEN scaling THEN 403 says who may not do what where, and whom to ask', async () => {
    expect(await failure(connectAs('outsider-token').scaleDeployment('dev-alice', 'my-app', 1))).toEqual({
      message: 'you (me, context stand-in) may not scale Deployment my-app in namespace dev-alice: are you on the right cluster? If so, ask ops to add your IAM identity to the cluster definition (developers[].iam)',
      status: 403,
    });
  });

  it('GIVEN a Deployment that does not exist WHEN read THEN 404 names it and the namespace', async () => {
    expect(await failure(connectAs('developer-token').readDeployment('dev-alice', 'nothing'))).toEqual({ message: 'read Deployment nothing: not found in namespace dev-alice (context stand-in)', status: 404 });
  });

  it('GIVEN a conflicting write WHEN scaling THEN 409 says to retry', async () => {
    kube.conflictOnce = true;
    expect(await failure(connectAs('developer-token').scaleDeployment('dev-alice', 'my-app', 1))).toEqual({ message: 'scale Deployment my-app: conflict with another change; retry', status: 409 });
  });

  it('GIVEN any other failure WHEN listing THEN the status and the first line of the answer are shown', async () => {
    kube.failOnce = { code: 500, reason: 'InternalError', message: 'etcdserver: request timed out' };
    const { message, status } = await failure(connectAs('developer-token').listPods('dev-alice', ''));
    expect(status).toBe(500);
    expect(message).toBe('list Pods in dev-alice failed: HTTP 500 etcdserver: request timed out');
  });

  it('GIVEN a server that is not there WHEN reading THEN it names the server and context and says to check the network', async () => {
    const api = connectAs('developer-token');
    await kube.stop();
    const { message, status } = await failure(api.readDeployment('dev-alice', 'my-app'));
    expect(status).toBeUndefined();
    expect(message).toBe(`cannot reach the cluster at http://127.0.0.1:${kube.port} (context stand-in): ECONNREFUSED; check your network/VPN and \`kubectl config current-context\``);
  });
});

describe('the stand-in answers only what the API could', () => {
  it("GIVEN the stand-in holds a Deployment the API's schema refuses (1.5 replicas) WHEN read THEN it answers 500 naming the field, not the object", async () => {
    kube.add({ namespace: 'dev-alice', name: 'broken', labels: labels('broken'), replicas: 1.5, readyReplicas: 0 });
    const { message, status } = await failure(connectAs('developer-token').readDeployment('dev-alice', 'broken'));
    expect(status).toBe(500);
    expect(message).toMatch(/^read Deployment broken in dev-alice failed: HTTP 500 stand-in: the answer breaks the API's schema: apps\/v1 Deployment\/broken: .*\/spec\/replicas/);
    expect(kube.invalid.length).toBeGreaterThan(0);
    kube.invalid.length = 0;
  });
});
