import { developerArgocdLink, envArgocdLink } from '../../plan/argocd-links.ts';
import { envUrls } from '../../plan/plan.ts';
import { connect, type DeploymentState, type ScaledObjectState } from '../../kube/kube-api.ts';
import { envStatus, lastScaledAt, nextSleep, scaleReason, type EnvStatus, type ScaleReason } from '../../lifecycle/env-state.ts';
import { behindFrontDoor } from '../../plan/front-door.ts';
import { resolveTarget, type TargetOptions } from '../../lifecycle/target.ts';
import { DEVFLEET_SELECTOR } from '../../plan/labels.ts';
import { namespaceName } from '../../plan/names.ts';
import type { Io } from '../io.ts';
import { warnSkipped } from '../warn-skipped.ts';

export interface StatusRow {
  project: string;
  developer: string;
  namespace: string;
  status: EnvStatus;
  replicas: number;
  /** When the env was last scaled (ISO; lifecycle/env-state.ts lastScaledAt), or when it was created. */
  since: string | null;
  /** Why: who last scaled it (lifecycle/env-state.ts scaleReason); null when not synced. */
  reason: ScaleReason | null;
  /** The field manager of that scale, e.g. "keda", "kubectl", "devfleet". */
  scaledBy: string | null;
  /** Behind the front door: minutes without a request before KEDA lets it sleep; null otherwise (and when always on). */
  idleMinutes: number | null;
  /** Next run of its sleep job (ISO), or null when always on. */
  nextSleep: string | null;
  urls: string[];
  /** The env's page in Argo CD's UI (plan/argocd-links.ts). */
  argocd: string;
}

export async function statusCommand(root: string, opts: TargetOptions & { context?: string; json?: boolean }, io: Io, now = new Date()): Promise<number> {
  const { plan, developer } = await resolveTarget(root, opts, warnSkipped(io));
  const api = connect({ context: opts.context });
  const namespace = namespaceName(plan.cluster.namespacePrefix, developer);
  const deployments = new Map<string, DeploymentState>((await api.listDeployments(namespace, DEVFLEET_SELECTOR)).map((d) => [d.name, d]));
  const replicaSets = await api.listReplicaSets(namespace, DEVFLEET_SELECTOR);
  // Behind the front door, the ScaledObjects tell whether an env went to sleep for being idle.
  const scaledObjects = plan.envs.some((e) => e.developer === developer && behindFrontDoor(e))
    ? new Map((await api.listScaledObjects(namespace, DEVFLEET_SELECTOR)).map((o) => [o.name, o]))
    : new Map<string, ScaledObjectState>();
  const rows: StatusRow[] = plan.envs
    .filter((e) => e.developer === developer)
    .map((env) => {
      const d = deployments.get(env.release);
      const since = d ? (lastScaledAt(d, replicaSets) ?? null) : null;
      return {
        project: env.project.name,
        developer,
        namespace,
        status: envStatus(d),
        replicas: d?.replicas ?? 0,
        since,
        reason: d ? scaleReason(env, d, now, { since: since ?? undefined, scaledObject: scaledObjects.get(env.release) }) : null,
        scaledBy: d?.scaledBy ?? null,
        // Always-on envs never sleep, idle or not (KEDA keeps one replica).
        idleMinutes: behindFrontDoor(env) && env.schedule.sleep ? env.schedule.idleMinutes : null,
        nextSleep: d && d.replicas > 0 ? (nextSleep(env, now) ?? null) : null,
        urls: envUrls(env),
        argocd: envArgocdLink(env),
      };
    });
  if (opts.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout(`${developer} has no envs in cluster ${plan.cluster.name}\n`);
    return 0;
  }
  const fmt = (iso: string | null) => (iso ? formatLocal(iso, plan.cluster.timeZone) : '-');
  const table = [
    ['PROJECT', 'STATUS', 'WHY', 'SINCE', 'NEXT SLEEP', 'URL'],
    ...rows.map((r) => [
      r.project,
      r.status,
      r.reason ?? '-',
      fmt(r.since),
      r.status === 'asleep' || r.status === 'missing' ? '-' : `${r.nextSleep ? fmt(r.nextSleep) : 'never'}${r.idleMinutes !== null ? ` or idle ${r.idleMinutes} min` : ''}`,
      r.urls[0] ?? '-',
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  io.stdout(`${developer} in ${namespace} (cluster ${plan.cluster.name}, times in ${plan.cluster.timeZone}):\n`);
  io.stdout(table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n');
  // Each env's own page is in --json (`argocd`) and in `devfleet list`.
  io.stdout(`Argo CD, ${developer}'s envs: ${developerArgocdLink(plan.cluster, developer)}\n`);
  return 0;
}

/** `2026-11-25 22:00` in the cluster's time zone, the same on every machine. */
export function formatLocal(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
