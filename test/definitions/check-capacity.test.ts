/**
 * generators/definitions/check-capacity.ts, the always-on envs of a developer namespace through
 * `devfleet validate` and `synth`: together with the largest other env they must fit the
 * namespace's ResourceQuota, for every quota'd resource of a Pod, or the definitions are refused
 * with one problem line (the exact line is held for the main cases) and nothing is written.
 * (The IngressGroup capacity check is tested with the plan, test/plan/plan.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { C, CLUSTER, expectRefused, expectValid, S, SHOP, W, type BadInputCase, type Defs } from '../helpers/bad-input.ts';

// The baseline: web (alice, bob) asks 150m CPU (nginx 100m, api 50m), 256Mi of memory requests and
// limits; shop (alice, bob, carol) 50m and 128Mi. Both sleep at night. The namespace quota is 8 CPUs.

const alwaysOn = (def: Defs[string]) => (def.schedule = { ...def.schedule, alwaysOn: true });

const cases: (BadInputCase & { exact?: string })[] = [
  {
    given: 'two always-on projects of 5 CPUs each and a namespace quota of 8 CPUs (the issue\'s reproduction)',
    defect: (d) => {
      alwaysOn(S(d));
      S(d).containers[0].resources = { cpu: '5' };
      alwaysOn(W(d));
      W(d).containers[1].resources = { cpu: '4900m' };
    },
    file: SHOP,
    path: 'schedule.alwaysOn',
    says: ['the always-on envs (shop 5, web 5) need 10 of CPU requests together', 'developers alice, bob', 'quota.cpu 8'],
    exact:
      'projects/shop.ts: schedule.alwaysOn: the always-on envs (shop 5, web 5) need 10 of CPU requests together, more than the namespace quota of developers alice, bob in cluster "dev" (namespaces dev-alice, dev-bob) allows (clusters/dev.yaml quota.cpu 8, the namespace\'s requests.cpu): they never sleep, so they could never all run at once; lower the containers\' resources, drop alwaysOn from one of them (a project\'s schedule.alwaysOn, or a developer\'s in clusters/dev.yaml), or ask ops to raise quota.cpu to at least 10',
  },
  {
    given: 'one always-on env near the quota, which leaves no room for the developer\'s other env to wake',
    defect: (d) => {
      C(d).quota = { cpu: '1' };
      alwaysOn(S(d));
      S(d).containers[0].resources = { cpu: '900m' };
    },
    file: SHOP,
    path: 'schedule.alwaysOn',
    says: ['plus the largest env that may wake beside them (web 150m)', 'so web could not wake while they run'],
    exact:
      'projects/shop.ts: schedule.alwaysOn: the always-on envs (shop 900m: 900m) plus the largest env that may wake beside them (web 150m) need 1050m of CPU requests, more than the namespace quota of developers alice, bob in cluster "dev" (namespaces dev-alice, dev-bob) allows (clusters/dev.yaml quota.cpu 1, the namespace\'s requests.cpu): always-on envs never sleep, so web could not wake while they run; lower the containers\' resources, drop alwaysOn from one of them (a project\'s schedule.alwaysOn, or a developer\'s in clusters/dev.yaml), or ask ops to raise quota.cpu to at least 1050m',
  },
  {
    given: 'a developer who keeps every env always on (the cluster file\'s developers[0].schedule), over the quota together',
    defect: (d) => {
      C(d).quota = { cpu: '200m' };
      C(d).developers[0].schedule = { alwaysOn: true };
      S(d).containers[0].resources = { cpu: '100m' };
    },
    file: CLUSTER,
    path: 'developers[0].schedule.alwaysOn',
    says: ['the always-on envs (shop 100m, web 150m) need 250m of CPU requests together', 'developer alice in cluster "dev" (namespace dev-alice)'],
    lineOf: 'alwaysOn: true',
  },
  {
    given: 'always-on envs whose memory limits, with the largest other env, exceed quota.memory (requests fit)',
    defect: (d) => {
      C(d).quota = { memory: '1Gi' };
      alwaysOn(S(d));
      S(d).containers[0].resources = { memory: '256Mi', memoryLimit: '700Mi' };
      W(d).containers[1].resources = { memory: '384Mi' };
    },
    file: SHOP,
    path: 'schedule.alwaysOn',
    says: ['the always-on envs (shop 700Mi: 700Mi) plus the largest env that may wake beside them (web 512Mi) need 1212Mi of memory limits', "quota.memory 1Gi, the namespace's limits.memory", 'raise quota.memory to at least 1212Mi'],
  },
  {
    given: 'an always-on env beside three other envs: the largest of them is counted and named',
    defect: (d) => {
      C(d).quota = { cpu: '1' };
      alwaysOn(S(d));
      S(d).containers[0].resources = { cpu: '800m' };
      d['projects/tiny.yaml'] = { name: 'tiny', containers: [{ name: 'app', image: 'ghcr.io/acme/tiny:1.0', resources: { cpu: '10m' } }], developers: ['alice'] };
      d['projects/wide.yaml'] = { name: 'wide', containers: [{ name: 'app', image: 'ghcr.io/acme/wide:1.0', resources: { cpu: '250m' } }], developers: ['alice'] };
    },
    file: SHOP,
    path: 'schedule.alwaysOn',
    says: ['(wide 250m, the largest of 3 other envs) need 1050m of CPU requests', 'developer alice in cluster "dev" (namespace dev-alice)', 'so wide could not wake'],
  },
];

describe('always-on envs within the namespace quota', () => {
  it.each([
    ['one always-on env and the largest other env exactly at the quota', (d: Defs) => {
      C(d).quota = { cpu: '1' };
      alwaysOn(S(d));
      S(d).containers[0].resources = { cpu: '850m' };
    }],
    ['two always-on envs of 4 CPUs each and a quota of 8 CPUs, nothing else', (d: Defs) => {
      alwaysOn(S(d));
      S(d).containers[0].resources = { cpu: '4' };
      alwaysOn(W(d));
      W(d).containers[1].resources = { cpu: '3900m' };
    }],
    ['two always-on projects of 5 CPUs each whose developers differ (different namespaces)', (d: Defs) => {
      alwaysOn(S(d));
      S(d).developers = ['carol'];
      S(d).containers[0].resources = { cpu: '5' };
      alwaysOn(W(d));
      W(d).containers[1].resources = { cpu: '4900m' };
    }],
    ['envs that sleep and together exceed the quota (only the awake ones count, and any one fits)', (d: Defs) => {
      C(d).quota = { cpu: '1' };
      S(d).containers[0].resources = { cpu: '900m' };
    }],
    ['a project always on for a developer whose own override turns it off', (d: Defs) => {
      C(d).quota = { cpu: '1' };
      alwaysOn(S(d));
      S(d).containers[0].resources = { cpu: '900m' };
      C(d).developers[0].schedule = { alwaysOn: false };
      C(d).developers[1].schedule = { alwaysOn: false };
    }],
  ])('GIVEN %s WHEN validated THEN it is valid (control)', async (_, edit) => {
    await expectValid(edit);
  });

  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 naming the file and field, and nothing is written', async (_, c) => {
    const result = await expectRefused(c);
    if (c.exact !== undefined) expect(result.stderr.split('\n')[0]).toBe(c.exact);
  });
});
