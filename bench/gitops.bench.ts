/**
 * `npm run bench:gitops [-- --sizes 100,300,1000] [--developers 20] [--argocd-settings fleet|defaults] [--shards N]`: how long a generated fleet
 * takes to converge on the local harness (scripts/cluster.ts `gitops` profile: a real API server,
 * kwok nodes, Argo CD v3.6.1 with the platform's fleet settings), as users wait for it.
 *
 * For each size, in a fresh cluster of its own: (1) cold: the fleet (size / developers projects x
 * developers, bench/make-fleet.ts) from its commit to every Application Synced and Healthy;
 * (2) one project changed (its image): from that commit to its envs Synced and Healthy at it, and
 * to every Application at it; the repo-server's Helm runs for each commit (its log: every
 * `helm template`); the stack's peak memory (the sum of its processes' RSS, sampled every second).
 * `--argocd-settings defaults` runs Argo CD with its own defaults instead of the platform's fleet
 * settings (generators/cluster/argocd-settings.ts), to measure what those change. `--shards N` sets
 * the cluster definition's `argocd.shards` (the harness runs at most 2 application controllers);
 * each controller's peak memory is reported beside the stack's.
 * Prints a Markdown table (bench/README.md "GitOps" quotes it) with the date and the load average.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { apiGet, clusterDown, clusterUp, memoryKiB } from '../scripts/cluster.ts';
import type { ArgocdSettingsChoice } from '../scripts/cluster/local-cluster.ts';
import { repoServerHelmRuns } from '../scripts/cluster/argocd.ts';
import { clusterSync } from '../scripts/cluster-sync.ts';
import { projectName, writeFleet } from './make-fleet.ts';

interface Row {
  envs: number;
  coldSeconds: number;
  coldHelmRuns: number;
  changedEnvs: number;
  changedEnvsSeconds: number;
  allAtCommitSeconds: number;
  changeHelmRuns: number;
  peakMiB: number;
  /** Each application controller's peak RSS, shard 0 first. */
  controllerPeakMiB: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stderr.write(`bench:gitops: ${line}\n`);

function args(): { sizes: number[]; developers: number; settings: ArgocdSettingsChoice; shards: number | undefined } {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (value('--sizes') ?? '100,300,1000').split(',').map(Number);
  const developers = Number(value('--developers') ?? '20');
  if (sizes.some((s) => !Number.isInteger(s) || s <= 0 || s % developers !== 0)) throw new Error(`--sizes must be multiples of --developers (${developers}): ${sizes.join(',')}`);
  const settings = value('--argocd-settings') ?? 'fleet';
  if (settings !== 'fleet' && settings !== 'defaults') throw new Error(`--argocd-settings must be fleet or defaults, not ${settings}`);
  const shards = value('--shards') === undefined ? undefined : Number(value('--shards'));
  if (shards !== undefined && !(shards === 1 || shards === 2)) throw new Error(`--shards must be 1 or 2 (the harness runs at most 2 application controllers), not ${value('--shards')}`);
  return { sizes, developers, settings, shards };
}

interface App {
  metadata: { name: string };
  status?: { sync?: { status?: string; revision?: string }; health?: { status?: string } };
}

async function measure(envs: number, developers: number, settings: ArgocdSettingsChoice, shards: number | undefined): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'devfleet-bench-gitops-'));
  const root = mkdtempSync(join(tmpdir(), 'devfleet-bench-fleet-'));
  let peakKiB = 0;
  const controllerPeakKiB = [0, 0];
  const sampler = setInterval(() => {
    try {
      const rss = memoryKiB(dir);
      peakKiB = Math.max(peakKiB, Object.values(rss).reduce((a, b) => a + (b ?? 0), 0));
      controllerPeakKiB[0] = Math.max(controllerPeakKiB[0]!, rss['argocd-application-controller'] ?? 0);
      controllerPeakKiB[1] = Math.max(controllerPeakKiB[1]!, rss['argocd-application-controller-1'] ?? 0);
    } catch {
      // a process exited between listing and reading
    }
  }, 1000);
  try {
    log(`${envs} envs: starting a cluster in ${dir}`);
    const cluster = await clusterUp({ dir, profile: 'gitops', log, argocdSettings: settings });
    writeFleet(root, { projects: envs / developers, developers }, shards === undefined ? {} : { shards });

    let helm = repoServerHelmRuns(cluster);
    const cold = await clusterSync({ root, cluster: 'fleet', dir, timeoutSeconds: 3600, log });
    if (!cold.ok) throw new Error(`cold sync of ${envs} envs did not converge: ${cold.notReady.length} not ready`);
    const coldHelmRuns = helm().length;
    log(`${envs} envs: cold ${cold.seconds} s, ${coldHelmRuns} Helm runs`);

    // One project changes: its image.
    const changed = projectName(0);
    const file = join(root, 'projects', `${changed}.yaml`);
    const doc = parse(readFileSync(file, 'utf8')) as { containers: { image: string }[] };
    doc.containers[0]!.image = 'nginx:1.28';
    writeFileSync(file, stringify(doc));
    helm = repoServerHelmRuns(cluster);
    let commit = '';
    let committedAt = 0;
    let changedAt = 0;
    const watch = (async () => {
      while (!changedAt) {
        await sleep(500);
        if (!commit) continue;
        const { status, body } = await apiGet(cluster, `/apis/argoproj.io/v1alpha1/namespaces/${cluster.argocd!.namespace}/applications?labelSelector=devfleet.dev%2Fproject%3D${changed}`).catch(() => ({ status: 0, body: '' }));
        if (status !== 200) continue;
        const apps = (JSON.parse(body) as { items: App[] }).items;
        if (apps.length === developers && apps.every((a) => a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy' && a.status.sync.revision?.startsWith(commit))) changedAt = Date.now();
      }
    })();
    const change = await clusterSync({
      root,
      cluster: 'fleet',
      dir,
      timeoutSeconds: 3600,
      log: (line) => {
        const m = /^committed clusters\/fleet\/ as ([0-9a-f]{12})/.exec(line);
        if (m) {
          commit = m[1]!;
          committedAt = Date.now();
        }
        log(line);
      },
    });
    if (!change.ok) throw new Error(`the one-project change at ${envs} envs did not converge`);
    await Promise.race([watch, sleep(60_000)]);
    const row: Row = {
      envs,
      coldSeconds: cold.seconds,
      coldHelmRuns,
      changedEnvs: developers,
      changedEnvsSeconds: changedAt ? Math.round((changedAt - committedAt) / 100) / 10 : NaN,
      allAtCommitSeconds: change.seconds,
      changeHelmRuns: helm().length,
      peakMiB: Math.round(peakKiB / 1024),
      controllerPeakMiB: controllerPeakKiB.filter((k) => k > 0).map((k) => Math.round(k / 1024)),
    };
    log(JSON.stringify(row));
    return row;
  } finally {
    clearInterval(sampler);
    await clusterDown({ dir, log });
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { sizes, developers, settings, shards } = args();
  const rows: Row[] = [];
  const load: string[] = [];
  for (const envs of sizes) {
    load.push(loadavg().map((l) => l.toFixed(1)).join(' '));
    rows.push(await measure(envs, developers, settings, shards));
  }
  const lines = [
    `${new Date().toISOString().slice(0, 10)}, Argo CD with ${settings === 'fleet' ? 'the fleet settings' : 'its defaults'}, ${developers} developers, 3-container Pods, ${shards === undefined ? 'the default shard count' : `argocd.shards ${shards}`}, load average (1/5/15 min) at each start: ${load.join('; ')}`,
    '',
    '| envs | commit -> all Synced/Healthy (cold) | Helm runs (cold) | one project changed: its envs Synced at the commit | ... every Application at the commit | Helm runs for that commit | stack peak memory | application controllers\' peak memory |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.envs} | ${r.coldSeconds} s (${(r.coldSeconds / r.envs).toFixed(2)} s/env) | ${r.coldHelmRuns} | ${r.changedEnvsSeconds} s (${r.changedEnvs} envs) | ${r.allAtCommitSeconds} s | ${r.changeHelmRuns} | ${(r.peakMiB / 1024).toFixed(1)} GiB | ${r.controllerPeakMiB.map((m) => `${(m / 1024).toFixed(1)} GiB`).join(' + ')} |`),
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:gitops: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
