/**
 * A local HTTP stand-in for the few Kubernetes API endpoints `devfleet up/down/status` use, with
 * the real request and response shapes (apps/v1 Deployment, ReplicaSetList and Scale, v1 PodList,
 * keda.sh/v1alpha1 ScaledObject, v1 Status for errors). A later suite runs the same CLI against a real kube-apiserver; this
 * stand-in stays for what a server without nodes cannot show: Pods becoming Ready, and KEDA's
 * operator acting on a ScaledObject (simulated: a force-activation annotation makes the next read
 * of the ScaledObject show a new status.lastActiveTime and the Deployment scaled to 1 by the field
 * manager "keda", as KEDA v2.21.0's scaleFromZeroOrIdle does).
 *
 * managedFields are written as kube-apiserver 1.32 and its deployment controller write them
 * (observed with test/integration/'s control plane): a scale through the subresource leaves an
 * entry without a time on the Deployment, and none at all for a scale to 0; the controller's
 * entry on the ReplicaSet owns `spec.replicas` and carries the time of its last change.
 *
 * Every answer is checked against the API's schemas before it is sent (servedSchemaErrors in
 * test/helpers/kube-schemas.ts: the Kubernetes OpenAPI models, KEDA's CRD): an object the real
 * server could not hold is answered with a 500 naming the schema error, and kept in `invalid`, so
 * a test cannot pass against a shape the real API never sends.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { servedSchemaErrors, type KubeObject } from './kube-schemas.ts';

export interface FakeDeployment {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  replicas: number;
  readyReplicas: number;
  /** Reads of the Deployment after a scale-up before it reports ready (simulated kubelet). */
  readyAfterReads?: number;
  /** Waiting reason its Pod shows while starting, e.g. ImagePullBackOff. */
  waitingReason?: string;
  /** Created at (default 2026-11-20T01:00:00Z, by Argo CD at 0 replicas). */
  createdAt?: string;
  /** When it was last scaled (the controller then rescaled its ReplicaSet); never if unset. */
  scaledAt?: string;
  /** A rollout after the last scale: a new ReplicaSet made then at the current size; the old one keeps `scaledAt`. */
  rolledOutAt?: string;
  /** The field manager of the last scale through the subresource (a Deployment managedFields entry without time). */
  scaledBy?: string;
}

export interface FakeScaledObject {
  namespace: string;
  name: string;
  annotations: Record<string, string>;
  lastActiveTime?: string;
  /** False: no KEDA operator acts on it. */
  kedaRunning?: boolean;
  /** Set by a force-activation annotation; KEDA acts on the next read. */
  activationPending?: boolean;
}

const CREATED = '2026-11-20T01:00:00Z';

export interface Exchange {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
  status: number;
  user: string;
}

export class KubeStandIn {
  readonly deployments = new Map<string, FakeDeployment>();
  readonly scaledObjects = new Map<string, FakeScaledObject>();
  readonly exchanges: Exchange[] = [];
  /** Schema errors of answers the stand-in refused to send (each was answered with a 500). */
  readonly invalid: string[] = [];
  /** Tokens and who they are; anyone else gets 401. */
  readonly users = new Map<string, { name: string; mayScale: boolean }>([
    ['developer-token', { name: 'devfleet:developer:alice', mayScale: true }],
    ['outsider-token', { name: 'outsider', mayScale: false }],
  ]);
  /** Answer the next scale PATCH with 409 Conflict. */
  conflictOnce = false;
  /** Answer the next authenticated request with this failure (a v1 Status), whatever it asks. */
  failOnce: { code: number; reason: string; message: string } | undefined;
  private server: Server | undefined;
  private reads = new Map<string, number>();
  port = 0;

  add(d: FakeDeployment): void {
    this.deployments.set(`${d.namespace}/${d.name}`, d);
  }

  addScaledObject(o: FakeScaledObject): void {
    this.scaledObjects.set(`${o.namespace}/${o.name}`, o);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** A kubeconfig for this stand-in with the given token. */
  kubeconfig(dir: string, token: string): string {
    const file = join(dir, 'kubeconfig');
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        // client-node refuses plain http unless TLS verification is explicitly off (loopback only).
        clusters: [{ name: 'stand-in', cluster: { server: `http://127.0.0.1:${this.port}`, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'me', user: { token } }],
        contexts: [{ name: 'stand-in', context: { cluster: 'stand-in', user: 'me' } }],
        'current-context': 'stand-in',
      }),
    );
    return file;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const raw = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => resolve(data));
    });
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = token ? this.users.get(token) : undefined;
    const answer = (status: number, checked: unknown) => {
      const errors = servedSchemaErrors(checked as KubeObject);
      this.invalid.push(...errors);
      const body = errors.length === 0 ? checked : failure(500, 'InternalError', `stand-in: the answer breaks the API's schema: ${errors.join('; ')}`);
      if (errors.length > 0) status = 500;
      this.exchanges.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, contentType: req.headers['content-type'], body: raw ? JSON.parse(raw) : undefined, status, user: user?.name ?? 'anonymous' });
      return { status, body };
    };
    if (!user) return answer(401, failure(401, 'Unauthorized', 'Unauthorized'));
    if (this.failOnce) {
      const { code, reason, message } = this.failOnce;
      this.failOnce = undefined;
      return answer(code, failure(code, reason, message));
    }

    let m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)\/scale$/.exec(url.pathname);
    if (m && req.method === 'PATCH') {
      const [, namespace, name] = m as unknown as [string, string, string];
      if (!user.mayScale) return answer(403, failure(403, 'Forbidden', `deployments.apps "${name}" is forbidden: User "${user.name}" cannot patch resource "deployments/scale" in API group "apps" in the namespace "${namespace}"`));
      const d = this.deployments.get(`${namespace}/${name}`);
      if (!d) return answer(404, failure(404, 'NotFound', `deployments.apps "${name}" not found`));
      if (this.conflictOnce) {
        this.conflictOnce = false;
        return answer(409, failure(409, 'Conflict', `Operation cannot be fulfilled on deployments.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`));
      }
      if (req.headers['content-type'] !== 'application/merge-patch+json') return answer(415, failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`));
      const replicas = (JSON.parse(raw) as { spec: { replicas: number } }).spec.replicas;
      if (replicas !== d.replicas) {
        d.scaledAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        d.rolledOutAt = undefined;
      }
      d.replicas = replicas;
      d.scaledBy = url.searchParams.get('fieldManager') ?? 'unknown';
      if (replicas === 0) d.readyReplicas = 0;
      this.reads.set(`${namespace}/${name}`, 0);
      return answer(200, { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name, namespace }, spec: { replicas }, status: { replicas: d.readyReplicas } });
    }
    m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)$/.exec(url.pathname);
    if (m && req.method === 'GET') {
      const [, namespace, name] = m as unknown as [string, string, string];
      const d = this.deployments.get(`${namespace}/${name}`);
      if (!d) return answer(404, failure(404, 'NotFound', `deployments.apps "${name}" not found`));
      this.tick(d);
      return answer(200, deployment(d));
    }
    m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/replicasets$/.exec(url.pathname);
    if (m && req.method === 'GET') {
      const [, namespace] = m as unknown as [string, string];
      const items = [...this.deployments.values()].filter((d) => d.namespace === namespace && matches(d.labels, url.searchParams.get('labelSelector'))).flatMap(replicaSets);
      return answer(200, { kind: 'ReplicaSetList', apiVersion: 'apps/v1', metadata: { resourceVersion: '1' }, items });
    }
    m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments$/.exec(url.pathname);
    if (m && req.method === 'GET') {
      const [, namespace] = m as unknown as [string, string];
      const items = [...this.deployments.values()].filter((d) => d.namespace === namespace && matches(d.labels, url.searchParams.get('labelSelector')));
      return answer(200, { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: { resourceVersion: '1' }, items: items.map(deployment) });
    }
    m = /^\/apis\/keda\.sh\/v1alpha1\/namespaces\/([^/]+)\/scaledobjects$/.exec(url.pathname);
    if (m && req.method === 'GET') {
      const [, namespace] = m as unknown as [string, string];
      const items = [...this.scaledObjects.values()].filter((o) => o.namespace === namespace);
      return answer(200, { kind: 'ScaledObjectList', apiVersion: 'keda.sh/v1alpha1', metadata: { resourceVersion: '1' }, items: items.map(scaledObject) });
    }
    m = /^\/apis\/keda\.sh\/v1alpha1\/namespaces\/([^/]+)\/scaledobjects\/([^/]+)$/.exec(url.pathname);
    if (m && (req.method === 'GET' || req.method === 'PATCH')) {
      const [, namespace, name] = m as unknown as [string, string, string];
      const o = this.scaledObjects.get(`${namespace}/${name}`);
      if (req.method === 'PATCH' && !user.mayScale) return answer(403, failure(403, 'Forbidden', `scaledobjects.keda.sh "${name}" is forbidden: User "${user.name}" cannot patch resource "scaledobjects" in API group "keda.sh" in the namespace "${namespace}"`));
      if (!o) return answer(404, failure(404, 'NotFound', `scaledobjects.keda.sh "${name}" not found`));
      if (req.method === 'PATCH') {
        if (req.headers['content-type'] !== 'application/merge-patch+json') return answer(415, failure(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format'));
        const patch = JSON.parse(raw) as { metadata?: { annotations?: Record<string, string | null> } };
        for (const [key, value] of Object.entries(patch.metadata?.annotations ?? {})) {
          if (value === null) delete o.annotations[key];
          else o.annotations[key] = value;
        }
        o.activationPending = o.annotations['autoscaling.keda.sh/force-activation'] === 'true';
      } else if (o.activationPending && o.kedaRunning !== false) {
        // KEDA: forced active, so it scales the target from zero and records the activity.
        o.activationPending = false;
        o.lastActiveTime = new Date(Math.max(Date.now(), o.lastActiveTime ? Date.parse(o.lastActiveTime) + 1000 : 0)).toISOString().replace(/\.\d+Z$/, 'Z');
        const d = this.deployments.get(`${namespace}/${name}`);
        if (d && d.replicas === 0) {
          d.replicas = 1;
          d.scaledAt = o.lastActiveTime;
          d.scaledBy = 'keda';
        }
      }
      return answer(200, scaledObject(o));
    }
    m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
    if (m && req.method === 'GET') {
      const [, namespace] = m as unknown as [string, string];
      const items = [...this.deployments.values()]
        .filter((d) => d.namespace === namespace && d.replicas > 0)
        .map((d) => ({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${d.name}-7d9c8b6f5d-x2x4k`, namespace, labels: d.labels },
          status: {
            phase: d.readyReplicas > 0 ? 'Running' : 'Pending',
            containerStatuses: d.waitingReason ? [{ name: 'app', ready: false, restartCount: 0, image: 'x', imageID: '', state: { waiting: { reason: d.waitingReason } } }] : [],
          },
        }));
      return answer(200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
    }
    return answer(404, failure(404, 'NotFound', 'the server could not find the requested resource'));
  }

  private tick(d: FakeDeployment): void {
    const key = `${d.namespace}/${d.name}`;
    const reads = (this.reads.get(key) ?? 0) + 1;
    this.reads.set(key, reads);
    if (d.replicas > 0 && !d.waitingReason && reads > (d.readyAfterReads ?? 0)) d.readyReplicas = d.replicas;
  }
}

const uid = (d: FakeDeployment, what: string) => `${what}-${d.namespace}-${d.name}`;
const selector = (d: FakeDeployment) => ({ 'app.kubernetes.io/name': d.labels['app.kubernetes.io/name'] ?? d.name, 'app.kubernetes.io/instance': d.labels['app.kubernetes.io/instance'] ?? d.name });

function deployment(d: FakeDeployment): Record<string, unknown> {
  // Argo CD's client-side apply owns spec.replicas until the first scale takes it over.
  const argoSpec = { 'f:progressDeadlineSeconds': {}, ...(d.scaledBy ? {} : { 'f:replicas': {} }), 'f:selector': {}, 'f:strategy': { 'f:type': {} }, 'f:template': {} };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: d.name,
      namespace: d.namespace,
      uid: uid(d, 'deployment'),
      labels: d.labels,
      creationTimestamp: d.createdAt ?? CREATED,
      managedFields: [
        { manager: 'argocd-controller', operation: 'Update', apiVersion: 'apps/v1', time: d.createdAt ?? CREATED, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} }, 'f:spec': argoSpec } },
        // kube-apiserver 1.32: no time on a scale subresource entry, and no entry at all after a scale to 0.
        ...(d.scaledBy && d.replicas > 0 ? [{ manager: d.scaledBy, operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } }, subresource: 'scale' }] : []),
      ],
    },
    spec: { replicas: d.replicas, selector: { matchLabels: selector(d) }, template: { metadata: { labels: d.labels }, spec: { containers: [] } } },
    status: { replicas: d.replicas, readyReplicas: d.readyReplicas || undefined, availableReplicas: d.readyReplicas || undefined },
  };
}

/** What the deployment controller keeps: the ReplicaSet it made at creation, and a newer one after a rollout. */
function replicaSets(d: FakeDeployment): Record<string, unknown>[] {
  const created = d.createdAt ?? CREATED;
  const first = { hash: '7d9c8b6f5d', createdAt: created, replicas: d.rolledOutAt ? 0 : d.replicas, changedAt: d.scaledAt ?? created, revision: '1' };
  const rollout = d.rolledOutAt ? [{ hash: '5997dd7c95', createdAt: d.rolledOutAt, replicas: d.replicas, changedAt: d.rolledOutAt, revision: '2' }] : [];
  return [first, ...rollout].map((r) => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.name}-${r.hash}`,
      namespace: d.namespace,
      uid: `${uid(d, 'replicaset')}-${r.hash}`,
      labels: { ...d.labels, 'pod-template-hash': r.hash },
      annotations: { 'deployment.kubernetes.io/desired-replicas': String(r.replicas), 'deployment.kubernetes.io/max-replicas': String(r.replicas), 'deployment.kubernetes.io/revision': r.revision },
      creationTimestamp: r.createdAt,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.name, uid: uid(d, 'deployment'), controller: true, blockOwnerDeletion: true }],
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'apps/v1',
          time: r.changedAt,
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:annotations': {}, 'f:labels': {}, 'f:ownerReferences': {} }, 'f:spec': { 'f:replicas': {}, 'f:selector': {}, 'f:template': {} } },
        },
        { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', time: r.changedAt, fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:observedGeneration': {}, 'f:replicas': {} } }, subresource: 'status' },
      ],
    },
    spec: { replicas: r.replicas, selector: { matchLabels: { ...selector(d), 'pod-template-hash': r.hash } }, template: { metadata: { labels: { ...d.labels, 'pod-template-hash': r.hash } }, spec: { containers: [] } } },
    status: { replicas: r.replicas, observedGeneration: 1 },
  }));
}

function scaledObject(o: FakeScaledObject): Record<string, unknown> {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: o.name, namespace: o.namespace, ...(Object.keys(o.annotations).length > 0 ? { annotations: { ...o.annotations } } : {}) },
    // A generated env's ScaledObject (generators/chart/scaled-object.ts) has its scheduled wake at least.
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: o.name },
      minReplicaCount: 0,
      maxReplicaCount: 1,
      triggers: [{ type: 'cron', name: 'scheduled-wake', metadata: { timezone: 'Asia/Tokyo', start: '0 9 * * 1-5', end: '0 22 * * 1-5', desiredReplicas: '1' } }],
    },
    status: { ...(o.lastActiveTime ? { lastActiveTime: o.lastActiveTime } : {}), scaleTargetKind: 'apps/v1.Deployment' },
  };
}

function failure(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** Equality-based label selectors (`a=b,c=d`), as the CLI sends them. */
function matches(labels: Record<string, string>, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return labels[key!] === value;
  });
}
