/**
 * `devfleet cost` on a definition set written for this test: the JSON reconciles, and the cost
 * moves the way it must when a schedule, a request or a developer changes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { ClusterCost, FleetCost } from '../../../generators/cost/fleet-cost.ts';
import { runCli } from '../../helpers/cli.ts';
import { expectReconciled } from '../../helpers/cost.ts';
import { REPO, tempRoot } from '../../helpers/fixtures.ts';
import { formatUsd } from '../../../generators/cost/money.ts';

const CLUSTER = {
  name: 'studio',
  domain: 'studio.example.org',
  timeZone: 'Europe/Paris',
  schedule: { sleep: '21:00' },
  developers: [{ name: 'ines' }, { name: 'jules' }, { name: 'karim', schedule: { sleep: '23:00' } }],
  argocd: { repoURL: 'https://git.example.org/studio.git' },
};
const PROJECTS = {
  atlas: {
    name: 'atlas',
    containers: [
      { name: 'web', image: 'caddy:2.8', ports: [{ name: 'http', port: 80 }], resources: { cpu: '100m', memory: '128Mi' } },
      { name: 'api', image: 'python:3.13', ports: [{ name: 'api', port: 8000 }], resources: { cpu: '250m', memory: '384Mi' } },
      { name: 'pg', image: 'postgres:17', ports: [{ name: 'pg', port: 5432 }], resources: { cpu: '200m', memory: '512Mi' }, volumes: [{ path: '/var/lib/postgresql/data', persistent: true, size: '4Gi' }] },
    ],
    routes: [{ host: 'atlas.example.org', port: 'http' }, { host: 'api.atlas.example.org', port: 'api' }],
    schedule: { wake: '08:30' },
  },
  beacon: {
    name: 'beacon',
    containers: [{ name: 'worker', image: 'golang:1.24', ports: [{ name: 'metrics', port: 9090 }], resources: { cpu: '500m', memory: '1Gi' } }],
    developers: ['ines', 'karim'],
  },
  compass: {
    name: 'compass',
    containers: [{ name: 'site', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }], resources: { cpu: '20m', memory: '48Mi' } }],
    routes: [{ host: 'compass', port: 'http' }],
    schedule: { alwaysOn: true },
  },
};

function studio(): string {
  const files: Record<string, string> = { 'clusters/studio.yaml': stringify(CLUSTER) };
  for (const [name, project] of Object.entries(PROJECTS)) files[`projects/${name}.yaml`] = stringify(project);
  return tempRoot(files);
}

function edit(root: string, file: string, change: (doc: Record<string, any>) => void): void {
  const doc = parse(readFileSync(join(root, file), 'utf8')) as Record<string, any>;
  change(doc);
  writeFileSync(join(root, file), stringify(doc));
}

async function cost(root: string): Promise<ClusterCost> {
  const result = await runCli('cost', '--root', root, '--json');
  expect(result.code, result.stderr).toBe(0);
  const fleet = JSON.parse(result.stdout) as FleetCost;
  expectReconciled(fleet);
  return fleet.clusters[0]!;
}

const env = (c: ClusterCost, id: string) => c.envs.find((e) => `${e.developer}/${e.project}` === id)!;

describe('devfleet cost', () => {
  it('GIVEN a definition set written for this test WHEN costed as JSON THEN every total is the sum of its parts, in integer cents', async () => {
    const c = await cost(studio());
    expect(c.envs.map((e) => `${e.developer}/${e.project}`)).toEqual(['ines/atlas', 'ines/beacon', 'ines/compass', 'jules/atlas', 'jules/compass', 'karim/atlas', 'karim/beacon', 'karim/compass']);
    // Behind the front door: one ALB for the cluster, whatever the routes.
    expect(c.loadBalancers.total).toBe(1);
    expect(env(c, 'ines/compass').awakeHoursPerMonth).toBe(730);
    expect(env(c, 'ines/atlas').schedule).toBe('wakes 08:30 weekdays, sleeps 21:00 daily');
  });

  it('GIVEN an earlier nightly sleep WHEN costed again THEN compute falls for every env that sleeps and nothing else changes', async () => {
    const root = studio();
    const before = await cost(root);
    edit(root, 'clusters/studio.yaml', (d) => (d.schedule.sleep = '19:00'));
    const after = await cost(root);
    for (const e of after.envs) {
      const b = env(before, `${e.developer}/${e.project}`);
      if (e.project === 'compass' || e.developer === 'karim') expect(e.cents.compute).toBe(b.cents.compute);
      else expect(e.cents.compute).toBeLessThan(b.cents.compute);
      expect([e.cents.storage, e.cents.loadBalancers, e.cents.platform]).toEqual([b.cents.storage, b.cents.loadBalancers, b.cents.platform]);
    }
    expect(after.total.total).toBeLessThan(before.total.total);
  });

  it('GIVEN a project made always-on WHEN costed again THEN its envs cost more', async () => {
    const root = studio();
    const before = await cost(root);
    edit(root, 'projects/beacon.yaml', (d) => (d.schedule = { alwaysOn: true }));
    const after = await cost(root);
    expect(env(after, 'ines/beacon').cents.compute).toBeGreaterThan(env(before, 'ines/beacon').cents.compute);
    expect(env(after, 'ines/atlas').cents).toEqual(env(before, 'ines/atlas').cents);
  });

  it('GIVEN a larger CPU request WHEN costed again THEN that project\'s envs cost more and other projects\' envs the same', async () => {
    const root = studio();
    const before = await cost(root);
    edit(root, 'projects/atlas.yaml', (d) => (d.containers[1].resources.cpu = '1500m'));
    const after = await cost(root);
    for (const id of ['ines/atlas', 'jules/atlas', 'karim/atlas']) expect(env(after, id).cents.compute).toBeGreaterThan(env(before, id).cents.compute);
    for (const id of ['ines/beacon', 'karim/compass']) expect(env(after, id).cents).toEqual(env(before, id).cents);
    expect(after.projects.find((p) => p.name === 'atlas')!.cents.total).toBeGreaterThan(before.projects.find((p) => p.name === 'atlas')!.cents.total);
  });

  it('GIVEN one more developer WHEN costed again THEN the fleet costs more, and each env\'s share of the platform is smaller', async () => {
    const root = studio();
    const before = await cost(root);
    edit(root, 'clusters/studio.yaml', (d) => d.developers.push({ name: 'lea' }));
    const after = await cost(root);
    expect(after.envs.length).toBe(before.envs.length + 2);
    expect(after.developers.map((d) => d.name)).toEqual(['ines', 'jules', 'karim', 'lea']);
    expect(after.total.total).toBeGreaterThan(before.total.total);
    expect(after.total.platform).toBe(before.total.platform);
    expect(env(after, 'ines/atlas').cents.platform).toBeLessThan(env(before, 'ines/atlas').cents.platform);
  });

  it('GIVEN a developer removed WHEN costed again THEN the fleet costs less', async () => {
    const root = studio();
    const before = await cost(root);
    edit(root, 'clusters/studio.yaml', (d) => d.developers.splice(1, 1));
    const after = await cost(root);
    expect(after.envs.length).toBe(before.envs.length - 2);
    expect(after.total.total).toBeLessThan(before.total.total);
  });

  it('GIVEN the text format WHEN run THEN it names the prices file and shows the cluster total from the JSON', async () => {
    const root = studio();
    const c = await cost(root);
    const text = await runCli('cost', '--root', root);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('Monthly cost estimate (USD), prices of 2026-11-30 for ap-northeast-1 from generators/cost/prices.json.');
    const dollars = `$${(c.total.total / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
    expect(text.stdout).toMatch(new RegExp(`^  cluster .*${dollars.replace(/[$.]/g, '\\$&')}$`, 'm'));
  });

  it('GIVEN a prices file with a mistake WHEN run THEN it exits 1 naming the problem; GIVEN an unknown cluster THEN a usage error (exit 2)', async () => {
    const root = tempRoot({ 'p.json': '{}' });
    const defs = studio();
    const bad = await runCli('cost', '--root', defs, '--prices', join(root, 'p.json'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(': date: is missing; add it (see generators/cost/prices.json)');
    const unknown = await runCli('cost', '--root', defs, '--cluster', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('devfleet: --cluster nope: unknown cluster; defined clusters: studio (see clusters/*.ts)');
  });

  it('GIVEN the article\'s fleet in examples/ WHEN costed THEN the figures are the ones docs/cost.md shows', async () => {
    const c = await cost(join(REPO, 'examples', 'article-2019'));
    expect(c.envs.length).toBe(300);
    expect(c.loadBalancers.total).toBe(1);
    const readme = readFileSync(join(REPO, 'docs', 'cost.md'), 'utf8');
    // The worked example's table comes after the model's, which has rows of the same names.
    const row = (part: string) => readme.split('\n').filter((line) => line.startsWith(`| ${part} |`)).at(-1) ?? '';
    expect(row('compute')).toContain(`| ${formatUsd(c.total.compute)} (`);
    expect(row('EFS')).toContain(`| ${formatUsd(c.total.storage)} (`);
    expect(row('ALB')).toContain(`| ${formatUsd(c.total.loadBalancers)}: 1 ALB (the front door`);
    expect(row('**total**')).toContain(`| **${formatUsd(c.total.total)}**: on average ${formatUsd(Math.round(c.total.total / c.developers.length))} per developer, ${formatUsd(Math.round(c.total.total / c.envs.length))} per env |`);
  });
});
