/**
 * Helpers of the integration tests: the run's local control plane (scripts/cluster.ts, started by
 * the first file that asks), kubectl as one of its identities, and server-side applies.
 *
 * A control plane that cannot be started FAILS the calling test file (never a skip): the tests
 * need `.tools/bin/kube` (scripts/install-tools.sh --all, run by `npm run test:e2e`), `openssl` and `kubectl`.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { clusterUp, type Identity, type LocalCluster } from '../../scripts/cluster.ts';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { runCli } from '../helpers/cli.ts';

export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

/** This run's control plane, started on first use (all files of the run share it). */
export function localCluster(): Promise<LocalCluster> {
  return clusterUp({ dir: inject('kubeClusterDir') });
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** kubectl from PATH (1.32, as the sleep jobs' image) with an identity's kubeconfig, or any kubeconfig file. */
export function kubectl(cluster: LocalCluster, as: Identity | { kubeconfig: string }, args: readonly string[], input?: string): Promise<Result> {
  const kubeconfig = typeof as === 'string' ? cluster.kubeconfigs[as] : as.kubeconfig;
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (error) => reject(new Error(`kubectl could not run (${error.message}); the integration tests need kubectl 1.32 on PATH`)));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** kubectl that must succeed; its stdout. */
export async function kubectlOk(cluster: LocalCluster, as: Identity | { kubeconfig: string }, args: readonly string[], input?: string): Promise<string> {
  const r = await kubectl(cluster, as, args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** One object to send: its original document text (what Argo CD would apply) and where it goes. */
export interface Manifest {
  readonly object: KubeObject;
  /** The document as generated; the server parses it (YAML 1.1 rules, like kubectl and Argo CD). */
  readonly text: string;
  /** For objects without metadata.namespace: the release namespace Argo CD installs them into. */
  readonly namespace?: string | undefined;
}

export function manifests(text: string, namespace?: (o: KubeObject) => string | undefined): Manifest[] {
  return parseAllDocuments(text).flatMap((d) => {
    const object = d.toJS() as KubeObject | null;
    if (object === null) return [];
    return [{ object, text: text.slice(d.range[0], d.range[2]), namespace: object.metadata.namespace ?? namespace?.(object) }];
  });
}

export const manifestOf = (object: KubeObject): Manifest => ({ object, text: JSON.stringify(object), namespace: object.metadata.namespace });

export function yamlObjects(text: string): KubeObject[] {
  return manifests(text).map((m) => m.object);
}

/** Every document in every .yaml file under a folder, files in sorted order. */
export function treeManifests(dir: string): Manifest[] {
  const out: Manifest[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...treeManifests(path));
    else if (entry.endsWith('.yaml')) out.push(...manifests(readFileSync(path, 'utf8')));
  }
  return out;
}

/**
 * Server-side apply (`kubectl apply --server-side --force-conflicts`, optionally `--dry-run=server`)
 * straight to the API as admin: one PATCH per object, 8 at a time. (kubectl spends about 50 ms of
 * CPU per object; a 1,000-env fleet is 7,000 objects.) Returns the server's message for each
 * rejected object; Pod Security warnings (the namespaces warn on `restricted` by design) are not
 * rejections.
 */
export async function serverSideApply(cluster: LocalCluster, items: readonly Manifest[], options: { dryRun: boolean }): Promise<{ applied: number; rejected: string[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: readFileSync(cluster.caFile) });
  const discovery = new Map<string, Promise<Map<string, { name: string; namespaced: boolean }>>>();
  const resourceOf = (apiVersion: string, kind: string) => {
    let known = discovery.get(apiVersion);
    if (!known) {
      known = api(cluster, agent, 'GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`).then(({ status, body }) => {
        if (status !== 200) throw new Error(`discovery of ${apiVersion}: HTTP ${status} ${body}`);
        const list = JSON.parse(body) as { resources: { name: string; kind: string; namespaced: boolean }[] };
        return new Map(list.resources.filter((r) => !r.name.includes('/')).map((r) => [r.kind, r]));
      });
      discovery.set(apiVersion, known);
    }
    return known.then((m) => m.get(kind));
  };
  let applied = 0;
  const rejected: string[] = [];
  const queue = [...items];
  const worker = async () => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      const { apiVersion, kind, metadata } = m.object;
      const where = `${kind} ${m.namespace ? `${m.namespace}/` : ''}${metadata.name}`;
      const resource = await resourceOf(apiVersion, kind);
      if (!resource) {
        rejected.push(`${where}: the server does not serve ${kind} in ${apiVersion}`);
        continue;
      }
      if (resource.namespaced && !m.namespace) {
        rejected.push(`${where}: namespaced, but no namespace`);
        continue;
      }
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const path = `${base}${resource.namespaced ? `/namespaces/${m.namespace}` : ''}/${resource.name}/${encodeURIComponent(metadata.name)}`;
      const query = `?fieldManager=devfleet-test&force=true${options.dryRun ? '&dryRun=All' : ''}`;
      const { status, body } = await api(cluster, agent, 'PATCH', path + query, m.text, 'application/apply-patch+yaml');
      if (status === 200 || status === 201) applied++;
      else rejected.push(`${where}: ${statusMessage(body) ?? `HTTP ${status} ${body}`}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: 8 }, worker));
  } finally {
    agent.destroy();
  }
  return { applied, rejected };
}

/** The message of a v1 Status answer. */
function statusMessage(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { message?: string }).message;
  } catch {
    return undefined;
  }
}

function api(cluster: LocalCluster, agent: Agent, method: string, path: string, body?: string, contentType?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${cluster.server}${path}`,
      { method, agent, headers: { authorization: `Bearer ${cluster.tokens.admin}`, accept: 'application/json', ...(contentType ? { 'content-type': contentType } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Server-side apply for real, as admin (`--force-conflicts`: the files win, as Argo CD's sync does); throws on any rejection. */
export async function applyForReal(cluster: LocalCluster, items: readonly Manifest[]): Promise<void> {
  const { rejected } = await serverSideApply(cluster, items, { dryRun: false });
  if (rejected.length) throw new Error(`apply rejected:\n${rejected.join('\n')}`);
}

export const dryRunApply = (cluster: LocalCluster, items: readonly Manifest[]) => serverSideApply(cluster, items, { dryRun: true });

/** Namespaces created for real (a namespaced dry-run needs its namespace to exist). */
export async function ensureNamespaces(cluster: LocalCluster, names: Iterable<string>): Promise<void> {
  const unique = [...new Set(names)].sort();
  await applyForReal(cluster, unique.map((name) => manifestOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
}

/** The Argo CD CRDs (test/fixtures/argo-cd/), registered and Established. */
export async function registerArgoCdCrds(cluster: LocalCluster): Promise<string[]> {
  return registerCrds(cluster, 'argo-cd', ['application-crd.yaml', 'appproject-crd.yaml']);
}

/** The External Secrets CRDs the env charts use (test/fixtures/external-secrets/, ESO v1.3.2), registered and Established. */
export async function registerExternalSecretsCrds(cluster: LocalCluster): Promise<string[]> {
  return registerCrds(cluster, 'external-secrets', ['external-secrets.io_externalsecrets.yaml', 'generators.external-secrets.io_passwords.yaml']);
}

/** KEDA's ScaledObject (test/fixtures/keda/, v2.21.0) and the HTTP add-on's InterceptorRoute (test/fixtures/http-add-on/, v0.15.0), registered and Established. */
export async function registerKedaCrds(cluster: LocalCluster): Promise<string[]> {
  return [...(await registerCrds(cluster, 'keda', ['keda.sh_scaledobjects.yaml'])), ...(await registerCrds(cluster, 'http-add-on', ['http.keda.sh_interceptorroutes.yaml']))];
}

async function registerCrds(cluster: LocalCluster, fixtures: string, files: readonly string[]): Promise<string[]> {
  const crds = files.flatMap((f) => manifests(readFileSync(join(import.meta.dirname, '..', 'fixtures', fixtures, f), 'utf8')));
  await applyForReal(cluster, crds);
  const names = crds.map((c) => c.object.metadata.name);
  for (const name of names) {
    await eventually(`CRD ${name} Established`, async () => {
      const status = await kubectlOk(cluster, 'admin', ['get', 'crd', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}']);
      return status === 'True' ? true : undefined;
    });
  }
  return names;
}

/**
 * `devfleet render --cluster NAME` of a repository-shaped folder, each document going to its env's
 * namespace (Argo CD installs the chart there; templates take the namespace from the release).
 */
export async function renderedEnvManifests(root: string, cluster: string): Promise<Manifest[]> {
  const fleet = await loadFleet(root);
  const plan = fleet.clusters.find((c) => c.cluster.name === cluster)!;
  const namespaceOf = new Map(plan.envs.map((e) => [e.developer, e.namespace]));
  const result = await runCli('render', '--root', root, '--cluster', cluster);
  if (result.code !== 0) throw new Error(`devfleet render --cluster ${cluster} exited ${result.code}: ${result.stderr}`);
  return manifests(result.stdout, (o) => {
    const namespace = namespaceOf.get(o.metadata.labels?.['devfleet.dev/developer'] ?? '');
    if (!namespace) throw new Error(`rendered ${o.kind} ${o.metadata.name} has no devfleet.dev/developer label naming a developer of ${cluster}`);
    return namespace;
  });
}

/** Every namespace the manifests create or live in (argocd, ambassador, the developer namespaces, ...). */
export function namespacesOf(items: readonly Manifest[]): string[] {
  return [...new Set(items.flatMap((m) => [...(m.object.kind === 'Namespace' ? [m.object.metadata.name] : []), ...(m.namespace ? [m.namespace] : [])]))].sort();
}

export interface AccessQuestion {
  verb: string;
  group?: string;
  resource: string;
  subresource?: string;
  name?: string;
  /** Omitted: cluster-wide. */
  namespace?: string;
}

export type Subject = { user: string; groups: readonly string[] };

/** The API server's own answer (SubjectAccessReview, as admin): may this subject do this? */
export async function can(cluster: LocalCluster, subject: Subject, q: AccessQuestion): Promise<boolean> {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigs.admin);
  const review = await kc.makeApiClient(AuthorizationV1Api).createSubjectAccessReview({
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: subject.user,
        groups: [...subject.groups, 'system:authenticated'],
        resourceAttributes: { verb: q.verb, group: q.group ?? '', resource: q.resource, subresource: q.subresource, name: q.name, namespace: q.namespace },
      },
    },
  });
  return review.status?.allowed === true;
}

/** A kubeconfig for a ServiceAccount token (what the job's Pod gets mounted), next to the admin one. */
export function tokenKubeconfig(cluster: LocalCluster, name: string, token: string): string {
  const file = join(cluster.dir, `kubeconfig-${name}`);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'local', cluster: { server: cluster.server, 'certificate-authority': cluster.caFile } }],
      users: [{ name, user: { token } }],
      contexts: [{ name, context: { cluster: 'local', user: name } }],
      'current-context': name,
    }),
    { mode: 0o600 },
  );
  return file;
}

export async function eventually<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await f().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
