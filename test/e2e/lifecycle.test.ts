/**
 * Developers and Argo CD on the same envs, with the bundled examples synced by Argo CD onto kwok's
 * nodes: `devfleet up --wait` as alice brings the Pod to Ready and Argo CD leaves the replica count
 * alone (no selfHeal fight, checked after 30 s and two forced reconciliations); `down` puts it back to 0,
 * still Synced; a hand edit of a field the chart sets (or a deleted object) is reverted by selfHeal,
 * except the replica count. (Fields the chart does not set, e.g. an extra annotation, are not
 * Argo CD's to revert: it compares only what the manifests say.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples } from '../helpers/fixtures.ts';
import { eventually } from '../integration/kube.ts';
import { application, argocdNamespace, e2eCluster, kubectlOk, sleep, sync } from './harness.ts';

let cluster: LocalCluster;
let root: string;
let commit: string;
const saved = process.env.KUBECONFIG;

const replicas = async (name: string, namespace = 'dev-alice') => Number(await kubectlOk(cluster, 'admin', ['get', 'deployment', name, '-n', namespace, '-o', 'jsonpath={.spec.replicas}']));
const appState = async (name: string) => {
  const app = await application(cluster, name);
  return { sync: app.status?.sync?.status, health: app.status?.health?.status, revision: app.status?.sync?.revision };
};
const savedKedaTimeout = process.env.DEVFLEET_KEDA_TIMEOUT;
const asAlice = async <T>(f: () => Promise<T>): Promise<T> => {
  process.env.KUBECONFIG = cluster.kubeconfigs.alice;
  // No KEDA operator runs in the GitOps harness (test/integration/front-door.test.ts has one): up
  // need not wait its default 90 s for a confirmation that cannot come.
  process.env.DEVFLEET_KEDA_TIMEOUT = '1s';
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    if (savedKedaTimeout === undefined) delete process.env.DEVFLEET_KEDA_TIMEOUT;
    else process.env.DEVFLEET_KEDA_TIMEOUT = savedKedaTimeout;
  }
};

beforeAll(async () => {
  cluster = e2eCluster();
  root = copyOfExamples();
  const run = await sync(root, 'dev');
  expect(run.code, run.stderr).toBe(0);
  commit = run.result.commit;
});

describe('devfleet up/down against Argo CD', () => {
  it('GIVEN my-app of alice asleep WHEN she runs `devfleet up my-app --wait` THEN its Pod is Ready on a node and status says awake', async () => {
    expect(await replicas('my-app')).toBe(0);
    const up = await asAlice(() => runCli('up', 'my-app', '--root', root, '--developer', 'alice', '--wait', '--timeout', '3m'));
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('https://my-app-com--alice.dev.example.com');
    const pod = JSON.parse(await kubectlOk(cluster, 'admin', ['get', 'pods', '-n', 'dev-alice', '-l', 'app.kubernetes.io/instance=my-app', '-o', 'json'])) as {
      items: { spec: { nodeName?: string }; status: { phase: string; conditions?: { type: string; status: string }[] } }[];
    };
    expect(pod.items).toHaveLength(1);
    expect(pod.items[0]!.status.phase).toBe('Running');
    expect(pod.items[0]!.status.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
    expect(cluster.nodes).toContain(pod.items[0]!.spec.nodeName);
    const status = await asAlice(() => runCli('status', '--root', root, '--developer', 'alice', '--json'));
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { project: string; status: string }[]).find((r) => r.project === 'my-app')?.status).toBe('awake');
  });

  it('GIVEN the woken env WHEN 30 s pass and Argo CD reconciles it twice THEN its Application is still Synced and Healthy and the Deployment still at 1', async () => {
    // The scale-up reached Argo CD through its watch at once. Its periodic reconciliation
    // (timeout.reconciliation, 180 s with the fleet settings) is asked for twice instead of waited
    // for: the refresh annotation runs the same comparison (what Argo CD's UI "Refresh" does).
    await sleep(30_000);
    for (let i = 0; i < 2; i++) {
      const before = (await application(cluster, 'my-app--alice')).status?.reconciledAt;
      await kubectlOk(cluster, 'admin', ['annotate', '--overwrite', '-n', argocdNamespace(), 'applications.argoproj.io', 'my-app--alice', 'argocd.argoproj.io/refresh=normal']);
      await eventually('my-app--alice reconciled again', async () => ((await application(cluster, 'my-app--alice')).status?.reconciledAt !== before ? true : undefined), 60_000);
      await sleep(5_000);
    }
    expect(await appState('my-app--alice')).toEqual({ sync: 'Synced', health: 'Healthy', revision: commit });
    expect(await replicas('my-app')).toBe(1);
    // Argo CD did not sync it again either: its last operation is still the first sync.
    const app = await application(cluster, 'my-app--alice');
    expect(app.status?.history?.map((h) => h.revision)).toEqual([commit]);
  });

  it('GIVEN the woken env WHEN alice runs `devfleet down my-app` THEN it is at 0 and its Application still Synced', async () => {
    const down = await asAlice(() => runCli('down', 'my-app', '--root', root, '--developer', 'alice'));
    expect(down.code, down.stderr).toBe(0);
    expect(await replicas('my-app')).toBe(0);
    await eventually('my-app Pod gone', async () => ((await kubectlOk(cluster, 'admin', ['get', 'pods', '-n', 'dev-alice', '-l', 'app.kubernetes.io/instance=my-app', '-o', 'name'])).trim() === '' ? true : undefined), 60_000);
    await sleep(25_000);
    expect(await appState('my-app--alice')).toEqual({ sync: 'Synced', health: 'Healthy', revision: commit });
    expect(await replicas('my-app')).toBe(0);
  });
});

describe('selfHeal', () => {
  it('GIVEN a synced Service and Deployment WHEN an admin edits fields the chart sets THEN Argo CD reverts the edits, except the replica count', async () => {
    const image = () => kubectlOk(cluster, 'admin', ['get', 'deployment', 'shop', '-n', 'dev-alice', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    const label = () => kubectlOk(cluster, 'admin', ['get', 'service', 'shop', '-n', 'dev-alice', '-o', 'jsonpath={.metadata.labels.app\\.kubernetes\\.io/part-of}']);
    const chartImage = await image();
    expect(await label()).toBe('devfleet');
    await kubectlOk(cluster, 'admin', ['label', 'service', 'shop', '-n', 'dev-alice', '--overwrite', 'app.kubernetes.io/part-of=hand-edited']);
    // The server's answer to the patch shows the edit took (selfHeal may revert it within a second).
    const patched = await kubectlOk(cluster, 'admin', ['patch', 'deployment', 'shop', '-n', 'dev-alice', '--type=json', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}', '-p', JSON.stringify([
      { op: 'replace', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'hand-edited:1' },
    ])]);
    expect(patched).toBe('1 hand-edited:1');
    await eventually('the Service label reverted', async () => ((await label()) === 'devfleet' ? true : undefined), 120_000);
    await eventually('the container image reverted', async () => ((await image()) === chartImage ? true : undefined), 120_000);
    // The reverted Pod template rolls out again; then the env is Synced and Healthy, still at 1.
    let last: unknown;
    await eventually('shop--alice Synced and Healthy again', async () => {
      const app = await application(cluster, 'shop--alice');
      last = app.status;
      return app.status?.sync?.status === 'Synced' && app.status.health?.status === 'Healthy' ? true : undefined;
    }, 180_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; its status: ${JSON.stringify(last)}`);
    });
    expect(await appState('shop--alice')).toEqual({ sync: 'Synced', health: 'Healthy', revision: commit });
    expect(await replicas('shop')).toBe(1);
    await kubectlOk(cluster, 'admin', ['scale', 'deployment', 'shop', '-n', 'dev-alice', '--replicas=0']);
  });

  it('GIVEN a synced object WHEN an admin deletes it THEN Argo CD creates it again', async () => {
    await kubectlOk(cluster, 'admin', ['delete', 'service', 'docs', '-n', 'dev-alice', '--wait=true']);
    await eventually('the Service re-created', async () => ((await kubectlOk(cluster, 'admin', ['get', 'services', '-n', 'dev-alice', '-o', 'name'])).includes('service/docs') ? true : undefined), 120_000);
  });
});
