/**
 * The cost model on definition sets written for these tests, with round test prices so every
 * expected figure can be worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { deriveRates, fleetCost, type FleetCost } from '../../generators/cost/fleet-cost.ts';
import type { PriceList, Prices } from '../../generators/cost/prices.ts';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { expectReconciled } from '../helpers/cost.ts';
import { tempRoot } from '../helpers/fixtures.ts';

/** 700 hours a month; instances priced so a vCPU-hour and a GiB-hour cost $0.10 on demand, $0.05 spot. */
const PRICES: Prices = {
  date: '2026-01-01',
  region: 'test-1',
  currency: 'USD',
  hoursPerMonth: { value: 700, source: 'test' },
  eksControlPlanePerHour: { value: 0.1, source: 'test' },
  instances: {
    value: {
      'x1.small': { vcpu: 1, memoryGiB: 1, onDemandPerHour: 0.2 },
      'y1.small': { vcpu: 1, memoryGiB: 3, onDemandPerHour: 0.4 },
      'm7i.large': { vcpu: 2, memoryGiB: 8, onDemandPerHour: 0.1 },
    },
    source: 'test',
  },
  envInstances: { value: ['x1.small', 'y1.small'], source: 'test' },
  spotSavings: { value: 0.5, source: 'test' },
  albPerHour: { value: 0.02, source: 'test' },
  albPerLcuHour: { value: 0.01, source: 'test' },
  efsStandardPerGbMonth: { value: 0.5, source: 'test' },
  assumptions: {
    manualWake: { value: '10:00' },
    workingDays: { value: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    nodeUtilisation: { value: 0.5 },
    lcuPerAlb: { value: 1 },
  },
};
const LIST: PriceList = { file: 'test-prices.json', prices: PRICES };

interface Defs {
  developers: string[];
  projects: ({ name: string } & Record<string, unknown>)[];
  cluster?: Record<string, unknown>;
}

async function costOf(defs: Defs): Promise<FleetCost> {
  const files: Record<string, string> = {
    'clusters/lab.yaml': stringify({
      name: 'lab',
      domain: 'lab.example.com',
      timeZone: 'UTC',
      developers: defs.developers.map((name) => ({ name })),
      argocd: { repoURL: 'https://git.example.com/lab.git' },
      ...defs.cluster,
    }),
  };
  for (const project of defs.projects) files[`projects/${project.name}.yaml`] = stringify(project);
  const fleet = await loadFleet(tempRoot(files));
  return fleetCost(fleet.clusters, LIST);
}

const container = (cpu: string, memory: string, extra: object = {}) => ({ name: 'main', image: 'busybox:1.37', ports: [{ name: 'http', port: 8080 }], resources: { cpu, memory }, ...extra });

describe('deriveRates', () => {
  it('GIVEN the test instance mix WHEN split into vCPU and memory THEN a vCPU-hour and a GiB-hour cost $0.10 on demand and $0.05 spot', () => {
    const rates = deriveRates(PRICES);
    expect(rates.spotPerVcpuHour).toBeCloseTo(0.05, 12);
    expect(rates.spotPerGibHour).toBeCloseTo(0.05, 12);
    expect(rates.albPerMonth).toBeCloseTo(700 * 0.03, 9);
    expect(rates.controlPlanePerMonth).toBeCloseTo(70, 9);
    expect(rates.systemNodesPerMonth).toBeCloseTo(140, 9);
  });
});

describe('fleetCost', () => {
  it('GIVEN one always-on env of 1 CPU and 1 GiB with a 2 GB volume and no route WHEN costed THEN every figure is as worked out by hand', async () => {
    const cost = await costOf({
      developers: ['ann'],
      projects: [{ name: 'calc', containers: [container('1', '1Gi', { volumes: [{ path: '/data', persistent: true, size: '2G' }] })], schedule: { alwaysOn: true } }],
    });
    const [cluster] = cost.clusters;
    // 700 h x (1 x $0.05 + 1 x $0.05) / 0.5 utilisation = $140; 2 GB x $0.50 = $1;
    // the platform's ALB: 700 h x ($0.02 + 1 LCU x $0.01) = $21; EKS $70 + 2 system nodes $140.
    expect(cluster!.envs).toEqual([
      {
        developer: 'ann',
        project: 'calc',
        namespace: 'dev-ann',
        schedule: 'always on',
        awakeHoursPerMonth: 700,
        cpu: 1,
        memoryGiB: 1,
        storageGB: 2,
        ingressGroup: null,
        cents: { compute: 14_000, storage: 100, loadBalancers: 2_100, platform: 21_000, total: 37_200 },
      },
    ]);
    expect(cluster!.loadBalancers).toEqual({ envGroups: [], platform: 1, total: 1 });
    expect(cost.total).toEqual(cluster!.envs[0]!.cents);
  });

  it('GIVEN an app and its cron job sharing one 2 GB volume (one claimName) and a 1 GB volume of the cron\'s own WHEN costed THEN the env stores 3 GB: a shared claim is one PVC', async () => {
    const shared = { path: '/var/www/html', persistent: true, size: '2G', claimName: 'cloud-html' };
    const cost = await costOf({
      developers: ['ann'],
      projects: [
        {
          name: 'cloud',
          containers: [
            container('1', '1Gi', { name: 'app', volumes: [shared] }),
            container('1', '1Gi', { name: 'cron', ports: [], volumes: [{ ...shared, path: '/srv/html' }, { path: '/data', persistent: true, size: '1G' }] }),
          ],
        },
      ],
    });
    expect(cost.clusters[0]!.envs.map((e) => e.storageGB)).toEqual([3]);
  });

  it('GIVEN four developers of a project with a route behind the front door WHEN costed THEN the cluster\'s one ALB and the platform are shared equally', async () => {
    const cost = await costOf({
      developers: ['ann', 'bob', 'cat', 'dan'],
      projects: [{ name: 'web', containers: [container('500m', '512Mi')], routes: [{ host: 'web', port: 'http' }], schedule: { alwaysOn: true } }],
    });
    const [cluster] = cost.clusters;
    expect(cluster!.loadBalancers).toEqual({ envGroups: [], platform: 1, total: 1 });
    // Each env: half of 700 h x ($0.05 + $0.05) / 0.5 = $70; one ALB of $21 and the $210 platform in quarters.
    for (const env of cluster!.envs) expect(env.cents).toEqual({ compute: 7_000, storage: 0, loadBalancers: 525, platform: 5_250, total: 12_775 });
    expect(cluster!.total).toEqual({ compute: 28_000, storage: 0, loadBalancers: 2_100, platform: 21_000, total: 51_100 });
  });

  it('GIVEN four developers of a project with a route and per-env Ingresses WHEN costed THEN the IngressGroup\'s ALB, the platform\'s ALB and the platform are shared equally', async () => {
    const cost = await costOf({
      cluster: { ingress: { mode: 'ingress-groups' } },
      developers: ['ann', 'bob', 'cat', 'dan'],
      projects: [{ name: 'web', containers: [container('500m', '512Mi')], routes: [{ host: 'web', port: 'http' }], schedule: { alwaysOn: true } }],
    });
    const [cluster] = cost.clusters;
    expect(cluster!.loadBalancers).toEqual({ envGroups: ['devfleet-lab-0'], platform: 1, total: 2 });
    // Each env: half of 700 h x ($0.05 + $0.05) / 0.5 = $70; two ALBs of $21 and the $210 platform in quarters.
    for (const env of cluster!.envs) expect(env.cents).toEqual({ compute: 7_000, storage: 0, loadBalancers: 1_050, platform: 5_250, total: 13_300 });
    expect(cluster!.total).toEqual({ compute: 28_000, storage: 0, loadBalancers: 4_200, platform: 21_000, total: 53_200 });
  });

  it('GIVEN shares that do not divide evenly WHEN costed THEN they differ by at most a cent and add up to the shared cost exactly', async () => {
    const cost = await costOf({ developers: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'], projects: [{ name: 'web', containers: [container('1', '1Gi')] }] });
    const shares = cost.clusters[0]!.envs.map((e) => e.cents.platform);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(21_000);
    const lb = cost.clusters[0]!.envs.map((e) => e.cents.loadBalancers);
    expect(lb.reduce((a, b) => a + b, 0)).toBe(2_100);
  });

  it('GIVEN a cluster without envs WHEN costed THEN its ALB and platform are reported as unallocated and still counted in the total', async () => {
    const cost = await costOf({ developers: ['ann'], projects: [] });
    const [cluster] = cost.clusters;
    expect(cluster!.envs).toEqual([]);
    expect(cluster!.unallocated).toEqual({ compute: 0, storage: 0, loadBalancers: 2_100, platform: 21_000, total: 23_100 });
    expect(cost.total).toEqual(cluster!.unallocated);
  });

  it('GIVEN a mixed fleet WHEN costed THEN every total is exactly the sum of its parts', async () => {
    const cost = await costOf({
      developers: ['ann', 'bob', 'cat'],
      cluster: { schedule: { sleep: '21:30', wake: '08:15' }, ingress: { groups: 2 } },
      projects: [
        { name: 'web', containers: [container('333m', '300Mi'), { ...container('70m', '97Mi'), name: 'side', ports: [{ name: 'alt', port: 9000 }] }], routes: [{ host: 'web', port: 'http' }, { host: 'alt', port: 'alt' }] },
        { name: 'db', containers: [container('250m', '1Gi', { volumes: [{ path: '/var/lib/db', persistent: true, size: '3Gi' }] })], schedule: { days: ['mon', 'wed'] } },
        { name: 'tool', containers: [container('10m', '32Mi')], developers: ['bob'], schedule: { alwaysOn: true } },
      ],
    });
    expectReconciled(cost);
  });
});
