/**
 * The nightly sleep, end to end: a cluster whose sleep time is a few minutes ahead is synced by
 * Argo CD; at that minute the CronJob controller starts the sleep Job, the scheduler puts its Pod on
 * a kwok node and kwok completes it (no container runs here). That the job's command really scales
 * the envs is proven by running its exact arguments (read from the Job that ran) with kubectl as
 * its ServiceAccount, as the real Pod would.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { kubectlImage } from '../../generators/plan/kubectl-image.ts';
import { KUBERNETES_VERSION_DEFAULT } from '../../generators/schema/cluster.ts';
import { eventually, kubectl, tokenKubeconfig } from '../integration/kube.ts';
import { e2eCluster, kubectlOk, sync, writeSmallFleet } from './harness.ts';

let cluster: LocalCluster;
let sleepAt: string;
const namespace = 'dev-sam';

interface Job {
  metadata: { name: string; ownerReferences?: { kind: string; name: string }[] };
  spec: { template: { spec: { serviceAccountName?: string; containers: { image: string; command?: string[]; args?: string[] }[] } } };
  status: { succeeded?: number; conditions?: { type: string; status: string }[] };
}

beforeAll(async () => {
  cluster = e2eCluster();
  // Three to four minutes ahead, in UTC: time for the sync, and a whole minute for the controller.
  const at = new Date(Date.now() + 3 * 60_000);
  sleepAt = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
  const root = writeSmallFleet(tempRoot(), { cluster: 'nightly', developers: ['sam'], projects: [{ name: 'web' }, { name: 'api' }], sleep: sleepAt, timeZone: 'UTC' });
  const run = await sync(root, 'nightly');
  expect(run.code, run.stderr).toBe(0);
  // Both envs awake, as a developer would leave them in the evening.
  await kubectlOk(cluster, 'admin', ['scale', 'deployment', 'web', 'api', '-n', namespace, '--replicas=1']);
});

describe('the sleep CronJob', () => {
  const jobName = () => `devfleet-sleep-${sleepAt.replace(':', '')}-daily`;
  let job: Job;

  it('GIVEN its schedule WHEN the time comes THEN the CronJob controller runs its Job on a node and the Job completes', async () => {
    const cronjobs = (await kubectlOk(cluster, 'admin', ['get', 'cronjobs', '-n', namespace, '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
    expect(cronjobs).toEqual([jobName()]);
    job = await eventually(
      `a completed Job of ${jobName()}`,
      async () => {
        const jobs = JSON.parse(await kubectlOk(cluster, 'admin', ['get', 'jobs', '-n', namespace, '-o', 'json'])) as { items: Job[] };
        return jobs.items.find((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === jobName()) && j.status.conditions?.some((c) => c.type === 'Complete' && c.status === 'True'));
      },
      6 * 60_000,
    );
    expect(job.status.succeeded).toBe(1);
    const pods = JSON.parse(await kubectlOk(cluster, 'admin', ['get', 'pods', '-n', namespace, '-l', `job-name=${job.metadata.name}`, '-o', 'json'])) as { items: { spec: { nodeName?: string }; status: { phase: string } }[] };
    expect(pods.items.map((p) => p.status.phase)).toEqual(['Succeeded']);
    expect(cluster.nodes).toContain(pods.items[0]!.spec.nodeName);
  });

  it("GIVEN the Job that ran WHEN its exact kubectl arguments run as its ServiceAccount THEN both envs are at 0", async () => {
    const container = job.spec.template.spec.containers[0]!;
    // The jobs run the kubectl of the cluster's Kubernetes minor (the default, 1.35, here).
    expect(container.image).toBe(kubectlImage(KUBERNETES_VERSION_DEFAULT));
    // kwok completed the Pod without running it: the scale is done here, as the Pod would have.
    expect(await kubectlOk(cluster, 'admin', ['get', 'deployments', '-n', namespace, '-o', 'jsonpath={.items[*].spec.replicas}'])).toBe('1 1');
    const serviceAccount = job.spec.template.spec.serviceAccountName!;
    expect(serviceAccount).toBe('devfleet-scaler');
    const token = (await kubectlOk(cluster, 'admin', ['create', 'token', serviceAccount, '-n', namespace, '--duration=10m'])).trim();
    const result = await kubectl(cluster, { kubeconfig: tokenKubeconfig(cluster, `${namespace}-scaler`, token) }, [...(container.command ?? []).slice(1), ...(container.args ?? [])]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').sort()).toEqual(['deployment.apps/api scaled', 'deployment.apps/web scaled']);
    expect(await kubectlOk(cluster, 'admin', ['get', 'deployments', '-n', namespace, '-o', 'jsonpath={.items[*].spec.replicas}'])).toBe('0 0');
  });
});
