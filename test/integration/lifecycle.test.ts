/**
 * `devfleet up/down/status` and the sleep/wake jobs against a real kube-apiserver and controller
 * manager (scripts/cluster.ts), as the identities that use them in the cluster: the developer alice
 * (her kubeconfig, group devfleet:developers), an outsider, and the `devfleet-scaler`
 * ServiceAccount with a token from the TokenRequest API.
 *
 * The control plane has no nodes: scaling to 1 makes a ReplicaSet and a Pod that stays Pending, so
 * an env woken here is `starting`, never `awake`. Pods becoming Ready (and image pull errors) are
 * covered against the stand-in in test/cli/commands/up-down.test.ts.
 *
 * The bundled cluster puts envs behind the front door: their ScaledObjects are applied (KEDA's CRD
 * registered) but no KEDA operator runs, so `up` sets and removes the force-activation annotation as
 * alice (through the developers' RBAC and the admission policy) and then reports that KEDA did not
 * confirm; what KEDA does with the annotation is covered against the stand-in.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearForceActivationArgs, scheduleJobArgs, scheduleJobs } from '../../generators/cluster/schedule-jobs.ts';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, REPO, useIngressGroups } from '../helpers/fixtures.ts';
import { applyForReal, ensureNamespaces, eventually, kubectl, kubectlOk, localCluster, namespacesOf, registerExternalSecretsCrds, registerKedaCrds, renderedEnvManifests, tokenKubeconfig, treeManifests } from './kube.ts';

let cluster: LocalCluster;
const saved = { KUBECONFIG: process.env.KUBECONFIG, DEVFLEET_POLL_MS: process.env.DEVFLEET_POLL_MS, DEVFLEET_KEDA_TIMEOUT: process.env.DEVFLEET_KEDA_TIMEOUT };
const FORCE = 'autoscaling.keda.sh/force-activation';
const annotationsOf = async (name: string) => JSON.parse((await kubectlOk(cluster, 'admin', ['get', 'scaledobject', name, '-n', 'dev-alice', '-o', 'jsonpath={.metadata.annotations}'])) || '{}') as Record<string, string>;

const replicas = async (name: string, namespace = 'dev-alice') => Number(await kubectlOk(cluster, 'admin', ['get', 'deployment', name, '-n', namespace, '-o', 'jsonpath={.spec.replicas}']));
const replicasOf = async (names: string[]) => Object.fromEntries(await Promise.all(names.map(async (n) => [n, await replicas(n)] as const)));
const statusRows = async () => {
  const result = await runCli('status', '--root', REPO, '--developer', 'alice', '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { project: string; status: string; since: string | null }[];
};
const managedFields = async (name: string) =>
  JSON.parse(await kubectlOk(cluster, 'admin', ['get', 'deployment', name, '-n', 'dev-alice', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields}'])) as { manager: string; subresource?: string; time?: string }[];
const statuses = async () => Object.fromEntries((await statusRows()).map((r) => [r.project, r.status]));

/** Alice's namespace and three of her four envs, applied for real at 0 replicas (notes-api is left out: "not synced yet"). */
async function deployAliceEnvs(): Promise<void> {
  const namespaceFiles = [...treeManifests(join(REPO, 'clusters', 'dev', 'apps', 'namespaces')), ...treeManifests(join(REPO, 'clusters', 'dev', 'apps', 'platform'))];
  await ensureNamespaces(cluster, namespacesOf(namespaceFiles));
  await applyForReal(cluster, namespaceFiles);
  const envs = (await renderedEnvManifests(REPO, 'dev')).filter((m) => m.namespace === 'dev-alice' && m.object.metadata.labels?.['devfleet.dev/project'] !== 'notes-api');
  // The charts' ExternalSecrets and Password generators need their CRDs, and so do the front door's InterceptorRoutes and ScaledObjects.
  await registerExternalSecretsCrds(cluster);
  await registerKedaCrds(cluster);
  await applyForReal(cluster, envs);
}

beforeAll(async () => {
  cluster = await localCluster();
  await deployAliceEnvs();
  process.env.DEVFLEET_POLL_MS = '100';
  // No KEDA operator runs here: do not wait its default 90 s for a confirmation that cannot come.
  process.env.DEVFLEET_KEDA_TIMEOUT = '1s';
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('devfleet up/down/status as the developer', () => {
  beforeAll(() => {
    process.env.KUBECONFIG = cluster.kubeconfigs.alice;
  });

  it('GIVEN envs applied at 0 replicas and one not synced WHEN status --json runs as alice THEN they are asleep and missing', async () => {
    expect(await statuses()).toEqual({ docs: 'asleep', 'my-app': 'asleep', 'notes-api': 'missing', shop: 'asleep' });
  });

  it('GIVEN an asleep env behind the front door WHEN up runs as alice THEN the server scales it 0 -> 1 through the scale subresource, the force-activation annotation is set and removed again through her RBAC and the admission policy, and status says starting (no nodes: its Pod stays Pending)', async () => {
    const result = await runCli('up', 'my-app', '--root', REPO, '--developer', 'alice');
    expect(result.stderr).toContain('alice/my-app: waking up in dev-alice\n');
    expect(result.stderr).toContain('alice/my-app: KEDA did not confirm the wake in time');
    expect(result.code).toBe(0);
    // Set (a refused patch would have failed the command with the server's 403) and removed again.
    expect(await annotationsOf('my-app')).not.toHaveProperty(FORCE);
    expect(result.stdout).toBe('https://my-app-com--alice.dev.example.com\nhttps://api-my-app-com--alice.dev.example.com\n');
    expect(await replicas('my-app')).toBe(1);
    expect(await managedFields('my-app')).toContainEqual(expect.objectContaining({ manager: 'devfleet', subresource: 'scale' }));
    const row = (await statusRows()).find((r) => r.project === 'my-app')!;
    expect(row.status).toBe('starting');
    expect(Date.now() - new Date(row.since!).getTime()).toBeLessThan(120_000);
    // The controller manager made a ReplicaSet and a Pod; no node will ever run it.
    await eventually('a Pending Pod of my-app', async () => {
      const phases = await kubectlOk(cluster, 'admin', ['get', 'pods', '-n', 'dev-alice', '-l', 'app.kubernetes.io/instance=my-app', '-o', 'jsonpath={.items[*].status.phase}']);
      return phases === 'Pending' ? true : undefined;
    });
  });

  it('GIVEN a woken env on a cluster without nodes WHEN up --wait runs THEN it reports the Pending Pod and gives up after the timeout', async () => {
    const result = await runCli('up', 'my-app', '--root', REPO, '--developer', 'alice', '--wait', '--timeout', '1s');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('alice/my-app: already starting in dev-alice');
    expect(result.stderr).toContain('alice/my-app: starting (0 s) Pending');
    expect(result.stderr).toContain('not ready after 1 s');
  });

  it('GIVEN a woken env with a leftover force-activation annotation WHEN down runs as alice THEN the annotation goes, the server scales it 1 -> 0 and status says asleep', async () => {
    await new Promise((r) => setTimeout(r, 1000)); // managedFields times have whole seconds: the down must be a later second than the up
    const before = Math.floor(Date.now() / 1000) * 1000;
    await kubectlOk(cluster, 'admin', ['annotate', 'scaledobject', 'my-app', '-n', 'dev-alice', `${FORCE}=true`]);
    const result = await runCli('down', 'my-app', '--root', REPO, '--developer', 'alice');
    expect(result.stderr).toBe('alice/my-app: asleep in dev-alice (data on persistent volumes is kept); opening its URL wakes it again');
    expect(await annotationsOf('my-app')).not.toHaveProperty(FORCE);
    expect(result.code).toBe(0);
    expect(await replicas('my-app')).toBe(0);
    // Why status cannot read this from the Deployment: a scale to 0 leaves no scale entry on it (generators/kube/kube-api.ts).
    expect((await managedFields('my-app')).filter((f) => f.subresource === 'scale')).toEqual([]);
    const row = await eventually('the controller rescaled the ReplicaSet', async () => {
      const r = (await statusRows()).find((r) => r.project === 'my-app')!;
      return new Date(r.since!).getTime() >= before ? r : undefined;
    });
    expect(row.status).toBe('asleep');
    expect(new Date(row.since!).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('GIVEN an env Argo CD has not synced WHEN up runs THEN the 404 becomes "no Deployment yet" naming the Application', async () => {
    const result = await runCli('up', 'notes-api', '--root', REPO, '--developer', 'alice');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('env alice/notes-api has no Deployment in namespace dev-alice yet (context devfleet-local-alice)');
    expect(result.stderr).toContain('Application notes-api--alice');
  });

  it('GIVEN an identity outside the developers group WHEN up runs THEN the 403 says who may not do what and what to do, and nothing changes', async () => {
    process.env.KUBECONFIG = cluster.kubeconfigs.outsider;
    try {
      const result = await runCli('up', 'my-app', '--root', REPO, '--developer', 'alice');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('you (outsider, context devfleet-local-outsider) may not read Deployment my-app in namespace dev-alice');
      expect(result.stderr).toContain('ask ops to add your IAM identity to the cluster definition');
      expect(await replicas('my-app')).toBe(0);
    } finally {
      process.env.KUBECONFIG = cluster.kubeconfigs.alice;
    }
  });
});

describe('the sleep and wake jobs, run as the devfleet-scaler ServiceAccount', () => {
  const envs = ['docs', 'my-app', 'shop'];
  let scalerKubeconfig: string;
  let jobs: ReturnType<typeof scheduleJobs>;

  beforeAll(async () => {
    const [plan] = (await loadFleet(REPO)).clusters;
    jobs = scheduleJobs(plan!.envs.filter((e) => e.developer === 'alice'));
    // What the job's Pod gets mounted: a token of its ServiceAccount (TokenRequest API).
    const token = (await kubectlOk(cluster, 'admin', ['create', 'token', 'devfleet-scaler', '-n', 'dev-alice', '--duration=10m'])).trim();
    scalerKubeconfig = tokenKubeconfig(cluster, 'devfleet-scaler', token);
  });

  it('GIVEN the token WHEN asked who it is THEN it is the ServiceAccount of dev-alice', async () => {
    const whoami = await kubectlOk(cluster, { kubeconfig: scalerKubeconfig }, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(whoami).toBe('system:serviceaccount:dev-alice:devfleet-scaler');
  });

  it('GIVEN every env of dev-alice awake and one held awake by a force-activation annotation WHEN the sleep job runs its exact kubectl commands (init container, then container) THEN the annotation is gone and every env but the always-on docs is at 0', async () => {
    await kubectlOk(cluster, 'admin', ['scale', 'deployment', ...envs, '-n', 'dev-alice', '--replicas=1']);
    await kubectlOk(cluster, 'admin', ['annotate', 'scaledobject', 'shop', '-n', 'dev-alice', `${FORCE}=true`]);
    const sleep = jobs.filter((j) => j.action === 'sleep');
    expect(sleep.map((j) => j.name)).toEqual(['devfleet-sleep-2200-daily']);
    await new Promise((r) => setTimeout(r, 1000)); // whole seconds: the sleep must be a later second than the scale up
    const before = Math.floor(Date.now() / 1000) * 1000;
    expect(sleep[0]!.clearsForceActivation).toBe(true);
    const clear = await kubectl(cluster, { kubeconfig: scalerKubeconfig }, clearForceActivationArgs(sleep[0]!, 'dev-alice'));
    expect(clear.stderr).toBe('');
    expect(clear.code).toBe(0);
    expect(clear.stdout.trim().split('\n').sort()).toEqual(['scaledobject.keda.sh/my-app annotated', 'scaledobject.keda.sh/shop annotated']);
    expect(await annotationsOf('shop')).not.toHaveProperty(FORCE);
    const result = await kubectl(cluster, { kubeconfig: scalerKubeconfig }, scheduleJobArgs(sleep[0]!, 'dev-alice'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').sort()).toEqual(['deployment.apps/my-app scaled', 'deployment.apps/shop scaled']);
    expect(await replicasOf(envs)).toEqual({ docs: 1, 'my-app': 0, shop: 0 });
    // status (as alice) says since when, though kubectl, not devfleet, scaled them.
    process.env.KUBECONFIG = cluster.kubeconfigs.alice;
    const since = await eventually('the controller rescaled both ReplicaSets', async () => {
      const rows = Object.fromEntries((await statusRows()).map((r) => [r.project, r.since]));
      return [rows['my-app'], rows.shop].every((t) => new Date(t!).getTime() >= before) ? rows : undefined;
    });
    expect(new Date(since.shop!).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('GIVEN the front door WHEN the jobs of dev-alice are listed THEN there is no wake job: KEDA\'s cron trigger wakes my-app', () => {
    expect(jobs.map((j) => j.name)).toEqual(['devfleet-sleep-2200-daily']);
  });

  it('GIVEN every env asleep and my-app labelled as with per-env Ingresses WHEN that mode\'s wake job runs its exact kubectl command THEN only the env with a wake time (my-app) is at 1', async () => {
    await kubectlOk(cluster, 'admin', ['scale', 'deployment', ...envs, '-n', 'dev-alice', '--replicas=0']);
    const root = copyOfExamples();
    useIngressGroups(root);
    const [plan] = (await loadFleet(root)).clusters;
    const wake = scheduleJobs(plan!.envs.filter((e) => e.developer === 'alice')).filter((j) => j.action === 'wake');
    expect(wake.map((j) => j.name)).toEqual(['devfleet-wake-0900-weekdays']);
    await kubectlOk(cluster, 'admin', ['label', 'deployment', 'my-app', '-n', 'dev-alice', '--overwrite', wake[0]!.selector]);
    const result = await kubectl(cluster, { kubeconfig: scalerKubeconfig }, scheduleJobArgs(wake[0]!, 'dev-alice'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await replicasOf(envs)).toEqual({ docs: 0, 'my-app': 1, shop: 0 });
  });

  it("GIVEN the scaler's token WHEN its command targets another developer's namespace THEN the server forbids it", async () => {
    const [sleep] = jobs.filter((j) => j.action === 'sleep');
    const result = await kubectl(cluster, { kubeconfig: scalerKubeconfig }, scheduleJobArgs(sleep!, 'dev-bob'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('User "system:serviceaccount:dev-alice:devfleet-scaler" cannot list resource "deployments" in API group "apps" in the namespace "dev-bob"');
  });
});
