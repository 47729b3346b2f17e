/**
 * Rules-level checks of who may do what. The expected sets are written out in full: widening any
 * generated Role (a verb, a resource, a wildcard) fails these tests.
 */
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { clusterTree } from '../../generators/synth/cluster-tree.ts';
import { DEVELOPERS_GROUP, developerUserName, SCALER_NAME } from '../../generators/plan/names.ts';
import { REPO } from '../helpers/fixtures.ts';

type Obj = { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[]; roleRef?: { kind: string; name: string }; subjects?: { kind: string; name: string; namespace?: string }[] };
type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

async function treeObjects(): Promise<Obj[]> {
  const [plan] = (await loadFleet(REPO)).clusters;
  return [...clusterTree(plan!)]
    .filter(([path]) => path.endsWith('.yaml') && path.startsWith('apps/'))
    .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS() as Obj));
}

/** Every (namespace, group/resource[:names], verb) a subject gets through RoleBindings and ClusterRoleBindings. */
function grants(objects: Obj[], subject: { kind: string; name: string; namespace?: string }): Set<string> {
  const roles = new Map(objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole').map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
  const out = new Set<string>();
  for (const binding of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    if (!binding.subjects!.some((s) => s.kind === subject.kind && s.name === subject.name && (s.namespace ?? '') === (subject.namespace ?? s.namespace ?? ''))) continue;
    const scope = binding.kind === 'ClusterRoleBinding' ? '*' : binding.metadata.namespace!;
    const role = roles.get(`${binding.roleRef!.kind}/${binding.roleRef!.kind === 'Role' ? binding.metadata.namespace : ''}/${binding.roleRef!.name}`);
    expect(role, `${binding.metadata.name} refers to a role that exists`).toBeDefined();
    for (const rule of role!.rules!) {
      for (const group of rule.apiGroups) for (const resource of rule.resources) for (const verb of rule.verbs) {
        out.add(`${scope} ${group || 'core'}/${resource}${rule.resourceNames ? `:${rule.resourceNames.join(',')}` : ''} ${verb}`);
      }
    }
  }
  return out;
}

const READ = ['get', 'list', 'watch'];
const expand = (scope: string, resources: string[], verbs: string[]) => resources.flatMap((r) => verbs.map((v) => `${scope} ${r} ${v}`));

function developerView(ns: string): string[] {
  return [
    ...expand(ns, ['core/pods', 'core/services', 'core/endpoints', 'core/persistentvolumeclaims', 'core/events', 'core/resourcequotas', 'core/limitranges'], READ),
    ...expand(ns, ['apps/deployments', 'apps/replicasets'], READ),
    ...expand(ns, ['apps/deployments/scale'], ['get', 'patch', 'update']),
    ...expand(ns, ['networking.k8s.io/ingresses'], READ),
    ...expand(ns, ['batch/cronjobs', 'batch/jobs'], READ),
    ...expand(ns, ['events.k8s.io/events'], READ),
    // `devfleet up/down` behind the front door; the admission policy limits a patch to one annotation.
    ...expand(ns, ['keda.sh/scaledobjects'], ['get', 'list', 'patch']),
  ];
}

describe('developer access', () => {
  it('GIVEN the bundled cluster WHEN the developers group\'s grants are collected THEN they are exactly view + scale in each dev namespace and the Telepresence connect grant', async () => {
    const objects = await treeObjects();
    const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort();
    expect(namespaces).toEqual(['dev-alice', 'dev-bob', 'dev-carol', 'dev-dave', 'dev-erin']);
    const expected = new Set([
      ...namespaces.flatMap(developerView),
      'ambassador core/pods/portforward:traffic-manager-0 create',
      'ambassador telepresence.io/connections create',
    ]);
    expect([...grants(objects, { kind: 'Group', name: DEVELOPERS_GROUP })].sort()).toEqual([...expected].sort());
  });

  it('GIVEN developer alice WHEN her own grants are collected THEN logs and Telepresence work in dev-alice only', async () => {
    const objects = await treeObjects();
    expect([...grants(objects, { kind: 'User', name: developerUserName('alice') })].sort()).toEqual([
      'dev-alice core/pods/log get',
      'dev-alice core/pods/portforward create',
      'dev-alice telepresence.io/attachments create',
      'dev-alice telepresence.io/attachments get',
      'dev-alice telepresence.io/logs get',
      'dev-alice telepresence.io/logs/yaml get',
    ]);
  });

  it('GIVEN every Role and ClusterRole WHEN scanned THEN none grants secrets, exec/attach, RBAC verbs, wildcards, or writes to workloads', async () => {
    const objects = await treeObjects();
    const rules = objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole').flatMap((o) => o.rules!.map((r) => ({ role: o.metadata.name, ...r })));
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) {
      const text = JSON.stringify(rule);
      expect(text, rule.role).not.toContain('*');
      expect(rule.resources, rule.role).not.toContain('secrets');
      for (const forbidden of ['pods/exec', 'pods/attach', 'pods/proxy', 'services/proxy', 'nodes/proxy', 'pods/ephemeralcontainers', 'serviceaccounts/token']) {
        expect(rule.resources, rule.role).not.toContain(forbidden);
      }
      expect(rule.verbs.some((v) => ['bind', 'escalate', 'impersonate', 'delete', 'deletecollection'].includes(v)), rule.role).toBe(false);
      const writes = rule.verbs.filter((v) => ['create', 'update', 'patch'].includes(v));
      for (const resource of rule.resources) {
        if (writes.length === 0) continue;
        expect(['deployments/scale', 'pods/portforward', 'attachments', 'connections', 'scaledobjects'], `${rule.role} may ${writes.join('/')} ${resource}`).toContain(resource);
        if (resource === 'scaledobjects') expect(writes, rule.role).toEqual(['patch']);
      }
    }
    expect(objects.some((o) => o.kind === 'ClusterRoleBinding')).toBe(false);
    // A patch of a ScaledObject by a developer may touch one annotation only: the admission policy is there and bound.
    const policy = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy' && JSON.stringify(o).includes('scaledobjects')) as unknown as { metadata: { name: string }; spec: { matchConditions: { expression: string }[]; matchConstraints: { resourceRules: { resources: string[]; operations: string[] }[] } } };
    expect(policy.spec.matchConditions).toEqual([{ name: 'developers', expression: `'${DEVELOPERS_GROUP}' in request.userInfo.groups` }]);
    expect(policy.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: ['keda.sh'], apiVersions: ['*'], operations: ['UPDATE'], resources: ['scaledobjects'] }]);
    expect(objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && (o as any).spec.policyName === policy.metadata.name)).toMatchObject({ spec: { policyName: policy.metadata.name, validationActions: ['Deny'] } });
  });
});

describe('sleep/wake job identity', () => {
  it('GIVEN each namespace WHEN the scaler ServiceAccount\'s grants are collected THEN it may only find Deployments, change their scale and clear a ScaledObject\'s annotation, in its own namespace', async () => {
    const objects = await treeObjects();
    for (const ns of ['dev-alice', 'dev-dave']) {
      expect([...grants(objects, { kind: 'ServiceAccount', name: SCALER_NAME, namespace: ns })].sort()).toEqual([
        `${ns} apps/deployments get`,
        `${ns} apps/deployments list`,
        `${ns} apps/deployments/scale get`,
        `${ns} apps/deployments/scale patch`,
        `${ns} keda.sh/scaledobjects get`,
        `${ns} keda.sh/scaledobjects list`,
        `${ns} keda.sh/scaledobjects patch`,
      ]);
    }
  });
});

describe('schedules of the bundled cluster', () => {
  it('GIVEN clusters/dev.ts and the projects WHEN generated THEN each namespace sleeps at its time in Asia/Tokyo, no wake job runs (my-app, the one project with a wake time, is woken by KEDA behind the front door), and always-on docs is never selected', async () => {
    const [plan] = (await loadFleet(REPO)).clusters;
    const objects = await treeObjects();
    for (const developer of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      const ns = `dev-${developer}`;
      const jobs = objects.filter((o) => o.kind === 'CronJob' && o.metadata.namespace === ns) as unknown as { metadata: { name: string }; spec: { schedule: string; timeZone: string } }[];
      const sleep = developer === 'dave' ? 'devfleet-sleep-2330-daily' : 'devfleet-sleep-2200-daily';
      expect(jobs.map((j) => j.metadata.name).sort(), ns).toEqual([sleep]);
      expect(jobs.every((j) => j.spec.timeZone === 'Asia/Tokyo')).toBe(true);
      expect(jobs.find((j) => j.metadata.name === sleep)!.spec.schedule).toBe(developer === 'dave' ? '30 23 * * *' : '0 22 * * *');
    }
    for (const env of plan!.envs) {
      const wakes = env.project.name === 'my-app';
      expect(env.schedule.wake !== undefined, env.application).toBe(wakes);
      expect(env.schedule.sleep === undefined, env.application).toBe(env.project.name === 'docs');
    }
  });
});
