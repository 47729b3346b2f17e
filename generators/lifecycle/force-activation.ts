/**
 * Waking and sleeping an env behind the front door, on top of KEDA.
 *
 * KEDA scales a Deployment it manages back to 0 at its next poll when no trigger has been active
 * for the cooldown (scaleToZeroOrIdle, KEDA's pkg/scaling/executor/scale_scaledobjects.go):
 * a replica set by hand would not last. So `devfleet up` scales the Deployment to 1 (as before)
 * AND sets the ScaledObject's force-activation annotation to "true" (plan/labels.ts), under which
 * KEDA counts the env active and records `status.lastActiveTime`; once KEDA has done so, the
 * annotation is removed again, and the env stays awake for its idle time (idleMinutes) from that
 * moment, longer while it gets requests. `down` removes the annotation (an interrupted `up` may
 * have left it) and scales to 0; a request to the env's URL wakes it again. The nightly sleep job
 * removes a leftover annotation too (generators/cluster/schedule-jobs.ts). Developers may change
 * that annotation and nothing else of a ScaledObject (generators/cluster/scaled-object-policy.ts).
 */
import { FORCE_ACTIVATION_ANNOTATION } from '../plan/labels.ts';
import { KubeError, type KubeApi, type ScaledObjectState } from '../kube/kube-api.ts';
import type { Env } from '../plan/plan.ts';

/** The env's ScaledObject, or undefined when there is none yet (not synced, or KEDA not installed). */
export async function envScaledObject(api: KubeApi, env: Env): Promise<ScaledObjectState | undefined> {
  try {
    return await api.readScaledObject(env.namespace, env.release);
  } catch (error) {
    if (error instanceof KubeError && error.status === 404) return undefined;
    throw error;
  }
}

export interface KeepAwakeOptions {
  /** How long to wait for KEDA to count the env active. */
  readonly timeoutMs: number;
  readonly pollMs: number;
}

/**
 * Holds the env active through KEDA until KEDA has recorded it (a newer `status.lastActiveTime`
 * than before, with the Deployment at 1 or more), then lets go. Returns whether KEDA confirmed
 * within the timeout; the annotation is removed in every case.
 */
export async function keepAwakeThroughKeda(api: KubeApi, env: Env, before: ScaledObjectState, options: KeepAwakeOptions): Promise<boolean> {
  await api.annotateScaledObject(env.namespace, env.release, FORCE_ACTIVATION_ANNOTATION, 'true');
  try {
    const started = Date.now();
    for (;;) {
      const now = await api.readScaledObject(env.namespace, env.release);
      const deployment = await api.readDeployment(env.namespace, env.release);
      const recorded = now.lastActiveTime !== undefined && (before.lastActiveTime === undefined || now.lastActiveTime > before.lastActiveTime);
      if (recorded && deployment.replicas >= 1) return true;
      if (Date.now() - started > options.timeoutMs) return false;
      await new Promise((r) => setTimeout(r, options.pollMs));
    }
  } finally {
    await api.annotateScaledObject(env.namespace, env.release, FORCE_ACTIVATION_ANNOTATION, undefined);
  }
}

/** Removes a leftover force-activation annotation, if there is one; true when one was removed. */
export async function clearForceActivation(api: KubeApi, env: Env, state: ScaledObjectState): Promise<boolean> {
  if (!(FORCE_ACTIVATION_ANNOTATION in state.annotations)) return false;
  await api.annotateScaledObject(env.namespace, env.release, FORCE_ACTIVATION_ANNOTATION, undefined);
  return true;
}
