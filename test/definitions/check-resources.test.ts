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
  // Node disk (issue 17). web's Pod by default: nginx requests 256Mi and may use 2Gi plus its 1Gi
  // emptyDir (3Gi), api 256Mi / 2Gi (a PVC is not node disk); the swap agent gets 256Mi / 1Gi.
  {
    given: 'an ephemeral-storage request above the default limit (2Gi)',
    defect: (d) => (W(d).containers[1].resources = { ephemeralStorage: '4Gi' }),
    file: WEB,
    path: 'containers[1].resources.ephemeralStorageLimit',
    says: ['"2Gi" is below the ephemeral-storage request "4Gi" of container "api"', 'raise ephemeralStorageLimit to at least "4Gi" or lower ephemeralStorage'],
  },
  {
    given: 'an explicit ephemeral-storage limit smaller than the emptyDirs of its container',
    defect: (d) => (W(d).containers[0].resources = { cpu: '100m', memory: '128Mi', ephemeralStorageLimit: '512Mi' }),
    file: WEB,
    path: 'containers[0].resources.ephemeralStorageLimit',
    says: [
      '"512Mi" is below the 1Gi of non-persistent volumes container "nginx" mounts (nginx 1Gi)',
      "the kubelet counts an emptyDir toward the Pod's ephemeral-storage limit",
      'Raise ephemeralStorageLimit to at least "1Gi" plus room for logs, leave it unset',
    ],
    lineOf: 'ephemeralStorageLimit: 512Mi',
  },
  {
    given: "a Pod whose ephemeral-storage limits exceed quota.ephemeralStorageLimit",
    defect: (d) => (C(d).quota = { ephemeralStorageLimit: '4Gi' }),
    file: WEB,
    path: 'containers[0].resources.ephemeralStorageLimit',
    says: [
      'the env\'s Pod needs 5Gi of ephemeral-storage limits (nginx 3Gi, api 2Gi), more than cluster "dev" allows a developer namespace (clusters/dev.yaml quota.ephemeralStorageLimit 4Gi, the namespace\'s limits.ephemeral-storage), so it could never start',
      'ask ops to raise quota.ephemeralStorageLimit',
    ],
  },
  {
    given: 'a Pod that fits quota.ephemeralStorageLimit only without the swap agent (LimitRange default 1Gi)',
    defect: (d) => (C(d).quota = { ephemeralStorageLimit: '5Gi' }),
    file: WEB,
    path: 'containers[0].resources.ephemeralStorageLimit',
    says: ['needs 5Gi of ephemeral-storage limits (nginx 3Gi, api 2Gi) and fits', 'which gets the LimitRange default 1Gi (6Gi in all), so swap would fail'],
  },
  {
    given: "a Pod whose ephemeral-storage requests exceed quota.ephemeralStorage",
    defect: (d) => {
      C(d).quota = { ephemeralStorage: '1Gi' };
      W(d).containers[1].resources = { ephemeralStorage: '1Gi' };
    },
    file: WEB,
    path: 'containers[1].resources.ephemeralStorage',
    says: ['the env\'s Pod needs 1280Mi of ephemeral-storage requests (nginx 256Mi, api 1Gi)', "quota.ephemeralStorage 1Gi, the namespace's requests.ephemeral-storage"],
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

  it('GIVEN web\'s nginx and api sharing api\'s 2Gi volume (one claimName) in a namespace allowing one PVC of 2Gi WHEN validated THEN it is valid: a shared claim is one PVC, counted once', async () => {
    await expectValid((d) => {
      C(d).quota = { storage: '2Gi', persistentVolumeClaims: 1 };
      W(d).containers[0].volumes = [{ path: '/srv/data', persistent: true, size: '2Gi', claimName: 'web-data' }];
      W(d).containers[1].volumes[0].claimName = 'web-data';
    });
  });

  it('GIVEN a Pod whose ephemeral storage fits the quota with room for the swap agent, exactly WHEN validated THEN it is valid (control)', async () => {
    // web: requests 256Mi + 256Mi, plus the agent's 256Mi; limits 3Gi + 2Gi, plus the agent's 1Gi
    await expectValid((d) => (C(d).quota = { ephemeralStorage: '768Mi', ephemeralStorageLimit: '6Gi' }));
  });

  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 naming the file and field, and nothing is written', async (_, c) => {
    await expectRefused(c);
  });
});
