import { formatEnvId } from '../../plan/env-id.ts';
import { envUrls } from '../../plan/plan.ts';
import { connect, KubeError, type KubeApi } from '../../kube/kube-api.ts';
import { resolveEnv, type TargetOptions } from '../../lifecycle/target.ts';
import { envStatus } from '../../lifecycle/env-state.ts';
import { labelSelector, podSelectorLabels } from '../../plan/labels.ts';
import { clearForceActivation, envScaledObject, keepAwakeThroughKeda } from '../../lifecycle/force-activation.ts';
import { behindFrontDoor } from '../../plan/front-door.ts';
import type { Env } from '../../plan/plan.ts';
import { NotFoundError, RefusedError, UsageError } from '../../util/errors.ts';
import type { Io } from '../io.ts';
import { warnSkipped } from '../warn-skipped.ts';

export interface ScaleOptions extends TargetOptions {
  readonly context?: string | undefined;
  readonly wait?: boolean | undefined;
  readonly timeout?: string | undefined;
}

/** The env's Deployment, or a message that says why it is not there yet. */
export async function envDeployment(api: KubeApi, env: Env) {
  try {
    return await api.readDeployment(env.namespace, env.release);
  } catch (error) {
    if (error instanceof KubeError && error.status === 404) {
      throw new NotFoundError(
        `env ${formatEnvId(env.id)} has no Deployment in namespace ${env.namespace} yet (context ${api.context}): Argo CD has not synced its Application ${env.application}. Is the change merged? Check the Application in Argo CD, or that you are on the right cluster`,
      );
    }
    throw error;
  }
}

/** Every flag of `up`, checked before anything is read or changed (a bad --timeout must not wake the env first). */
function upTimeouts(opts: ScaleOptions): { waitMs: number | undefined; kedaMs: number } {
  if (opts.timeout !== undefined && !opts.wait) throw new UsageError(`--timeout ${opts.timeout} needs --wait: it bounds how long up waits for the env to be ready (e.g. devfleet up my-app --wait --timeout 10m)`);
  return { waitMs: opts.wait ? parseDuration(opts.timeout ?? DEFAULT_WAIT) : undefined, kedaMs: parseDuration(process.env.DEVFLEET_KEDA_TIMEOUT ?? '90s', 'DEVFLEET_KEDA_TIMEOUT') };
}

/** How long `up --wait` waits when --timeout is not given. */
export const DEFAULT_WAIT = '5m';

export async function upCommand(root: string, project: string, opts: ScaleOptions, io: Io): Promise<number> {
  const timeouts = upTimeouts(opts);
  const env = await resolveEnv(root, project, opts, warnSkipped(io));
  const api = connect({ context: opts.context });
  const before = await envDeployment(api, env);
  // Behind the front door KEDA owns the replica count: read its ScaledObject before scaling.
  const scaled = behindFrontDoor(env) ? await envScaledObject(api, env) : undefined;
  if (before.replicas >= 1) io.stderr(`${formatEnvId(env.id)}: already ${envStatus(before)} in ${env.namespace}`);
  else {
    await api.scaleDeployment(env.namespace, env.release, 1);
    io.stderr(`${formatEnvId(env.id)}: waking up in ${env.namespace}`);
  }
  if (scaled) {
    const confirmed = await keepAwakeThroughKeda(api, env, scaled, { timeoutMs: timeouts.kedaMs, pollMs: pollInterval() });
    const idle = `${env.schedule.idleMinutes} min`;
    io.stderr(
      confirmed
        ? `${formatEnvId(env.id)}: KEDA keeps it awake while it gets requests, and lets it sleep after ${idle} without any${env.schedule.sleep ? ' (or at the nightly sleep)' : ''}`
        : `${formatEnvId(env.id)}: KEDA did not confirm the wake in time (is KEDA running? \`kubectl -n keda get pods\`); the env is scaled to 1, but KEDA may put it back to sleep at its next check unless it gets requests`,
    );
  } else if (behindFrontDoor(env)) {
    io.stderr(`${formatEnvId(env.id)}: its ScaledObject is not there yet (Argo CD has not synced it, or KEDA is not installed): scaled without KEDA`);
  }
  if (timeouts.waitMs !== undefined) {
    const ready = await waitUntilReady(api, env, timeouts.waitMs, io);
    if (!ready) return 1;
  }
  for (const url of envUrls(env)) io.stdout(`${url}\n`);
  return 0;
}

export async function downCommand(root: string, project: string, opts: ScaleOptions, io: Io): Promise<number> {
  const env = await resolveEnv(root, project, opts, warnSkipped(io));
  // KEDA keeps an always-on env at one replica (chart/scaled-object.ts minReplicaCount): scaled to 0
  // it would be awake again at KEDA's next check, within 30 s, after `down` had said it sleeps.
  if (behindFrontDoor(env) && env.schedule.sleep === undefined) {
    throw new RefusedError(`${formatEnvId(env.id)} is always on (alwaysOn: true, in ${env.project.file} or the developer's schedule in ${env.cluster.file}): KEDA keeps one replica and would wake it again within 30 s, so down changes nothing; set alwaysOn: false to let it sleep`);
  }
  const api = connect({ context: opts.context });
  const before = await envDeployment(api, env);
  // Behind the front door, a force-activation annotation left by an interrupted `up` would wake it again.
  const scaled = behindFrontDoor(env) ? await envScaledObject(api, env) : undefined;
  const cleared = scaled ? await clearForceActivation(api, env, scaled) : false;
  const wakes = behindFrontDoor(env) ? '; opening its URL wakes it again' : '';
  if (before.replicas === 0) {
    io.stderr(`${formatEnvId(env.id)}: already asleep in ${env.namespace}${cleared ? ' (a leftover keep-awake annotation was removed)' : ''}${wakes}`);
    return 0;
  }
  await api.scaleDeployment(env.namespace, env.release, 0);
  io.stderr(`${formatEnvId(env.id)}: asleep in ${env.namespace} (data on persistent volumes is kept)${wakes}`);
  return 0;
}

async function waitUntilReady(api: KubeApi, env: Env, timeoutMs: number, io: Io): Promise<boolean> {
  const started = Date.now();
  const selector = labelSelector(podSelectorLabels(env.project.name, env.release));
  let last = '';
  for (;;) {
    const deployment = await api.readDeployment(env.namespace, env.release);
    if (deployment.readyReplicas >= 1) {
      if (io.interactive) process.stderr.write('\r\x1b[K');
      io.stderr(`${formatEnvId(env.id)}: awake after ${Math.round((Date.now() - started) / 1000)} s`);
      return true;
    }
    const pods = await api.listPods(env.namespace, selector);
    const reasons = pods.flatMap((p) => p.waitingReasons);
    const line = `${formatEnvId(env.id)}: starting (${Math.round((Date.now() - started) / 1000)} s) ${pods.map((p) => p.phase).join(', ') || 'no Pod yet'}${reasons.length ? `; ${reasons.join(', ')}` : ''}`;
    if (io.interactive) process.stderr.write(`\r${line}\x1b[K`);
    else if (line.replace(/\(\d+ s\)/, '') !== last) io.stderr(line);
    last = line.replace(/\(\d+ s\)/, '');
    if (Date.now() - started > timeoutMs) {
      if (io.interactive) process.stderr.write('\n');
      io.stderr(`${formatEnvId(env.id)}: not ready after ${Math.round(timeoutMs / 1000)} s${reasons.length ? ` (${reasons.join(', ')})` : ''}; it keeps starting in the background. Look at its Pods in Headlamp or run \`devfleet status\``);
      return false;
    }
    await new Promise((r) => setTimeout(r, pollInterval()));
  }
}

/** Poll every second; tests make it faster through the environment. */
function pollInterval(): number {
  return Number(process.env.DEVFLEET_POLL_MS ?? 1000);
}

export function parseDuration(text: string, name = '--timeout'): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(text);
  if (!match) throw new UsageError(`${name} ${text}: write a duration like 90s or 5m`);
  const n = Number(match[1]);
  if (n === 0) throw new UsageError(`${name} ${text}: give a duration longer than 0, e.g. 90s or 5m`);
  return match[2] === 'ms' ? n : match[2] === 'm' ? n * 60_000 : n * 1000;
}
