/**
 * The access model (docs/security.md "Access model") as the real RBAC authorizer answers it, after the
 * generated apps/ tree is applied for real: SubjectAccessReviews for a developer (user + group),
 * another developer, the sleep/wake jobs' ServiceAccount and an outsider. test/cluster/access.test.ts
 * checks the rules as data; this checks what the API server makes of them (aggregation, bindings,
 * subresources, resourceNames). A widened Role fails the matrix: proved below on a copy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { OWNER_ROLE } from '../../generators/cluster/access.ts';
import { DEVELOPERS_GROUP, developerUserName, SCALER_NAME } from '../../generators/plan/names.ts';
import { REPO } from '../helpers/fixtures.ts';
import { type AccessQuestion, applyForReal, can, ensureNamespaces, type KubeObject, kubectl, kubectlOk, type Manifest, manifestOf, manifests, namespacesOf, localCluster, registerKedaCrds, renderedEnvManifests, type Subject, treeManifests } from './kube.ts';

let cluster: LocalCluster;

const developer = (name: string): Subject => ({ user: developerUserName(name), groups: [DEVELOPERS_GROUP] });
const scaler = (namespace: string): Subject => ({ user: `system:serviceaccount:${namespace}:${SCALER_NAME}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`] });
const outsider: Subject = { user: 'outsider', groups: [] };

interface Row {
  who: string;
  subject: Subject;
  q: AccessQuestion;
  expected: boolean;
}

/** What each subject may and may not do, around one developer namespace `own` (and another developer's, `other`). */
function matrix(own: string, other: string): Row[] {
  const me = developer('alice');
  const rows: Row[] = [];
  const add = (who: string, subject: Subject, expected: boolean, ...qs: AccessQuestion[]) => qs.forEach((q) => rows.push({ who, subject, q, expected }));
  const apps = (verb: string, resource: string, namespace: string, subresource?: string): AccessQuestion => ({ verb, group: 'apps', resource, subresource, namespace });
  const core = (verb: string, resource: string, namespace?: string, subresource?: string, name?: string): AccessQuestion => ({ verb, resource, subresource, namespace, name });

  // Developers (the group): view and scale in every developer namespace, nothing else.
  for (const ns of [own, other]) {
    add('developer', me, true, apps('patch', 'deployments', ns, 'scale'), apps('update', 'deployments', ns, 'scale'), apps('get', 'deployments', ns, 'scale'));
    add('developer', me, true, apps('list', 'deployments', ns), apps('watch', 'replicasets', ns), core('list', 'pods', ns), core('list', 'events', ns));
    add('developer', me, true, { verb: 'list', group: 'batch', resource: 'cronjobs', namespace: ns }, { verb: 'list', group: 'networking.k8s.io', resource: 'ingresses', namespace: ns });
    // Behind the front door: read ScaledObjects and patch them (the admission policy narrows a patch to one annotation).
    add('developer', me, true, ...['get', 'list', 'patch'].map((verb) => ({ verb, group: 'keda.sh', resource: 'scaledobjects', namespace: ns })));
    add('developer', me, false, ...['create', 'update', 'delete'].map((verb) => ({ verb, group: 'keda.sh', resource: 'scaledobjects', namespace: ns })), { verb: 'patch', group: 'http.keda.sh', resource: 'interceptorroutes', namespace: ns });
  }
  add('developer', me, false,
    core('get', 'secrets', own), core('list', 'secrets', own), core('get', 'configmaps', own),
    core('create', 'pods', own, 'exec'), core('get', 'pods', own, 'exec'), core('create', 'pods', own, 'attach'), core('create', 'pods', own, 'proxy'), core('create', 'pods', own),
    apps('create', 'deployments', own), apps('patch', 'deployments', own), apps('update', 'deployments', own), apps('delete', 'deployments', own),
    core('delete', 'persistentvolumeclaims', own), core('create', 'serviceaccounts', own, 'token'),
    { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: own },
    { verb: 'create', group: 'batch', resource: 'jobs', namespace: own },
    // Not a developer namespace, and nothing cluster-wide.
    core('list', 'pods', 'kube-system'), apps('patch', 'deployments', 'kube-system', 'scale'), core('get', 'secrets', 'kube-system'),
    core('list', 'namespaces'), core('list', 'nodes'), { verb: 'impersonate', resource: 'users' },
  );
  // Logs and Telepresence: in one's own namespace only (port-forward also to the traffic manager).
  add('developer', me, true, core('get', 'pods', own, 'log'), core('create', 'pods', own, 'portforward'), core('create', 'pods', 'ambassador', 'portforward', 'traffic-manager-0'));
  add('developer', me, false, core('get', 'pods', other, 'log'), core('create', 'pods', other, 'portforward'), core('create', 'pods', 'ambassador', 'portforward', 'other-pod'));

  // The sleep/wake job: find Deployments and change their scale, in its own namespace only.
  const job = scaler(own);
  add('scaler', job, true, apps('list', 'deployments', own), apps('get', 'deployments', own, 'scale'), apps('patch', 'deployments', own, 'scale'));
  add('scaler', job, true, ...['get', 'list', 'patch'].map((verb) => ({ verb, group: 'keda.sh', resource: 'scaledobjects', namespace: own })));
  add('scaler', job, false, { verb: 'patch', group: 'keda.sh', resource: 'scaledobjects', namespace: other }, { verb: 'delete', group: 'keda.sh', resource: 'scaledobjects', namespace: own });
  add('scaler', job, false,
    apps('patch', 'deployments', other, 'scale'), apps('list', 'deployments', other), apps('patch', 'deployments', 'kube-system', 'scale'),
    apps('patch', 'deployments', own), apps('update', 'deployments', own, 'scale'), core('get', 'secrets', own), core('list', 'pods', own), core('create', 'pods', own),
  );

  // Someone who is not a developer: nothing.
  add('outsider', outsider, false, apps('get', 'deployments', own), apps('patch', 'deployments', own, 'scale'), core('list', 'pods', own), core('list', 'namespaces'));
  return rows;
}

const describeRow = (r: Row, actual: boolean) =>
  `${r.who} ${actual ? 'MAY' : 'may not'} ${r.q.verb} ${r.q.group ? `${r.q.group}/` : ''}${r.q.resource}${r.q.subresource ? `/${r.q.subresource}` : ''}${r.q.name ? ` ${r.q.name}` : ''} ${r.q.namespace ? `in ${r.q.namespace}` : 'cluster-wide'} (expected: ${r.expected ? 'may' : 'may not'})`;

/** The rows where the server's answer differs from the access model. */
async function violations(rows: Row[]): Promise<string[]> {
  const answers = await Promise.all(rows.map((r) => can(cluster, r.subject, r.q)));
  return rows.flatMap((r, i) => (answers[i] === r.expected ? [] : [describeRow(r, answers[i]!)]));
}

const appsTree = (): Manifest[] => [...treeManifests(join(REPO, 'clusters', 'dev', 'apps', 'namespaces')), ...treeManifests(join(REPO, 'clusters', 'dev', 'apps', 'platform'))];

beforeAll(async () => {
  cluster = await localCluster();
  // The front door's admission policy is about ScaledObjects: their CRD first.
  await registerKedaCrds(cluster);
  const tree = appsTree();
  await ensureNamespaces(cluster, namespacesOf(tree));
  await applyForReal(cluster, tree);
});

describe('the access matrix on a real API server', () => {
  it('GIVEN the generated RBAC applied for real WHEN every row of the matrix is asked as a SubjectAccessReview THEN the server answers exactly as the access model says', async () => {
    const rows = matrix('dev-alice', 'dev-bob');
    expect(rows.length).toBeGreaterThan(50);
    expect(await violations(rows)).toEqual([]);
  });

  it('GIVEN the same matrix around another developer WHEN asked THEN it holds there too (no namespace is special)', async () => {
    const rows = matrix('dev-dave', 'dev-erin').map((r) => (r.who === 'developer' && r.subject.user === developerUserName('alice') ? { ...r, subject: developer('dave') } : r));
    expect(await violations(rows)).toEqual([]);
  });

  it('GIVEN a copy of a developer namespace whose generated Roles were widened WHEN the matrix is asked THEN it reports exactly the widened grants', async () => {
    // The copy lives in its own namespace; its owner Role gains pods/exec, its scaler Role Secrets.
    const ns = 'dev-widened';
    const copy = manifests(readFileSync(join(REPO, 'clusters', 'dev', 'apps', 'namespaces', 'alice.yaml'), 'utf8'));
    const widened = copy.map((m) => {
      const o = JSON.parse(JSON.stringify(m.object).replaceAll('"dev-alice"', JSON.stringify(ns))) as KubeObject & { rules?: unknown[] };
      if (o.kind === 'Role' && o.metadata.name === OWNER_ROLE) o.rules = [...o.rules!, { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }];
      if (o.kind === 'Role' && o.metadata.name === SCALER_NAME) o.rules = [...o.rules!, { apiGroups: [''], resources: ['secrets'], verbs: ['get'] }];
      return manifestOf(o);
    });
    expect(widened.filter((m) => m.object.kind === 'Role').map((m) => m.object.metadata.name).sort()).toEqual([SCALER_NAME, OWNER_ROLE].sort());
    await ensureNamespaces(cluster, [ns]);
    await applyForReal(cluster, widened);
    expect(await violations(matrix(ns, 'dev-bob'))).toEqual([
      `developer MAY create pods/exec in ${ns} (expected: may not)`,
      `scaler MAY get secrets in ${ns} (expected: may not)`,
    ]);
  });
});

describe('the admission policy on ScaledObjects (apps/platform/front-door.yaml)', () => {
  const FORCE = 'autoscaling.keda.sh/force-activation';
  const asAlice = (...args: string[]) => kubectl(cluster, 'alice', [...args, '-n', 'dev-alice']);

  beforeAll(async () => {
    // alice's my-app ScaledObject as Argo CD would sync it.
    const scaled = (await renderedEnvManifests(REPO, 'dev')).filter((m) => m.namespace === 'dev-alice' && m.object.kind === 'ScaledObject' && m.object.metadata.name === 'my-app');
    expect(scaled).toHaveLength(1);
    await applyForReal(cluster, scaled);
    // The policy is enforced once the API server has type-checked and loaded it.
    await eventuallyDenied();
  });

  async function eventuallyDenied(): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const r = await asAlice('label', 'scaledobject', 'my-app', 'probe=1');
      if (r.code !== 0) return;
      await kubectlOk(cluster, 'admin', ['label', 'scaledobject', 'my-app', '-n', 'dev-alice', 'probe-']);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error('the ValidatingAdmissionPolicy never took effect');
  }

  it('GIVEN alice (devfleet:developers) WHEN she sets the force-activation annotation to "true" and removes it again THEN both are allowed', async () => {
    const set = await asAlice('annotate', 'scaledobject', 'my-app', `${FORCE}=true`);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(await kubectlOk(cluster, 'admin', ['get', 'scaledobject', 'my-app', '-n', 'dev-alice', '-o', `jsonpath={.metadata.annotations.autoscaling\\.keda\\.sh/force-activation}`])).toBe('true');
    const unset = await asAlice('annotate', 'scaledobject', 'my-app', `${FORCE}-`);
    expect(unset.code, unset.stderr).toBe(0);
  });

  it.each([
    ['raise maxReplicaCount', ['patch', 'scaledobject', 'my-app', '--type=merge', '-p', '{"spec":{"maxReplicaCount":5}}'], 'the spec is the definitions\''],
    ['point it at another Deployment', ['patch', 'scaledobject', 'my-app', '--type=merge', '-p', '{"spec":{"scaleTargetRef":{"name":"shop"}}}'], 'the spec is the definitions\''],
    ['add a label', ['label', 'scaledobject', 'my-app', 'stay=awake'], 'labels, finalizers and owner references stay as they are'],
    ['pause KEDA with another annotation', ['annotate', 'scaledobject', 'my-app', 'autoscaling.keda.sh/paused=true'], 'other annotations stay as they are'],
    ['set force-activation to something else than "true"', ['annotate', 'scaledobject', 'my-app', `${FORCE}=false`], 'may only be "true", or removed'],
  ])('GIVEN alice WHEN she tries to %s THEN the API server refuses it, naming the rule', async (_what, args, message) => {
    const result = await asAlice(...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('devfleet-developer-scaledobject-changes');
    expect(result.stderr).toContain(message);
  });

  it('GIVEN an admin (not a developer) WHEN the spec changes THEN the policy does not apply', async () => {
    await kubectlOk(cluster, 'admin', ['patch', 'scaledobject', 'my-app', '-n', 'dev-alice', '--type=merge', '-p', '{"spec":{"pollingInterval":31}}']);
    await kubectlOk(cluster, 'admin', ['patch', 'scaledobject', 'my-app', '-n', 'dev-alice', '--type=merge', '-p', '{"spec":{"pollingInterval":30}}']);
  });
});
