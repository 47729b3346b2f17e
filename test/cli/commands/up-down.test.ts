/**
 * `devfleet up/down/status/open/swap` end to end: the real CLI and @kubernetes/client-node against
 * a local stand-in of the Kubernetes API (test/helpers/kube-stand-in.ts).
 *
 * The stand-in stays only for what a real API server without nodes cannot show: Pods becoming
 * Ready (awake envs, `up --wait` succeeding, status of an awake env), a Pod stuck in
 * ImagePullBackOff, and injected faults (a 409 conflict, an unreachable server). Scaling 0 -> 1 -> 0,
 * Forbidden and NotFound run against a real kube-apiserver in test/integration/lifecycle.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { copyOfExamples, tempRoot } from '../../helpers/fixtures.ts';
import { KubeStandIn } from '../../helpers/kube-stand-in.ts';

const labels = (project: string) => ({ 'app.kubernetes.io/name': project, 'app.kubernetes.io/instance': project, 'app.kubernetes.io/part-of': 'devfleet' });

let kube: KubeStandIn;
let root: string;
const savedKubeconfig = process.env.KUBECONFIG;

beforeAll(async () => {
  root = copyOfExamples();
  process.env.DEVFLEET_POLL_MS = '10';
});
afterAll(() => {
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
});

beforeEach(async () => {
  kube = new KubeStandIn();
  await kube.start();
  kube.add({ namespace: 'dev-alice', name: 'my-app', labels: labels('my-app'), replicas: 0, readyReplicas: 0, readyAfterReads: 2 });
  kube.add({ namespace: 'dev-alice', name: 'docs', labels: labels('docs'), replicas: 1, readyReplicas: 1, scaledAt: '2026-11-25T00:30:00Z', scaledBy: 'devfleet' });
  kube.add({ namespace: 'dev-alice', name: 'shop', labels: labels('shop'), replicas: 0, readyReplicas: 0 });
  // Behind the front door: my-app's ScaledObject is synced; docs' and shop's are not (yet).
  kube.addScaledObject({ namespace: 'dev-alice', name: 'my-app', annotations: {}, lastActiveTime: '2026-11-24T12:00:00Z' });
  process.env.KUBECONFIG = kube.kubeconfig(tempRoot(), 'developer-token');
});
afterEach(async () => {
  await kube.stop();
});

const scalePatches = () => kube.exchanges.filter((e) => e.method === 'PATCH' && e.path.includes('/scale?'));
const annotationPatches = () => kube.exchanges.filter((e) => e.method === 'PATCH' && e.path.includes('/scaledobjects/')).map((e) => e.body);
const FORCE = 'autoscaling.keda.sh/force-activation';

describe('devfleet up', () => {
  it('GIVEN an asleep env WHEN up --wait runs THEN it merge-patches the scale subresource to 1, waits until ready and prints the URLs', async () => {
    const result = await runCli('up', 'my-app', '--root', root, '--developer', 'alice', '--wait');
    expect(result.stderr).toContain('alice/my-app: waking up in dev-alice');
    expect(result.stderr).toMatch(/alice\/my-app: awake after \d+ s/);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('https://my-app-com--alice.dev.example.com\nhttps://api-my-app-com--alice.dev.example.com\n');
    expect(scalePatches()).toEqual([
      expect.objectContaining({ path: '/apis/apps/v1/namespaces/dev-alice/deployments/my-app/scale?fieldManager=devfleet', contentType: 'application/merge-patch+json', body: { spec: { replicas: 1 } }, status: 200 }),
    ]);
    expect(kube.deployments.get('dev-alice/my-app')!.replicas).toBe(1);
  });

  it('GIVEN an asleep env behind the front door WHEN up runs THEN it scales to 1, holds KEDA active with the force-activation annotation until KEDA has recorded the activity, and removes the annotation', async () => {
    const result = await runCli('up', 'my-app', '--root', root, '--developer', 'alice');
    expect(result.code, result.stderr).toBe(0);
    expect(scalePatches().map((e) => e.body)).toEqual([{ spec: { replicas: 1 } }]);
    expect(annotationPatches()).toEqual([{ metadata: { annotations: { [FORCE]: 'true' } } }, { metadata: { annotations: { [FORCE]: null } } }]);
    const so = kube.scaledObjects.get('dev-alice/my-app')!;
    expect(so.annotations).toEqual({});
    expect(Date.parse(so.lastActiveTime!)).toBeGreaterThan(Date.parse('2026-11-24T12:00:00Z'));
    // The annotation went on after the scale, and came off only after KEDA's status showed the activity.
    const order = kube.exchanges.map((e) => `${e.method} ${e.path.split('?')[0]!.split('/').slice(-2).join('/')}`);
    expect(order.indexOf('PATCH my-app/scale')).toBeLessThan(order.indexOf('PATCH scaledobjects/my-app'));
    expect(order.lastIndexOf('GET scaledobjects/my-app')).toBeLessThan(order.lastIndexOf('PATCH scaledobjects/my-app'));
    expect(result.stderr).toContain('alice/my-app: KEDA keeps it awake while it gets requests, and lets it sleep after 60 min without any (or at the nightly sleep)');
  });

  it('GIVEN KEDA not acting on the ScaledObject WHEN up runs THEN it gives up after the timeout, removes the annotation and says the env may go back to sleep', async () => {
    kube.scaledObjects.get('dev-alice/my-app')!.kedaRunning = false;
    process.env.DEVFLEET_KEDA_TIMEOUT = '100ms';
    try {
      const result = await runCli('up', 'my-app', '--root', root, '--developer', 'alice');
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('KEDA did not confirm the wake in time (is KEDA running?');
      expect(kube.scaledObjects.get('dev-alice/my-app')!.annotations).toEqual({});
      expect(kube.deployments.get('dev-alice/my-app')!.replicas).toBe(1);
    } finally {
      delete process.env.DEVFLEET_KEDA_TIMEOUT;
    }
  });

  it('GIVEN an awake env whose ScaledObject is not synced yet WHEN up runs THEN nothing is patched and it says so', async () => {
    const result = await runCli('up', 'docs', '--root', root, '--developer', 'alice');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('already awake');
    expect(result.stderr).toContain('its ScaledObject is not there yet');
    expect(scalePatches()).toEqual([]);
    expect(annotationPatches()).toEqual([]);
  });

  it('GIVEN a Pod that cannot pull its image WHEN up --wait times out THEN it exits 1 naming the reason', async () => {
    kube.deployments.get('dev-alice/shop')!.waitingReason = 'ImagePullBackOff';
    const result = await runCli('up', 'shop', '--root', root, '--developer', 'alice', '--wait', '--timeout', '200ms');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('app: ImagePullBackOff');
    expect(result.stderr).toContain('not ready after');
  });

  it.each([
    [['--wait', '--timeout', 'abc'], '--timeout abc: write a duration like 90s or 5m'],
    [['--timeout', '10m'], '--timeout 10m needs --wait'],
    [['--wait', '--timeout', '0'], '--timeout 0: give a duration longer than 0'],
  ])('GIVEN an asleep env WHEN up runs with %j THEN it is a usage error (exit 2) before anything talks to the cluster', async (flags, message) => {
    const result = await runCli('up', 'my-app', '--root', root, '--developer', 'alice', ...flags);
    expect(result.stderr).toContain(message);
    expect(result.code).toBe(2);
    expect(kube.exchanges).toEqual([]);
    expect(kube.deployments.get('dev-alice/my-app')!.replicas).toBe(0);
  });

  it('GIVEN a conflicting write WHEN up runs THEN it exits 1 and says to retry', async () => {
    kube.conflictOnce = true;
    const result = await runCli('up', 'my-app', '--root', root, '--developer', 'alice');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('conflict with another change; retry');
  });

  it('GIVEN no kubeconfig WHEN up runs THEN it says how to get one', async () => {
    process.env.KUBECONFIG = '/nonexistent/kubeconfig';
    const result = await runCli('up', 'my-app', '--root', root, '--developer', 'alice');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no kubeconfig found (looked at /nonexistent/kubeconfig)');
    expect(result.stderr).toContain('aws eks update-kubeconfig');
  });

  it('GIVEN an unreachable cluster WHEN up runs THEN it names the server and context', async () => {
    await kube.stop();
    const result = await runCli('up', 'my-app', '--root', root, '--developer', 'alice');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach the cluster at http://127.0.0.1:${kube.port} (context stand-in)`);
  });

  it('GIVEN a developer who is not in the cluster WHEN up runs THEN it lists the developers', async () => {
    const result = await runCli('up', 'my-app', '--root', root, '--developer', 'mallory');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"mallory" is not a developer of cluster dev');
  });
});

describe('devfleet down', () => {
  it('GIVEN an awake env behind the front door with a leftover force-activation annotation WHEN down runs THEN the annotation is removed first, then it scales to 0', async () => {
    kube.deployments.get('dev-alice/my-app')!.replicas = 1;
    kube.scaledObjects.get('dev-alice/my-app')!.annotations[FORCE] = 'true';
    const result = await runCli('down', 'my-app', '--root', root, '--developer', 'alice');
    expect(result.code, result.stderr).toBe(0);
    expect(annotationPatches()).toEqual([{ metadata: { annotations: { [FORCE]: null } } }]);
    expect(scalePatches().map((e) => e.body)).toEqual([{ spec: { replicas: 0 } }]);
    const order = kube.exchanges.filter((e) => e.method === 'PATCH').map((e) => e.path.split('?')[0]);
    expect(order).toEqual(['/apis/keda.sh/v1alpha1/namespaces/dev-alice/scaledobjects/my-app', '/apis/apps/v1/namespaces/dev-alice/deployments/my-app/scale']);
    expect(result.stderr).toContain('alice/my-app: asleep in dev-alice (data on persistent volumes is kept); opening its URL wakes it again');
  });

  it('GIVEN an asleep env behind the front door without the annotation WHEN down runs THEN nothing is patched', async () => {
    const result = await runCli('down', 'my-app', '--root', root, '--developer', 'alice');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('already asleep');
    expect(kube.exchanges.filter((e) => e.method === 'PATCH')).toEqual([]);
  });
});

describe('devfleet status', () => {
  it('GIVEN envs in several states WHEN status --json runs THEN each env shows status, since, next sleep and URLs', async () => {
    const result = await runCli('status', '--root', root, '--developer', 'alice', '--json');
    expect(result.code, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => [r.project, r.status])).toEqual([
      ['docs', 'awake'],
      ['my-app', 'asleep'],
      ['notes-api', 'missing'],
      ['shop', 'asleep'],
    ]);
    const docs = rows[0]!;
    expect(docs.since).toBe('2026-11-25T00:30:00.000Z');
    // docs is always-on: awake with no next sleep.
    expect(docs.nextSleep).toBeNull();
    expect(docs.urls).toEqual(['https://docs--alice.dev.example.com']);
    expect(rows[1]!.since).toBe('2026-11-20T01:00:00.000Z');
    // Why: docs was last scaled by the CLI, my-app never since Argo CD created it; shop sleeps when idle.
    expect(rows.map((r) => [r.project, r.reason, r.idleMinutes])).toEqual([
      ['docs', 'cli', null],
      ['my-app', 'created', 60],
      ['notes-api', null, 60],
      ['shop', 'created', 60],
    ]);
    expect(kube.exchanges.every((e) => e.method === 'GET')).toBe(true);
  });

  it("GIVEN an env the sleep job's `kubectl scale` put to sleep at 22:00 JST (the Deployment keeps no time for it) WHEN status --json runs THEN it is asleep since 22:00 JST, not since its creation", async () => {
    Object.assign(kube.deployments.get('dev-alice/shop')!, { scaledAt: '2026-11-25T13:00:00Z', scaledBy: 'kubectl' });
    const result = await runCli('status', '--root', root, '--developer', 'alice', '--json');
    const row = (JSON.parse(result.stdout) as Record<string, string>[]).find((r) => r.project === 'shop')!;
    expect([row.status, row.since, row.reason]).toEqual(['asleep', '2026-11-25T13:00:00.000Z', 'schedule']);
  });

  it('GIVEN my-app behind the front door, asleep since 60 minutes after KEDA last saw a request (its idle time) WHEN status --json runs THEN it sleeps for being idle; 20 minutes after, the reason is unknown', async () => {
    kube.scaledObjects.get('dev-alice/my-app')!.lastActiveTime = '2026-11-24T03:00:00Z';
    Object.assign(kube.deployments.get('dev-alice/my-app')!, { scaledAt: '2026-11-24T04:00:10Z', scaledBy: 'keda' });
    const reason = async () => ((JSON.parse((await runCli('status', '--root', root, '--developer', 'alice', '--json')).stdout) as Record<string, string>[]).find((r) => r.project === 'my-app')!).reason;
    expect(await reason()).toBe('idle');
    Object.assign(kube.deployments.get('dev-alice/my-app')!, { scaledAt: '2026-11-24T03:20:00Z' });
    expect(await reason()).toBe('unknown');
  });

  it('GIVEN an asleep env whose chart changed after it went to sleep (a new ReplicaSet at 0) WHEN status --json runs THEN it is still asleep since the scale to 0', async () => {
    Object.assign(kube.deployments.get('dev-alice/shop')!, { scaledAt: '2026-11-25T13:00:00Z', scaledBy: 'kubectl', rolledOutAt: '2026-11-26T02:00:00Z' });
    const result = await runCli('status', '--root', root, '--developer', 'alice', '--json');
    const row = (JSON.parse(result.stdout) as Record<string, string>[]).find((r) => r.project === 'shop')!;
    expect([row.status, row.since]).toEqual(['asleep', '2026-11-25T13:00:00.000Z']);
  });

  it('GIVEN an env woken and put back to sleep by devfleet WHEN status --json runs THEN it is asleep since the down, to the second', async () => {
    await runCli('up', 'my-app', '--root', root, '--developer', 'alice');
    const before = Math.floor(Date.now() / 1000) * 1000;
    expect((await runCli('down', 'my-app', '--root', root, '--developer', 'alice')).code).toBe(0);
    const after = Date.now();
    const result = await runCli('status', '--root', root, '--developer', 'alice', '--json');
    const row = (JSON.parse(result.stdout) as Record<string, string>[]).find((r) => r.project === 'my-app')!;
    expect(row.status).toBe('asleep');
    expect(new Date(row.since!).getTime()).toBeGreaterThanOrEqual(before);
    expect(new Date(row.since!).getTime()).toBeLessThanOrEqual(after);
  });

  it.each([
    ['keda', 1, 'request'],
    ['devfleet', 1, 'cli'],
    ['Mozilla', 1, 'other'],
  ])('GIVEN shop (no scheduled wake) last scaled up by %s to %i WHEN status runs THEN the reason is %s (kube-apiserver keeps no scale entry after a scale to 0, so an asleep env\'s reason is not read from it)', async (manager, replicas, reason) => {
    Object.assign(kube.deployments.get('dev-alice/shop')!, { replicas, readyReplicas: replicas, scaledAt: '2026-11-25T02:00:00Z', scaledBy: manager });
    const rows = JSON.parse((await runCli('status', '--root', root, '--developer', 'alice', '--json')).stdout) as Record<string, unknown>[];
    expect(rows.find((r) => r.project === 'shop')).toMatchObject({ reason, scaledBy: manager });
  });

  it('GIVEN an awake env WHEN status runs THEN its next sleep is the next 22:00 in Asia/Tokyo', async () => {
    await runCli('up', 'my-app', '--root', root, '--developer', 'alice');
    const result = await runCli('status', '--root', root, '--developer', 'alice', '--json');
    const row = (JSON.parse(result.stdout) as Record<string, string>[]).find((r) => r.project === 'my-app')!;
    const next = new Date(row.nextSleep!);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
    expect(next.getUTCHours()).toBe(13); // 22:00 JST
    expect(next.getUTCMinutes()).toBe(0);
  });

  it('GIVEN an always-on env behind the front door WHEN down runs THEN it refuses before touching the cluster: KEDA would wake it again', async () => {
    const result = await runCli('down', 'docs', '--root', root, '--developer', 'alice');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "devfleet: alice/docs is always on (alwaysOn: true, in projects/docs.yaml or the developer's schedule in clusters/dev.ts): KEDA keeps one replica and would wake it again within 30 s, so down changes nothing; set alwaysOn: false to let it sleep",
    );
    expect(kube.exchanges).toEqual([]);
    expect(kube.deployments.get('dev-alice/docs')!.replicas).toBe(1);
  });

  it('GIVEN another project invalid WHEN status runs THEN it shows the valid envs, warns about the other file once and exits 0', async () => {
    const broken = copyOfExamples();
    const docs = join(broken, 'projects', 'docs.yaml');
    writeFileSync(docs, readFileSync(docs, 'utf8').replace('port: 8080', 'port: "8080"'));
    const result = await runCli('status', '--root', broken, '--developer', 'alice', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { project: string }[]).map((r) => r.project)).toEqual(['my-app', 'notes-api', 'shop']);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('devfleet: warning: projects/docs.yaml: containers[0].ports[0].port:'))).toHaveLength(1);
  });

  it('GIVEN envs WHEN status prints a table THEN times are in the cluster time zone', async () => {
    const result = await runCli('status', '--root', root, '--developer', 'alice');
    expect(result.stdout).toContain('alice in dev-alice (cluster dev, times in Asia/Tokyo):');
    expect(result.stdout).toMatch(/PROJECT\s+STATUS\s+WHY\s+SINCE\s+NEXT SLEEP\s+URL/);
    expect(result.stdout).toMatch(/docs\s+awake\s+cli\s+2026-11-25 09:30\s+never\s+https:\/\/docs--alice\.dev\.example\.com/);
    // One word per state, as --json says it.
    expect(result.stdout).toMatch(/notes-api\s+missing\s+-/);
  });
});

describe('devfleet open and swap (no cluster needed)', () => {
  let state: string;
  const savedState = process.env.XDG_STATE_HOME;
  beforeEach(() => {
    state = tempRoot();
    process.env.XDG_STATE_HOME = state;
  });
  afterAll(() => {
    if (savedState === undefined) delete process.env.XDG_STATE_HOME;
    else process.env.XDG_STATE_HOME = savedState;
  });

  it('GIVEN a project WHEN open --print runs THEN it prints the first URL', async () => {
    const result = await runCli('open', 'my-app', '--root', root, '--developer', 'bob', '--print');
    expect(result.stdout).toBe('https://my-app-com--bob.dev.example.com\n');
    const api = await runCli('open', 'my-app', '--root', root, '--developer', 'bob', '--print', '--route', 'api.my-app.com');
    expect(api.stdout).toBe('https://api-my-app-com--bob.dev.example.com\n');
  });

  it('GIVEN swap --print with Telepresence WHEN run THEN it warns that the environment, secrets included, comes to the laptop and prints the steps with the env file in the private state directory', async () => {
    const result = await runCli('swap', 'my-app:go', '--root', root, '--developer', 'carol', '--print', '--', 'go', 'run', '.');
    expect(result.code).toBe(0);
    const file = `${state}/devfleet/swap/my-app--carol.go.env`;
    expect(result.stderr).toBe(
      'swap: container "go" of deployment/my-app in namespace dev-carol -> your laptop (ports 8080 (api)), with telepresence\n' +
        `swap copies the environment of container "go", secret values included (DB_PASSWORD (Secret my-app-db, key password)), to this laptop: into ${file} (readable only by you, outside the repository; deleted when the command ends) and into the local process. Do not paste it, log it or commit it.`,
    );
    expect(result.stdout).toBe(
      [
        `mkdir -p -m 700 ${state}/devfleet/swap`,
        `(umask 077 && : > ${file})`,
        'telepresence connect --namespace dev-carol',
        `telepresence replace my-app --container go --env-file ${file} -- go run .`,
        `rm -f ${file}`,
        '',
      ].join('\n'),
    );
  });

  it.each([['my-app:'], [':go'], ['my-app:go:x']])('GIVEN the malformed target %s WHEN swap runs THEN it is a usage error before anything is resolved', async (spec) => {
    const result = await runCli('swap', spec, '--root', root, '--print', '--', 'go', 'run', '.');
    expect(result.stderr).toBe(`devfleet: ${spec}: write <project> or <project>:<container>, e.g. my-app:go`);
    expect(result.code).toBe(2);
  });

  it('GIVEN swap --print with mirrord and the project default container WHEN run THEN the config targets deployment/<name>/container/<c>, in the state directory', async () => {
    const result = await runCli('swap', 'shop', '--root', root, '--developer', 'erin', '--tool', 'mirrord', '--print', '--', 'bin/rails', 'server', '-p', '$PORT');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('secret values included');
    expect(result.stderr).toContain('to this laptop: into the local process.');
    expect(result.stdout).toContain('"path": "deployment/shop/container/web"');
    expect(result.stdout).toContain('"namespace": "dev-erin"');
    expect(result.stdout).toContain(`mirrord exec --config-file ${state}/devfleet/swap/shop--erin.web.mirrord.json -- bin/rails server -p \\$PORT`);
  });

  it('GIVEN XDG_STATE_HOME inside the repository WHEN swap runs THEN it refuses before printing or running anything', async () => {
    process.env.XDG_STATE_HOME = join(root, '.devfleet');
    const result = await runCli('swap', 'my-app:go', '--root', root, '--developer', 'carol', '--print', '--', 'go', 'run', '.');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${root}/.devfleet/devfleet/swap is inside the repository ${root}`);
    expect(existsSync(join(root, '.devfleet'))).toBe(false);
  });

  it('GIVEN Telepresence on PATH WHEN swap runs for real THEN the warning comes first, Telepresence gets a 0600 env file in the 0700 state directory outside the repository, and the file is gone afterwards', async () => {
    const bin = tempRoot();
    const log = join(bin, 'calls.log');
    // A stand-in for the telepresence CLI: records each call and, for `replace`, the env file's mode, then writes a secret into it.
    writeFileSync(
      join(bin, 'telepresence'),
      `#!/bin/sh\necho "$*" >> ${log}\nif [ "$1" = replace ]; then f="$6"; stat -c '%a' "$f" >> ${log}; stat -c '%a' "$(dirname "$f")" >> ${log}; echo DB_PASSWORD=s3cret > "$f"; fi\n`,
      { mode: 0o755 },
    );
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const result = await runCli('swap', 'my-app:go', '--root', root, '--developer', 'carol', '--', 'go', 'run', '.');
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('secret values included');
    } finally {
      process.env.PATH = path;
    }
    const file = `${state}/devfleet/swap/my-app--carol.go.env`;
    expect(readFileSync(log, 'utf8')).toBe(`connect --namespace dev-carol\nreplace my-app --container go --env-file ${file} -- go run .\n600\n700\n`);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(root, '.devfleet'))).toBe(false);
  });

  it('GIVEN a first Telepresence call that fails WHEN swap runs THEN the warning was already printed and the env file is removed', async () => {
    const bin = tempRoot();
    writeFileSync(join(bin, 'telepresence'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const result = await runCli('swap', 'my-app:go', '--root', root, '--developer', 'carol', '--', 'go', 'run', '.');
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('secret values included (DB_PASSWORD (Secret my-app-db, key password))');
    } finally {
      process.env.PATH = path;
    }
    expect(existsSync(`${state}/devfleet/swap/my-app--carol.go.env`)).toBe(false);
  });

  it('GIVEN swap of a container that does not exist or no command WHEN run THEN it says what to do', async () => {
    const missing = await runCli('swap', 'my-app:php', '--root', root, '--developer', 'carol', '--print', '--', 'php');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('my-app has no container "php"; containers: nginx, go, mysql');
    const noCommand = await runCli('swap', 'my-app', '--root', root, '--developer', 'carol', '--print');
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('give the local command after --');
  });
});
