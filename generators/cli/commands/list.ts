import { loadValidPart } from '../../definitions/load-fleet.ts';
import { developerArgocdLink, envArgocdLink } from '../../plan/argocd-links.ts';
import { clusterDir, TREE } from '../../plan/layout.ts';
import { formatEnvId } from '../../plan/env-id.ts';
import { envUrls } from '../../plan/plan.ts';
import type { Io } from '../io.ts';
import { warnSkipped } from '../warn-skipped.ts';
import { selectClusters } from '../../plan/select.ts';
import { didYouMean } from '../../util/did-you-mean.ts';
import { NotFoundError } from '../../util/errors.ts';

export interface EnvRow {
  cluster: string;
  /** The real names (the env's identity), never shortened ones. */
  developer: string;
  project: string;
  namespace: string;
  /** The Argo CD Application name (shortened when long, see plan/names.ts). */
  application: string;
  /** Host names, one per route, e.g. `my-app-com--alice.dev.example.com`. */
  hosts: string[];
  /** Full https URLs (with the route's path), one per route. */
  urls: string[];
  /** Replicas the env is created with (envs sleep until woken). */
  replicas: number;
  ingressGroup: string | null;
  chart: string;
  /** The env's page in Argo CD's UI (plan/argocd-links.ts). */
  argocd: string;
  /** Argo CD's Applications list filtered to this developer's envs. */
  argocdDeveloper: string;
}

export async function listCommand(root: string, opts: { cluster?: string; json?: boolean; developer?: string }, io: Io): Promise<number> {
  const { fleet, skipped } = await loadValidPart(root);
  warnSkipped(io)(skipped);
  const plans = selectClusters(fleet, opts.cluster);
  const developer = opts.developer;
  if (developer !== undefined && !plans.some((plan) => plan.cluster.developers.some((d) => d.name === developer))) {
    const names = [...new Set(plans.flatMap((plan) => plan.cluster.developers.map((d) => d.name)))];
    throw new NotFoundError(`"${developer}" is not a developer of ${opts.cluster === undefined ? 'any cluster' : `cluster ${opts.cluster}`}; ${didYouMean(developer, names)}developers: ${names.join(', ')}`);
  }
  const rows: EnvRow[] = plans.flatMap((plan) =>
    plan.envs.filter((env) => developer === undefined || env.developer === developer).map((env) => ({
      cluster: plan.cluster.name,
      developer: env.id.developer,
      project: env.id.project,
      namespace: env.namespace,
      application: env.application,
      hosts: env.hosts.map((h) => h.host),
      urls: envUrls(env),
      replicas: 0,
      ingressGroup: env.ingressGroup ?? null,
      chart: `${clusterDir(plan.cluster.name)}/${TREE.chart(env.project.name)}`,
      argocd: envArgocdLink(env),
      argocdDeveloper: developerArgocdLink(plan.cluster, env.developer),
    })),
  );
  if (opts.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const table = [['CLUSTER', 'ENV', 'NAMESPACE', 'APPLICATION', 'ARGO CD', 'URLS'], ...rows.map((r) => [r.cluster, formatEnvId(r), r.namespace, r.application, r.argocd, r.urls.join(' ') || '-'])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  io.stdout(table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n');
  // One developer's envs: also their filtered list in Argo CD.
  if (developer !== undefined) for (const link of new Set(rows.map((r) => r.argocdDeveloper))) io.stdout(`Argo CD, ${developer}'s envs: ${link}\n`);
  return 0;
}
