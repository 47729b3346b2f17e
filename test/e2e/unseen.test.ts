/**
 * A definition set the generators were not written against (test/fixtures/fleet-unseen: an SSH
 * repoURL, a release branch, Argo CD in the `gitops` namespace, namespace prefix `env-`, its own
 * storage class, quotas and time zone), through the whole loop: cluster:sync reaches
 * Synced/Healthy, `devfleet up` makes an env Ready, Argo CD leaves its replica count alone, and
 * removing a developer removes their envs but keeps their PVCs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { application, applications, copyFixture, e2eCluster, editYaml, exists, kubectlOk, names, recordTiming, sleep, sync } from './harness.ts';

let cluster: LocalCluster;
let root: string;
let commit: string;
const saved = process.env.KUBECONFIG;

beforeAll(() => {
  cluster = e2eCluster();
  root = copyFixture('test/fixtures/fleet-unseen');
});

describe('the unseen definition set', () => {
  it('GIVEN its tree WHEN cluster:sync publishes it THEN every Application in the gitops namespace is Synced and Healthy', async () => {
    const run = await sync(root, 'staging');
    expect(run.code, run.stderr).toBe(0);
    expect(run.result.ok).toBe(true);
    commit = run.result.commit;
    recordTiming(`unseen definition set (${run.result.applications} Applications): commit to all Synced/Healthy`, run.result.seconds);
    const apps = await applications(cluster, 'devfleet.dev/cluster=staging', 'gitops');
    expect(apps).toHaveLength(run.result.applications);
    expect(apps.every((a) => a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy')).toBe(true);
  });

  it('GIVEN ledger of aiko asleep WHEN `devfleet up ledger --wait` runs THEN its Pod is Ready and 30 s later Argo CD has left it at 1, Synced', async () => {
    process.env.KUBECONFIG = cluster.kubeconfigs.admin;
    try {
      const up = await runCli('up', 'ledger', '--root', root, '--cluster', 'staging', '--developer', 'aiko', '--wait', '--timeout', '3m');
      expect(up.code, up.stderr).toBe(0);
      const status = await runCli('status', '--root', root, '--cluster', 'staging', '--developer', 'aiko', '--json');
      expect(status.code, status.stderr).toBe(0);
      expect((JSON.parse(status.stdout) as { project: string; status: string }[]).find((r) => r.project === 'ledger')?.status).toBe('awake');
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
    const ready = await kubectlOk(cluster, 'admin', ['get', 'pods', '-n', 'env-aiko', '-l', 'app.kubernetes.io/instance=ledger', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}']);
    expect(ready).toBe('True');
    await sleep(30_000);
    expect(await kubectlOk(cluster, 'admin', ['get', 'deployment', 'ledger', '-n', 'env-aiko', '-o', 'jsonpath={.spec.replicas}'])).toBe('1');
    const app = await application(cluster, 'ledger--aiko', 'gitops');
    expect({ sync: app.status?.sync?.status, health: app.status?.health?.status, revision: app.status?.sync?.revision }).toEqual({ sync: 'Synced', health: 'Healthy', revision: commit });
  });

  it('GIVEN ivo has envs with persistent volumes WHEN ivo leaves the cluster definition THEN their Applications and Deployments go, their PVCs and namespace stay', async () => {
    const pvcs = await names(cluster, 'persistentvolumeclaims', 'env-ivo');
    expect(pvcs.length).toBeGreaterThan(0);
    expect((await names(cluster, 'deployments', 'env-ivo')).length).toBeGreaterThan(0);
    // ivo leaves: out of the cluster definition and out of media-worker's list of developers.
    editYaml(join(root, 'clusters', 'staging.yaml'), (doc) => {
      doc.developers = (doc.developers as { name: string }[]).filter((d) => d.name !== 'ivo');
    });
    const mediaWorker = join(root, 'projects', 'media-worker.json');
    const project = JSON.parse(readFileSync(mediaWorker, 'utf8')) as { developers: string[] };
    expect(project.developers).toContain('ivo');
    writeFileSync(mediaWorker, JSON.stringify({ ...project, developers: project.developers.filter((d) => d !== 'ivo') }, null, 2));
    const run = await sync(root, 'staging');
    expect(run.code, run.stderr).toBe(0);
    const apps = await applications(cluster, 'devfleet.dev/cluster=staging', 'gitops');
    expect(apps.filter((a) => a.metadata.labels?.['devfleet.dev/developer'] === 'ivo')).toEqual([]);
    expect(await names(cluster, 'deployments', 'env-ivo')).toEqual([]);
    expect(await names(cluster, 'persistentvolumeclaims', 'env-ivo')).toEqual(pvcs);
    expect(await exists(cluster, 'namespace', 'env-ivo')).toBe(true);
  });
});
