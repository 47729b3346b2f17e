import { describe, it } from 'vitest';
import { C, CLUSTER, expectRefused, expectValid, S, W, WEB, type BadInputCase, type Defs } from '../helpers/bad-input.ts';

const cases: BadInputCase[] = [
  {
    given: 'a memory limit below the memory request',
    defect: (d) => (W(d).containers[0].resources = { cpu: '100m', memory: '512Mi', memoryLimit: '256Mi' }),
    file: WEB,
    path: 'containers[0].resources.memoryLimit',
    says: ['"256Mi" is below the memory request "512Mi" of container "nginx"', 'raise memoryLimit to at least "512Mi" or lower memory'],
    lineOf: 'memoryLimit: 256Mi',
  },
  {
    given: 'a memory limit below the default memory request (128Mi)',
    defect: (d) => (W(d).containers[1].resources = { memoryLimit: '64Mi' }),
    file: WEB,
    path: 'containers[1].resources.memoryLimit',
    says: ['"64Mi" is below the memory request "128Mi" of container "api"'],
  },
  {
    given: "a Pod whose CPU requests exceed the namespace quota",
    defect: (d) => {
      C(d).quota = { cpu: '1' };
      W(d).containers[1].resources = { cpu: '2' };
    },
    file: WEB,
    path: 'containers[1].resources.cpu',
    says: [
      'the env\'s Pod needs 2100m of CPU requests (nginx 100m, api 2), more than cluster "dev" allows a developer namespace (clusters/dev.yaml quota.cpu 1, the namespace\'s requests.cpu), so it could never start',
      'ask ops to raise quota.cpu',
    ],
    lineOf: "cpu: \"2\"",
  },
  {
    given: 'a Pod that fits the CPU quota only without the swap agent (LimitRange default 50m)',
    defect: (d) => (C(d).quota = { cpu: '180m' }),
    file: WEB,
    path: 'containers[0].resources.cpu',
    says: ['needs 150m of CPU requests (nginx 100m, api 50m) and fits cluster "dev"\'s namespace quota', 'only without the Telepresence traffic agent `devfleet swap` adds, which gets the LimitRange default 50m (200m in all), so swap would fail'],
  },
  {
    given: 'a Pod whose memory limits exceed quota.memory',
    defect: (d) => {
      C(d).quota = { memory: '1Gi' };
      W(d).containers[1].resources = { memory: '128Mi', memoryLimit: '1Gi' };
    },
    file: WEB,
    path: 'containers[1].resources.memoryLimit',
    says: ['the env\'s Pod needs 1152Mi of memory limits (nginx 128Mi, api 1Gi)', "quota.memory 1Gi, the namespace's limits.memory", 'could never start'],
  },
  {
    given: 'a Pod whose memory requests exceed quota.memory (the path is the request, memoryLimit follows it)',
    defect: (d) => {
      C(d).quota = { memory: '1Gi' };
      W(d).containers[0].resources = { cpu: '100m', memory: '1Gi' };
    },
    file: WEB,
    path: 'containers[0].resources.memory',
    says: ['the env\'s Pod needs 1152Mi of memory requests (nginx 1Gi, api 128Mi)'],
    // the limits (equal to the requests) exceed too, reported at the same field
    problems: 2,
  },
  {
    given: "one env's persistent volumes larger than quota.storage",
    defect: (d) => (C(d).quota = { storage: '1Gi' }),
    file: WEB,
    path: 'containers[1].volumes',
    says: ['the env\'s persistent volumes request 2Gi (api/data 2Gi), more than cluster "dev" allows a developer namespace (clusters/dev.yaml quota.storage 1Gi), so its PVCs could never be created'],
  },
  {
    given: "one env needing more PVCs than quota.persistentVolumeClaims",
    defect: (d) => (C(d).quota = { persistentVolumeClaims: 0 }),
    file: WEB,
    path: 'containers',
    says: ['the env needs 1 PVCs, more than cluster "dev" allows a developer namespace (clusters/dev.yaml quota.persistentVolumeClaims 0)'],
  },
  {
    given: "a developer's envs whose PVCs together exceed quota.storage",
    defect: (d: Defs) => {
      C(d).quota = { storage: '3Gi' };
      S(d).containers[0].volumes = [{ path: '/data', persistent: true, size: '2Gi' }];
    },
    file: CLUSTER,
    path: 'quota.storage',
    says: ['developer "alice" gets envs whose PVCs request 4Gi together (shop 2Gi, web 2Gi), more than the 3Gi of namespace dev-alice\'s quota', 'Raise quota.storage to at least 4Gi'],
    lineOf: 'storage: 3Gi',
    // alice and bob both get web and shop
    problems: 2,
  },
  {
    given: "a developer's envs with more PVCs together than quota.persistentVolumeClaims",
    defect: (d: Defs) => {
      C(d).quota = { persistentVolumeClaims: 1 };
      S(d).containers[0].volumes = [{ path: '/data', persistent: true }];
    },
    file: CLUSTER,
    path: 'quota.persistentVolumeClaims',
    says: ['developer "bob" gets envs with 2 PVCs together (shop 1, web 1)', 'Raise quota.persistentVolumeClaims to at least 2'],
    problems: 2,
  },
];

describe('resources Kubernetes would refuse', () => {
  it('GIVEN a Pod that fits the quota with room for the swap agent, exactly WHEN validated THEN it is valid (control)', async () => {
    // web: 100m + 50m, plus the agent's 50m = 200m
    await expectValid((d) => (C(d).quota = { cpu: '200m', storage: '2Gi', persistentVolumeClaims: 1 }));
  });

  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 naming the file and field, and nothing is written', async (_, c) => {
    await expectRefused(c);
  });
});
