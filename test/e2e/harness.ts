/**
 * Helpers of the end-to-end tests: the run's local GitOps cluster (test/e2e/global-setup.ts),
 * `npm run cluster:sync` as a command, Argo CD's Applications, and repository-shaped roots.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { parse, stringify } from 'yaml';
import { memoryKiB, readState, type LocalCluster } from '../../scripts/cluster.ts';
import type { SyncResult } from '../../scripts/cluster-sync.ts';
import { REPO, tempRoot } from '../helpers/fixtures.ts';
import { kubectl, kubectlOk, type Result } from '../integration/kube.ts';

export { kubectl, kubectlOk };

/** The run's cluster (started by the global setup). */
export function e2eCluster(): LocalCluster {
  const dir = inject('e2eClusterDir');
  const cluster = readState(dir);
  if (!cluster?.argocd) throw new Error(`no running gitops cluster in ${dir}: test/e2e/global-setup.ts should have started it`);
  return cluster;
}

/**
 * The harness holds one devfleet cluster at a time. Every devfleet cluster is its own EKS cluster,
 * so its cluster-scoped platform objects (the ClusterRoles, the admission policies) have the same
 * names in every one; two clusters' root Applications here would take them from each other on every
 * sync (SharedResourceWarning) and neither would stay Synced. So before a cluster is synced, the
 * Applications of every other cluster go: the roots first (they would re-create their children),
 * then the env Applications, whose finalizer deletes what they installed (PVCs and namespaces stay).
 */
async function removeOtherClusters(keep: string): Promise<void> {
  const local = e2eCluster();
  const others = `devfleet.dev/cluster,devfleet.dev/cluster!=${keep}`;
  const roots = (await applications(local, others)).map((a) => a.metadata.name).filter((name) => name.endsWith('-root'));
  if (roots.length > 0) await kubectlOk(local, 'admin', ['delete', 'applications.argoproj.io', '-n', argocdNamespace(), ...roots, '--ignore-not-found', '--wait=true', '--timeout=300s']);
  await kubectlOk(local, 'admin', ['delete', 'applications.argoproj.io', '-n', argocdNamespace(), '-l', others, '--wait=true', '--timeout=600s']);
}

/** `npm run -s cluster:sync -- --root ROOT --cluster NAME --json` against the run's cluster, alone in it (removeOtherClusters). */
export async function sync(root: string, cluster: string, options: { timeoutSeconds?: number } = {}): Promise<Result & { result: SyncResult }> {
  await removeOtherClusters(cluster);
  const args = ['tsx', join(REPO, 'scripts', 'cluster-sync.ts'), '--root', root, '--cluster', cluster, '--dir', inject('e2eClusterDir'), '--json', '--timeout', String(options.timeoutSeconds ?? 600)];
  const run = await new Promise<Result>((resolve, reject) => {
    const child = spawn('npx', args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      // Progress lines reach the test log as they come (long syncs).
      process.stderr.write(c);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  let result: SyncResult;
  try {
    result = JSON.parse(run.stdout) as SyncResult;
  } catch {
    throw new Error(`cluster:sync printed no JSON summary (exit ${run.code}):\n${run.stderr}${run.stdout}`);
  }
  return { ...run, result };
}

/** Resident memory of the whole local stack (the sum of its processes' RSS), in MiB. */
export function stackMemoryMiB(): number {
  const kib = Object.values(memoryKiB(inject('e2eClusterDir'))).reduce((a, b) => a + (b ?? 0), 0);
  return Math.round(kib / 1024);
}

/** Records a measured time in .vitest/e2e-timings.jsonl (docs/testing.md and docs/local-cluster.md quote them) and prints it. */
export function recordTiming(what: string, seconds: number, extra: Record<string, unknown> = {}): void {
  mkdirSync(join(REPO, '.vitest'), { recursive: true });
  appendFileSync(join(REPO, '.vitest', 'e2e-timings.jsonl'), `${JSON.stringify({ what, seconds, ...extra, at: new Date().toISOString() })}\n`);
  process.stdout.write(`e2e timing: ${what}: ${seconds} s ${Object.keys(extra).length ? JSON.stringify(extra) : ''}\n`);
}

export interface Application {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { destination: { namespace: string } };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string };
    /** When the controller last compared it with Git (RFC 3339, to the second). */
    reconciledAt?: string;
    history?: { revision?: string; id: number; deployedAt: string }[];
    operationState?: { phase?: string; finishedAt?: string; syncResult?: { revision?: string } };
    /** What Argo CD tracks, extraneous objects (requiresPruning) included. */
    resources?: { kind: string; name: string; namespace?: string; status?: string; requiresPruning?: boolean }[];
  };
}

/** The namespace Argo CD watches now (cluster:sync moves it to the synced definition's argocd.namespace). */
export function argocdNamespace(): string {
  return e2eCluster().argocd!.namespace;
}

export async function applications(cluster: LocalCluster, selector?: string, namespace = argocdNamespace()): Promise<Application[]> {
  const out = await kubectlOk(cluster, 'admin', ['get', 'applications.argoproj.io', '-n', namespace, ...(selector ? ['-l', selector] : []), '-o', 'json']);
  return (JSON.parse(out) as { items: Application[] }).items;
}

export async function application(cluster: LocalCluster, name: string, namespace = argocdNamespace()): Promise<Application> {
  return JSON.parse(await kubectlOk(cluster, 'admin', ['get', 'applications.argoproj.io', name, '-n', namespace, '-o', 'json'])) as Application;
}

/** Names of the objects of a kind in a namespace (empty when none or the namespace is gone). */
export async function names(cluster: LocalCluster, kind: string, namespace: string, selector?: string): Promise<string[]> {
  const out = await kubectlOk(cluster, 'admin', ['get', kind, '-n', namespace, ...(selector ? ['-l', selector] : []), '-o', 'jsonpath={.items[*].metadata.name}']);
  return out.split(' ').filter(Boolean).sort();
}

export async function exists(cluster: LocalCluster, kind: string, name: string, namespace?: string): Promise<boolean> {
  const r = await kubectl(cluster, 'admin', ['get', kind, name, ...(namespace ? ['-n', namespace] : []), '-o', 'name']);
  if (r.code === 0) return true;
  if (/NotFound|not found/.test(r.stderr)) return false;
  throw new Error(`kubectl get ${kind} ${name}: ${r.stderr}`);
}

/** A small YAML fleet (one cluster) written into a fresh root; returns the root. */
export interface FleetSpec {
  cluster: string;
  developers: string[];
  projects: { name: string; image?: string; persistent?: boolean; developers?: string[] | 'all' }[];
  /** The cluster's nightly sleep (HH:MM) and time zone. */
  sleep?: string;
  timeZone?: string;
}

export function writeSmallFleet(root: string, spec: FleetSpec): string {
  mkdirSync(join(root, 'projects'), { recursive: true });
  mkdirSync(join(root, 'clusters'), { recursive: true });
  writeFileSync(
    join(root, 'clusters', `${spec.cluster}.yaml`),
    stringify({
      name: spec.cluster,
      domain: `${spec.cluster}.example.com`,
      timeZone: spec.timeZone ?? 'Asia/Tokyo',
      ...(spec.sleep ? { schedule: { sleep: spec.sleep } } : {}),
      developers: spec.developers.map((name) => ({ name })),
      argocd: { repoURL: `https://git.example.com/e2e/${spec.cluster}.git` },
    }),
  );
  for (const p of spec.projects) {
    writeFileSync(
      join(root, 'projects', `${p.name}.yaml`),
      stringify({
        name: p.name,
        description: `e2e project ${p.name}`,
        containers: [
          { name: 'web', image: p.image ?? 'nginx:1.27', ports: [{ name: 'http', port: 80 }] },
          ...(p.persistent ? [{ name: 'db', image: 'postgres:17', ports: [{ name: 'pg', port: 5432 }], volumes: [{ path: '/var/lib/postgresql/data', persistent: true, size: '1Gi' }] }] : []),
        ],
        routes: [{ host: `${p.name}.example.com`, port: 'http' }],
        developers: p.developers ?? 'all',
      }),
    );
  }
  return root;
}

/** Rewrites a YAML definition in place. */
export function editYaml(file: string, edit: (doc: Record<string, unknown>) => void): void {
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(doc);
  writeFileSync(file, stringify(doc));
}

/** A temp copy of a fixture folder (e.g. test/fixtures/fleet-unseen). */
export function copyFixture(path: string): string {
  const root = tempRoot();
  cpSync(join(REPO, path), root, { recursive: true });
  return root;
}

/** The repo-server's Helm runs from now on (scripts/cluster/argocd.ts): call the result to list them. */
export { repoServerHelmRuns as helmRuns } from '../../scripts/cluster/argocd.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
