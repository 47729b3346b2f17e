/**
 * `npm run cluster:sync` against the local Argo CD: the bundled examples and a generated fleet of
 * 210 envs reach Synced/Healthy (the time from the commit to all-synced is recorded in
 * .vitest/e2e-timings.jsonl and printed), a sync that cannot finish in time exits 1 naming every
 * Application that is not there and why, and re-publishing an unchanged tree makes no commit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { copyOfExamples, tempRoot } from '../helpers/fixtures.ts';
import { eventually } from '../integration/kube.ts';
import { writeFleet } from '../helpers/make-fleet.ts';
import { applications, e2eCluster, editYaml, kubectlOk, names, recordTiming, stackMemoryMiB, sync } from './harness.ts';

let cluster: LocalCluster;
beforeAll(() => {
  cluster = e2eCluster();
});

describe('the bundled examples', () => {
  let root: string;

  it('GIVEN a copy of this repository WHEN cluster:sync publishes clusters/dev THEN it exits 0 with every Application (root and 18 envs) Synced and Healthy at the commit', async () => {
    root = copyOfExamples();
    const run = await sync(root, 'dev');
    expect(run.code, run.stderr).toBe(0);
    // (Another file of the run may have published the same tree already: `committed` is not asserted.)
    expect(run.result).toMatchObject({ ok: true, applications: 19, notReady: [] });
    recordTiming('bundled examples (19 Applications): commit to all Synced/Healthy', run.result.seconds, { stackRssMiB: stackMemoryMiB() });

    const apps = await applications(cluster, 'devfleet.dev/cluster=dev');
    expect(apps).toHaveLength(19);
    for (const app of apps) {
      expect({ name: app.metadata.name, sync: app.status?.sync?.status, health: app.status?.health?.status, revision: app.status?.sync?.revision }).toEqual({
        name: app.metadata.name,
        sync: 'Synced',
        health: 'Healthy',
        revision: run.result.commit,
      });
    }
    // What the envs installed: alice's four Deployments, asleep.
    expect(await names(cluster, 'deployments', 'dev-alice')).toEqual(['docs', 'my-app', 'notes-api', 'shop']);
    expect(await kubectlOk(cluster, 'admin', ['get', 'deployments', '-n', 'dev-alice', '-o', 'jsonpath={.items[*].spec.replicas}'])).toBe('0 0 0 0');
  });

  it('GIVEN the same tree WHEN cluster:sync runs again THEN it makes no commit and exits 0 at once', async () => {
    const run = await sync(root, 'dev');
    expect(run.code, run.stderr).toBe(0);
    expect(run.result.committed).toBe(false);
    expect(run.stderr).toContain('is already published');
  });

  it('GIVEN a changed project WHEN cluster:sync may not wait long enough THEN it exits 1 listing each Application still behind and why', async () => {
    // A new project: its envs' Applications must first be created by the root app and then sync,
    // which no Argo CD does within a second (a changed chart alone could converge before the first
    // check on a busy machine).
    const changed = copyOfExamples();
    editYaml(join(changed, 'projects', 'docs.yaml'), (doc) => {
      doc.description = `${String(doc.description)} (changed by the e2e test)`;
    });
    writeFileSync(join(changed, 'projects', 'handbook.yaml'), readFileSync(join(changed, 'projects', 'docs.yaml'), 'utf8').replace(/^name: docs$/m, 'name: handbook').replace(/^(\s+- host: )docs$/m, '$1handbook'));
    const run = await sync(changed, 'dev', { timeoutSeconds: 1 });
    expect(run.code).toBe(1);
    expect(run.result.ok).toBe(false);
    const behind = run.result.notReady.map((a) => a.name);
    expect(behind.length).toBeGreaterThan(0);
    for (const a of run.result.notReady) expect(a.reasons.length, a.name).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/Application\(s\) not Synced and Healthy at [0-9a-f]{12} after [\d.]+ s:/);
    expect(run.stderr).toContain(`  ${behind[0]}: `);
    // Given the time, the same commit converges.
    const again = await sync(changed, 'dev');
    expect(again.code, again.stderr).toBe(0);
    expect(again.result.commit).toBe(run.result.commit);
  });
});

describe('a generated fleet of 210 envs (10 projects x 21 developers)', () => {
  const selector = 'devfleet.dev/cluster=fleet';
  let root: string;

  afterAll(async () => {
    // Leave the cluster light for the next files: the root first (it would re-create its children),
    // then the env Applications, whose finalizer deletes what they installed.
    await kubectlOk(cluster, 'admin', ['delete', 'applications.argoproj.io', '-n', 'argocd', 'devfleet-fleet-root', '--ignore-not-found', '--wait=true']);
    await kubectlOk(cluster, 'admin', ['delete', 'applications.argoproj.io', '-n', 'argocd', '-l', selector, '--wait=true', '--timeout=600s']);
  });

  it('GIVEN the fleet WHEN cluster:sync publishes it THEN every one of its 211 Applications (210 envs and the root) is Synced and Healthy', async () => {
    root = tempRoot();
    const { envs } = writeFleet(root, { projects: 10, developers: 21 });
    expect(envs).toBe(210);
    const run = await sync(root, 'fleet', { timeoutSeconds: 1800 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ ok: true, applications: 211, notReady: [] });
    recordTiming('generated fleet, 210 envs (211 Applications): commit to all Synced/Healthy', run.result.seconds, { envs, stackRssMiB: stackMemoryMiB() });
    const apps = await applications(cluster, selector);
    expect(apps.map((a) => a.metadata.name).sort()).toEqual(
      ['devfleet-fleet-root', ...Array.from({ length: 10 }, (_, p) => Array.from({ length: 21 }, (_, d) => `app${String(p).padStart(3, '0')}--dev${String(d).padStart(5, '0')}`)).flat()].sort(),
    );
    // They stay there (a later reconciliation may briefly re-check one: allowed a minute to settle).
    let unsettled: string[] = [];
    await eventually('all 211 still Synced and Healthy', async () => {
      unsettled = (await applications(cluster, selector)).filter((a) => a.status?.sync?.status !== 'Synced' || a.status.health?.status !== 'Healthy' || a.status.sync.revision !== run.result.commit).map((a) => `${a.metadata.name} ${a.status?.sync?.status}/${a.status?.health?.status}`);
      return unsettled.length === 0 ? true : undefined;
    }, 60_000).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${unsettled.join(', ')}`);
    });
    expect(await names(cluster, 'persistentvolumeclaims', 'dev-dev00020')).toHaveLength(10);
  });
});
