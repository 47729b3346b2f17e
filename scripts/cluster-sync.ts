/**
 * `npm run -s cluster:sync -- --root DIR --cluster NAME [--timeout SECONDS] [--dir .cluster] [--json]`
 *
 * Publishes DIR's generated tree to the local cluster's Argo CD (`npm run cluster:up`) the way a
 * merge to the real repository would, and waits for the result:
 *
 * 1. `devfleet synth --root DIR --cluster NAME` (the tree is generated, as CI checks it is).
 * 2. `clusters/<NAME>/` is committed into the local bare repository that stands for the cluster's
 *    `argocd.repoURL` (read from the generated bootstrap), on its `targetRevision` branch. Nothing
 *    in the tree changes: the repo-server's git config maps the real URL to the local repository
 *    (`url.file://<local>.insteadOf <repoURL>`; tools/argocd/main.go covers `ls-remote`).
 * 3. `clusters/<NAME>/bootstrap/root.yaml` is applied (what terraform/ does once on EKS) and the
 *    Applications are asked to refresh as Argo CD's Git webhook would ask them: first only those
 *    whose manifest paths the commit touched (refreshedByWebhook); the others, which the webhook
 *    leaves to their next periodic reconciliation (no Helm run: their manifests are unchanged),
 *    once those are Synced, so that the wait below ends with every Application at the commit.
 * 4. It waits until every Application of the tree exists, is Synced to the new commit and Healthy,
 *    and no Application of the cluster that the tree no longer has is left (Argo CD pruned it).
 *
 * Exit 0 with one line saying how long that took after the commit; exit 1 listing every Application
 * that is not there yet and why (its sync and health status, Argo CD's conditions and its last
 * operation's message); exit 2 on usage errors. `--json` prints a summary object on stdout instead.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CustomObjectsApi, KubeConfig, makeInformer, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { ANNOTATIONS, ARGOCD_ANNOTATIONS, LABELS } from '../generators/plan/labels.ts';
import { clusterDir, TREE, tfvarsFile } from '../generators/plan/layout.ts';
import { apiGet, DEFAULT_DIR, kubectlRun, readState, useArgocdNamespace, useArgocdShards, type LocalCluster } from './cluster.ts';
import { apiRequest } from './cluster/client.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SyncOptions {
  root: string;
  cluster: string;
  /** Seconds to wait for Synced/Healthy (default 600). */
  timeoutSeconds?: number;
  /** The local cluster's directory (default .cluster/). */
  dir?: string;
  log?: (line: string) => void;
}

export interface AppState {
  name: string;
  sync: string;
  health: string;
  revision: string;
  /** Why it is not Synced/Healthy yet, from Argo CD's status (empty when it is). */
  reasons: string[];
}

export interface SyncResult {
  ok: boolean;
  commit: string;
  /** Whether this run made a new commit (false: the tree was already published). */
  committed: boolean;
  /** Seconds from the commit to every Application Synced and Healthy (or to the timeout). */
  seconds: number;
  applications: number;
  /** Applications not Synced/Healthy at the commit, or still present though the tree dropped them. */
  notReady: AppState[];
}

interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { source?: { repoURL?: string; targetRevision?: string } };
}

interface Application {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec?: { source?: { path?: string }; sources?: { path?: string }[] };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    conditions?: { type: string; message: string }[];
    operationState?: { phase?: string; message?: string; syncResult?: { resources?: { kind: string; name: string; namespace?: string; status?: string; message?: string; hookPhase?: string }[] } };
    resources?: { kind: string; name: string; namespace?: string; status?: string; health?: { status?: string; message?: string } }[];
  };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(entry) ? [path] : [];
    });
}

function objectsIn(files: readonly string[]): KubeObject[] {
  return files.flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as KubeObject | null)).filter((o): o is KubeObject => o !== null);
}

function git(args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync('git', args, { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env } });
  if (r.error) throw new Error(`git could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * The host and path of a git URL as git and go-git read it: https://host/path, ssh://[user@]host[:port]/path,
 * git://host/path, or scp-like [user@]host:path.
 */
export function hostAndPath(repoURL: string): { host: string; path: string } {
  const scp = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.+)$/.exec(repoURL);
  const { host, path } = scp && !repoURL.includes('://') ? { host: scp[1]!, path: scp[2]! } : (() => {
    const url = new URL(repoURL);
    return { host: url.hostname, path: decodeURIComponent(url.pathname) };
  })();
  const clean = path.replace(/^\/+/, '');
  if (!host || !clean || clean.split('/').some((p) => p === '..' || p === '.' || p === '')) throw new Error(`cannot map repoURL ${repoURL} to a local repository`);
  return { host, path: clean };
}

/** The bare repository standing for `repoURL`: <gitRoot>/<host>/<path>. */
export function localRepository(cluster: LocalCluster, repoURL: string): string {
  const { host, path } = hostAndPath(repoURL);
  return join(cluster.argocd!.gitRoot, host, path);
}

/**
 * Whether Argo CD's Git webhook refreshes `app` for a push that changed `changedFiles` (paths from
 * the repository root): the pinned Argo CD's (tools/versions.env) GetSourceRefreshPaths and
 * AppFilesHaveChanged (https://github.com/argoproj/argo-cd/blob/master/util/app/path/path.go).
 * With no list of changed files, or no manifest-generate-paths annotation, every Application is
 * refreshed; otherwise one whose paths (relative to its source path, or
 * absolute from the repository root; `;`-separated) hold a changed file. Argo CD also reads a path
 * as a glob (filepath.Match); devfleet generates none (generators/cluster/argocd.ts), so a glob
 * character is refused here rather than read differently.
 */
export function refreshedByWebhook(app: Pick<Application, 'metadata' | 'spec'>, changedFiles: readonly string[]): boolean {
  const annotation = app.metadata.annotations?.[ANNOTATIONS.manifestGeneratePaths];
  if (changedFiles.length === 0 || !annotation) return true;
  const sources = app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);
  const paths = sources.flatMap((source) =>
    annotation.split(';').map((item) => item.trim()).filter(Boolean).map((item) => {
      if (/[*?[\\]/.test(item)) throw new Error(`Application ${app.metadata.name}: manifest-generate-paths "${item}" is a glob, which the harness does not read`);
      return item.startsWith('/') ? posix.normalize(item.slice(1)) : posix.join(source.path ?? '', item);
    }),
  );
  if (paths.length === 0) return true;
  return changedFiles.some((file) => paths.some((p) => p === '.' || file === p || file.startsWith(`${p.replace(/\/$/, '')}/`)));
}

/** Commits the generated tree of cluster <name> (plan/layout.ts clusterDir) of root into the local repository; returns the commit and whether it is new. */
function publish(cluster: LocalCluster, root: string, name: string, repoURL: string, branch: string, log: (l: string) => void): { commit: string; committed: boolean; changedFiles: string[] } {
  const repo = localRepository(cluster, repoURL);
  if (!existsSync(join(repo, 'HEAD'))) {
    mkdirSync(repo, { recursive: true });
    git(['init', '--quiet', '--bare', `--initial-branch=${branch}`, repo]);
    log(`created the local repository ${repo} for ${repoURL}`);
  }
  // The repo-server's git (clone, fetch) reads the real URL as the local repository.
  const config = cluster.argocd!.gitConfig;
  git(['config', '--file', config, '--replace-all', `url.file://${repo}.insteadOf`, repoURL]);
  // One index per repository, kept between runs: other clusters' folders in it stay as published.
  const env = { GIT_INDEX_FILE: join(repo, 'devfleet-harness.index'), GIT_DIR: repo, GIT_WORK_TREE: resolve(root) };
  const ref = `refs/heads/${branch}`;
  const parent = spawnSync('git', ['rev-parse', '--verify', '--quiet', ref], { encoding: 'utf8', env: { ...process.env, GIT_DIR: repo } }).stdout.trim();
  git(['add', '--all', '--', clusterDir(name)], env);
  const tree = git(['write-tree'], env);
  if (parent && git(['rev-parse', `${parent}^{tree}`], env) === tree) {
    log(`${clusterDir(name)}/ is already published at ${parent.slice(0, 12)} (${repoURL} ${branch})`);
    return { commit: parent, committed: false, changedFiles: [] };
  }
  const identity = { GIT_AUTHOR_NAME: 'devfleet cluster:sync', GIT_AUTHOR_EMAIL: 'cluster-sync@devfleet.invalid', GIT_COMMITTER_NAME: 'devfleet cluster:sync', GIT_COMMITTER_EMAIL: 'cluster-sync@devfleet.invalid' };
  const commit = git(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', `${clusterDir(name)}/ from ${resolve(root)}`], { ...env, ...identity });
  git(['update-ref', ref, commit, ...(parent ? [parent] : [])], env);
  log(`committed ${clusterDir(name)}/ as ${commit.slice(0, 12)} on ${branch} of the local ${repoURL}`);
  // What GitHub's push event lists (commits[].added/modified/removed): none for a first commit.
  const changedFiles = parent ? git(['diff', '--name-only', '--no-renames', parent, commit], { GIT_DIR: repo }).split('\n').filter(Boolean) : [];
  return { commit, committed: true, changedFiles };
}

/**
 * Every Application of Argo CD's namespace, kept current by a watch (@kubernetes/client-node's
 * informer: one list, then only the changes). Listing them every second instead made the API
 * server encode them all each time: about 13 KB per env Application with its status, 13 MB a
 * second at 1,000 envs, on the same 2 CPUs that serve Argo CD's own writes. A failed list or a
 * broken watch is said once and started again after 1 s until `deadline`; `list()` then returns
 * what was last seen.
 */
async function watchApplications(cluster: LocalCluster, deadline: number, log: (line: string) => void): Promise<{ list: () => readonly Application[]; stop: () => Promise<void> }> {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigs.admin);
  const api = kc.makeApiClient(CustomObjectsApi);
  const namespace = cluster.argocd!.namespace;
  let listed = false;
  let stopped = false;
  let failing = false;
  const informer = makeInformer<Application & KubernetesObject>(kc, `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/applications`, async () => {
    // From the API server's watch cache (resourceVersion=0): no etcd read.
    const list = (await api.listNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'applications', resourceVersion: '0' })) as KubernetesListObject<Application & KubernetesObject>;
    listed = true;
    return list;
  });
  informer.on('connect', () => {
    if (failing) log('watching Applications again');
    failing = false;
  });
  informer.on('error', (error: unknown) => {
    if (stopped) return;
    if (!failing) log(`watching Applications failed (${error instanceof Error ? error.message : String(error)}); trying again every second`);
    failing = true;
    setTimeout(() => {
      if (!stopped) void informer.start();
    }, 1_000);
  });
  await informer.start();
  while (!listed && Date.now() < deadline) await sleep(200);
  if (!listed) throw new Error(`could not list the Applications of namespace ${namespace} before the deadline`);
  return {
    list: () => informer.list(namespace),
    stop: async () => {
      stopped = true;
      await informer.stop();
    },
  };
}

/** Why an Application is not Synced and Healthy at `commit`, in Argo CD's words; empty when it is. */
export function reasonsOf(app: Application | undefined, commit: string): string[] {
  if (!app) return ['not created yet (its parent Application has not synced it)'];
  const s = app.status ?? {};
  const reasons: string[] = [];
  if (app.metadata.deletionTimestamp) reasons.push('being deleted');
  if (s.sync?.status !== 'Synced') reasons.push(`sync ${s.sync?.status ?? 'unknown'}`);
  if (s.sync?.revision !== commit) reasons.push(`at revision ${s.sync?.revision ? s.sync.revision.slice(0, 12) : 'none'}, not ${commit.slice(0, 12)}`);
  if (s.health?.status !== 'Healthy') reasons.push(`health ${s.health?.status ?? 'unknown'}${s.health?.message ? ` (${s.health.message})` : ''}`);
  if (reasons.length === 0) return [];
  for (const c of s.conditions ?? []) reasons.push(`${c.type}: ${c.message}`);
  if (s.operationState?.phase && s.operationState.phase !== 'Succeeded') reasons.push(`last operation ${s.operationState.phase}: ${s.operationState.message ?? ''}`.trim());
  for (const r of s.resources ?? []) {
    if (r.status !== 'Synced' || (r.health?.status && r.health.status !== 'Healthy')) reasons.push(`${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${r.status ?? ''}${r.health?.status ? ` ${r.health.status}` : ''}${r.health?.message ? ` (${r.health.message})` : ''}`);
  }
  return reasons;
}

/**
 * Asks Argo CD to refresh the Applications now (the annotation its UI and CLI set), 16 requests at a
 * time: `kubectl annotate` of a fleet's names patched them one after another, which took minutes
 * for 1,000 Applications on a busy API server while this loop waited.
 */
async function refresh(cluster: LocalCluster, names: readonly string[], log: (line: string) => void): Promise<void> {
  const patch = { metadata: { annotations: { [ARGOCD_ANNOTATIONS.refresh]: 'normal' } } };
  const queue = [...names];
  const failed: string[] = [];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const path = `/apis/argoproj.io/v1alpha1/namespaces/${cluster.argocd!.namespace}/applications/${encodeURIComponent(name)}`;
      const { status, body } = await apiRequest(cluster, 'PATCH', path, patch, 30_000).catch((error: Error) => ({ status: 0, body: error.message }));
      if (status !== 200) failed.push(`${name} (${status ? `HTTP ${status} ` : ''}${body.slice(0, 200)})`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, names.length) }, worker));
  // A busy API server or an Application deleted meanwhile: the next round asks again.
  if (failed.length > 0) log(`asking ${failed.length} of ${names.length} Applications to refresh failed, e.g. ${failed[0]}; asking again in 10 s`);
}

export async function clusterSync(options: SyncOptions): Promise<SyncResult> {
  const log = options.log ?? (() => {});
  const dir = resolve(options.dir ?? DEFAULT_DIR);
  const root = resolve(options.root);
  let cluster = readState(dir);
  if (!cluster) throw new Error(`no local cluster in ${dir}: run \`npm run cluster:up\` first`);
  if (!cluster.argocd) throw new Error(`the cluster in ${dir} runs the ${cluster.profile} profile, without Argo CD: run \`npm run cluster:down && npm run cluster:up\``);
  const ready = await apiGet(cluster, '/readyz').catch((e: unknown) => ({ status: 0, body: String(e) }));
  if (ready.status !== 200) throw new Error(`the local cluster in ${dir} does not answer (${ready.body.trim()}): run \`npm run cluster:up\``);

  log(`generating ${join(root, clusterDir(options.cluster))}/ (devfleet synth)`);
  const synth = await new Promise<{ code: number; out: string }>((ok) => {
    execFile(process.execPath, [join(REPO, 'bin', 'devfleet.js'), 'synth', '--root', root, '--cluster', options.cluster], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      ok({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
  if (synth.code !== 0) throw new Error(`devfleet synth --root ${root} --cluster ${options.cluster} failed:\n${synth.out}`);
  log(synth.out.trim());

  const tree = join(root, clusterDir(options.cluster));
  const bootstrapFile = join(tree, TREE.bootstrap);
  const bootstrap = objectsIn([bootstrapFile]);
  const roots = bootstrap.filter((o) => o.kind === 'Application');
  const sources = [...new Set(roots.map((o) => `${o.spec?.source?.repoURL ?? ''} ${o.spec?.source?.targetRevision ?? ''}`))];
  if (roots.length === 0 || sources.length !== 1) throw new Error(`${bootstrapFile}: expected root Applications with one repoURL and targetRevision, found ${sources.join(', ') || 'none'}`);
  const [repoURL, targetRevision] = sources[0]!.split(' ') as [string, string];
  const namespaces = [...new Set(roots.map((o) => o.metadata?.namespace ?? 'argocd'))];
  if (namespaces.length !== 1) throw new Error(`${bootstrapFile}: root Applications in several namespaces (${namespaces.join(', ')})`);
  cluster = await useArgocdNamespace(cluster, namespaces[0]!, log);
  // The application controllers and shard clusters, from the inputs Terraform gets on EKS.
  const tfvars = JSON.parse(readFileSync(join(root, tfvarsFile(options.cluster)), 'utf8')) as { argocd: { shard_clusters?: { name: string; shard: string }[] } };
  cluster = await useArgocdShards(cluster, tfvars.argocd.shard_clusters ?? [], log);
  const branch = !targetRevision || targetRevision === 'HEAD' ? 'main' : targetRevision;

  const expected = new Set([...roots, ...objectsIn(yamlFiles(join(tree, TREE.apps)))].filter((o) => o.kind === 'Application').map((o) => o.metadata!.name!));
  const { commit, committed, changedFiles } = publish(cluster, root, options.cluster, repoURL, branch, log);
  const committedAt = Date.now();

  log(`applying ${bootstrapFile}`);
  await kubectlRun(cluster, ['apply', '--server-side', '--force-conflicts', '--field-manager=devfleet-bootstrap', '-f', bootstrapFile]);

  const timeoutMs = (options.timeoutSeconds ?? 600) * 1000;
  const deadline = committedAt + timeoutMs;
  const ofCluster = (a: Application) => a.metadata.labels?.[LABELS.cluster] === options.cluster;
  let lastProgress = 0;
  let lastRefresh = 0;
  let othersAsked = false;
  const watch = await watchApplications(cluster, deadline, log);
  try {
    for (;;) {
      const apps = watch.list();
      const byName = new Map(apps.map((a) => [a.metadata.name, a]));
      const notReady: AppState[] = [];
      for (const name of [...expected].sort()) {
        const app = byName.get(name);
        const reasons = reasonsOf(app, commit);
        if (reasons.length) notReady.push({ name, sync: app?.status?.sync?.status ?? 'missing', health: app?.status?.health?.status ?? 'missing', revision: app?.status?.sync?.revision ?? '', reasons });
      }
      for (const app of apps.filter((a) => ofCluster(a) && !expected.has(a.metadata.name))) {
        notReady.push({ name: app.metadata.name, sync: app.status?.sync?.status ?? '', health: app.status?.health?.status ?? '', revision: app.status?.sync?.revision ?? '', reasons: ['no longer in the tree, not pruned yet'] });
      }
      const seconds = Math.round((Date.now() - committedAt) / 100) / 10;
      if (notReady.length === 0) return { ok: true, commit, committed, seconds, applications: expected.size, notReady };
      if (Date.now() > deadline) return { ok: false, commit, committed, seconds, applications: expected.size, notReady };
      // Existing Applications behind the commit are asked to refresh (new ones start at it): those
      // the webhook refreshes first; the others as soon as those are Synced (see the header). Those
      // still behind are asked again every 10 s.
      const waiting = notReady.some((a) => { const app = byName.get(a.name); return !app || refreshedByWebhook(app, changedFiles); });
      if (Date.now() - lastRefresh > 10_000 || (!waiting && !othersAsked)) {
        lastRefresh = Date.now();
        othersAsked ||= !waiting;
        // Not those still carrying the annotation: they were asked and Argo CD has not got to them yet
        // (it removes the annotation once it has compared the Application again).
        const behind = notReady.filter((a) => byName.has(a.name) && a.revision !== commit).map((a) => byName.get(a.name)!).filter((a) => !a.metadata.annotations?.[ARGOCD_ANNOTATIONS.refresh]);
        await refresh(cluster, (waiting ? behind.filter((a) => refreshedByWebhook(a, changedFiles)) : behind).map((a) => a.metadata.name), log);
      }
      if (Date.now() - lastProgress > 10_000) {
        lastProgress = Date.now();
        log(`${seconds} s: ${expected.size - notReady.filter((a) => expected.has(a.name)).length}/${expected.size} Applications Synced and Healthy; waiting for ${notReady.slice(0, 5).map((a) => `${a.name} (${a.reasons[0]})`).join(', ')}${notReady.length > 5 ? `, and ${notReady.length - 5} more` : ''}`);
      }
      // The watch keeps the list current: looking at it costs the API server nothing.
      await sleep(250);
    }
  } finally {
    await watch.stop();
  }
}

function usage(message: string): number {
  process.stderr.write(`cluster:sync: ${message}\nusage: npm run -s cluster:sync -- --root DIR --cluster NAME [--timeout SECONDS] [--dir .cluster] [--json]\n`);
  return 2;
}

async function cli(argv: string[]): Promise<number> {
  const values: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (['--root', '--cluster', '--timeout', '--dir'].includes(arg)) {
      const value = argv[++i];
      if (value === undefined) return usage(`${arg} needs a value`);
      values[arg.slice(2)] = value;
    } else return usage(`unknown argument ${arg}`);
  }
  if (!values.root || !values.cluster) return usage('--root and --cluster are required');
  const timeout = values.timeout === undefined ? 600 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) return usage(`--timeout must be a positive number of seconds, not ${values.timeout}`);
  const log = (line: string) => process.stderr.write(`cluster:sync: ${line}\n`);
  const result = await clusterSync({ root: values.root, cluster: values.cluster, timeoutSeconds: timeout, ...(values.dir ? { dir: values.dir } : {}), log });
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (result.ok) {
    if (!json) process.stdout.write(`all ${result.applications} Applications of ${values.cluster} Synced and Healthy at ${result.commit.slice(0, 12)}, ${result.seconds} s after the commit\n`);
    return 0;
  }
  process.stderr.write(`cluster:sync: ${result.notReady.length} Application(s) not Synced and Healthy at ${result.commit.slice(0, 12)} after ${result.seconds} s:\n`);
  for (const a of result.notReady) process.stderr.write(`  ${a.name}: ${a.reasons.join('; ')}\n`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`cluster:sync: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
