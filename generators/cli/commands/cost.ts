/**
 * `devfleet cost`: the monthly estimate of generators/cost/fleet-cost.ts, as tables or JSON.
 */
import { resolve } from 'node:path';
import { fleetCost, type Cents, type ClusterCost, type FleetCost } from '../../cost/fleet-cost.ts';
import { formatUsd } from '../../cost/money.ts';
import { bundledPrices, loadPrices } from '../../cost/prices.ts';
import { UsageError } from '../../util/errors.ts';
import { loadValidPart } from '../../definitions/load-fleet.ts';
import { selectClusters } from '../../plan/select.ts';
import type { Io } from '../io.ts';
import { warnSkipped } from '../warn-skipped.ts';

export interface CostOptions {
  readonly cluster?: string;
  readonly json?: boolean;
  readonly prices?: string;
}

export async function costCommand(root: string, opts: CostOptions, io: Io): Promise<number> {
  if (opts.prices?.trim() === '') throw new UsageError('--prices "": give the path of a prices file shaped like generators/cost/prices.json');
  const prices = opts.prices === undefined ? bundledPrices() : await loadPrices(resolve(opts.prices), root);
  const { fleet, skipped } = await loadValidPart(root);
  warnSkipped(io)(skipped);
  const cost = fleetCost(selectClusters(fleet, opts.cluster), prices);
  io.stdout(opts.json ? `${JSON.stringify(cost, null, 2)}\n` : costText(cost));
  return 0;
}

const COLUMNS = ['compute', 'storage', 'ALBs', 'platform', 'total'];
const money = (c: Cents) => [c.compute, c.storage, c.loadBalancers, c.platform, c.total].map((n) => formatUsd(n).padStart(11));

function table(title: string, header: string[], rows: [label: string[], cents: Cents][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(([label]) => label[i]!.length)));
  const line = (label: string[], cells: string[]) => `  ${label.map((l, i) => l.padEnd(widths[i]!)).join('  ')}  ${cells.join(' ')}`.trimEnd();
  return [title, line(header, COLUMNS.map((c) => c.padStart(11))), ...rows.map(([label, c]) => line(label, money(c))), ''];
}

function costText(cost: FleetCost): string {
  const r = cost.rates;
  const lines = [
    `Monthly cost estimate (USD), prices of ${cost.prices.date} for ${cost.prices.region} from ${cost.prices.file}.`,
    `Spot compute $${r.spotPerVcpuHour.toFixed(4)}/vCPU-hour and $${r.spotPerGibHour.toFixed(5)}/GiB-hour; one ALB $${r.albPerMonth.toFixed(2)}/month; EKS control plane $${r.controlPlanePerMonth.toFixed(2)} and system nodes $${r.systemNodesPerMonth.toFixed(2)} per cluster-month.`,
    'The model and its assumptions: docs/cost.md.',
    '',
  ];
  for (const cluster of cost.clusters) lines.push(...clusterText(cluster));
  if (cost.clusters.length > 1) lines.push(...table('Fleet', ['clusters'], [[[String(cost.clusters.length)], cost.total]]));
  return `${lines.join('\n')}`;
}

function clusterText(c: ClusterCost): string[] {
  const lb = c.loadBalancers;
  return [
    `Cluster ${c.cluster}: ${c.envs.length} env(s), ${c.developers.length} developer(s), ${c.projects.length} project(s), ${lb.total} ALB(s) (${lb.envGroups.length} IngressGroup(s) + ${lb.platform} platform)`,
    '',
    ...table('  Total', [''], [[['cluster'], c.total], ...(c.unallocated.total > 0 ? [[['of which no env carries'], c.unallocated] as [string[], Cents]] : [])]),
    ...table('  Per developer', ['developer', 'envs'], c.developers.map((d) => [[d.name, String(d.envs)], d.cents])),
    ...table('  Per project', ['project', 'envs'], c.projects.map((p) => [[p.name, String(p.envs)], p.cents])),
    ...table(
      '  Per env',
      ['env', 'schedule', 'awake h', 'cpu', 'GiB', 'GB'],
      c.envs.map((e) => [[`${e.developer}/${e.project}`, e.schedule, e.awakeHoursPerMonth.toFixed(0), String(e.cpu), String(e.memoryGiB), String(e.storageGB)], e.cents]),
    ),
  ];
}
