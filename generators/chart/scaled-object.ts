/**
 * How KEDA scales an env behind the front door: one ScaledObject (`keda.sh/v1alpha1`) on the
 * env's Deployment, between 0 and 1 replica.
 * - Wake on request: one `external-push` trigger per InterceptorRoute (interceptor-route.ts); the
 *   add-on's scaler reports the route's request rate, and any request makes the env active.
 * - Sleep when idle: KEDA scales to 0 once no trigger has been active for `cooldownPeriod`
 *   seconds (the env's `idleMinutes`; scaleToZeroOrIdle in KEDA's
 *   pkg/scaling/executor/scale_scaledobjects.go at the pinned KEDA_VERSION).
 * - Scheduled wake: a `cron` trigger is active from the wake time to the sleep time (plan/
 *   schedule.ts wakeWindow), so the env is awake then without a request. A wake CronJob could not
 *   do this: KEDA would scale its replica back to 0 at the next poll.
 * - `alwaysOn`: at least one replica (`minReplicaCount: 1`).
 * - `devfleet up` sets the force-activation annotation to "true" until KEDA has counted the env as
 *   active (plan/labels.ts FORCE_ACTIVATION_ANNOTATION); Argo CD ignores it.
 * Per-env settings (idle time, always-on, wake window) are Helm values: the chart is shared by
 * every env of the project. The ScaledObject carries the Deployment's sleep/wake labels, so the
 * nightly sleep job finds it to clear a leftover force-activation annotation.
 * Ref https://keda.sh/docs/2.21/reference/scaledobject-spec/
 * Ref https://keda.sh/docs/2.21/scalers/cron/
 * Shape: test/fixtures/keda/keda.sh_scaledobjects.yaml (the pinned KEDA), against which
 * test/acceptance/k8s-schemas.test.ts validates every generated one.
 */
import { behindFrontDoor } from '../plan/front-door.ts';
import type { ClusterModel, ProjectModel } from '../plan/model.ts';
import type { Env } from '../plan/plan.ts';
import { wakeWindow } from '../plan/schedule.ts';
import type { ChartObject } from './chart-object.ts';
import { integerValue, release, values } from './helm-text.ts';
import { interceptorRouteName, routedPorts } from './interceptor-route.ts';
import { chartLabels, scheduleLabels } from './labels.ts';

export const SCALED_OBJECT_API_VERSION = 'keda.sh/v1alpha1';
export const SCALED_OBJECT_KIND = 'ScaledObject';

/**
 * Where the add-on's scaler answers KEDA: `local.http_scaler_address` in
 * terraform/modules/platform/front-door.tf (test/chart/scaled-object.test.ts holds the two equal).
 */
export const HTTP_SCALER_ADDRESS = 'keda-add-ons-http-external-scaler.keda:9090';

/** Seconds between KEDA's checks of a trigger that does not push (the cron trigger): KEDA's default, written out. */
export const POLLING_INTERVAL_SECONDS = 30;

/**
 * The cron window of an env without a scheduled wake: it never begins. KEDA's cron scaler counts
 * an env active when its next end comes before its next start; robfig/cron returns the zero time
 * for a schedule that never fires (February 31), and a zero end is never before a real start, so
 * this window is never active. (A never-firing START would be always active: keep it this way
 * round.)
 */
export const NO_WAKE_WINDOW = { start: '0 0 1 1 *', end: '0 0 31 2 *' } as const;

/** The fields of keda.sh/v1alpha1 ScaledObject that devfleet sets. */
export interface ScaledObject {
  readonly apiVersion: typeof SCALED_OBJECT_API_VERSION;
  readonly kind: typeof SCALED_OBJECT_KIND;
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: {
    readonly scaleTargetRef: { readonly apiVersion: 'apps/v1'; readonly kind: 'Deployment'; readonly name: string };
    /** Integer Helm values: written as strings while the chart is built (integerValue()). */
    readonly minReplicaCount: string;
    readonly maxReplicaCount: 1;
    readonly cooldownPeriod: string;
    readonly pollingInterval: number;
    readonly triggers: readonly (
      | { readonly type: 'external-push'; readonly name: string; readonly metadata: { readonly scalerAddress: string; readonly interceptorRoute: string } }
      | { readonly type: 'cron'; readonly name: string; readonly metadata: { readonly timezone: string; readonly start: string; readonly end: string; readonly desiredReplicas: '1' } }
    )[];
  };
}

/** The env's values the ScaledObject reads (chart-files.ts puts them under `scaling`). */
export interface ScalingValues {
  readonly minReplicas: 0 | 1;
  readonly idleSeconds: number;
  readonly wakeStart: string;
  readonly wakeEnd: string;
}

/** Undefined when the env is not behind the front door. */
export function scalingValues(env: Env): ScalingValues | undefined {
  if (!behindFrontDoor(env)) return undefined;
  const window = wakeWindow(env.schedule) ?? NO_WAKE_WINDOW;
  return { minReplicas: env.schedule.sleep ? 0 : 1, idleSeconds: env.schedule.idleMinutes * 60, wakeStart: window.start, wakeEnd: window.end };
}

/** None when the project has no routes or the cluster gives envs their own Ingresses. */
export function scaledObject(cluster: ClusterModel, project: ProjectModel): ChartObject | undefined {
  if (cluster.ingress.mode !== 'front-door' || project.routes.length === 0) return undefined;
  const object: ScaledObject = {
    apiVersion: SCALED_OBJECT_API_VERSION,
    kind: SCALED_OBJECT_KIND,
    metadata: { name: release('Name'), labels: { ...chartLabels(project), ...scheduleLabels() } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: release('Name') },
      minReplicaCount: integerValue('scaling', 'minReplicas'),
      maxReplicaCount: 1,
      cooldownPeriod: integerValue('scaling', 'idleSeconds'),
      pollingInterval: POLLING_INTERVAL_SECONDS,
      triggers: [
        ...routedPorts(project).map((port) => ({
          type: 'external-push' as const,
          name: `requests-${port}`,
          metadata: { scalerAddress: HTTP_SCALER_ADDRESS, interceptorRoute: interceptorRouteName(port) },
        })),
        {
          type: 'cron' as const,
          name: 'scheduled-wake',
          metadata: { timezone: cluster.timeZone, start: values('scaling', 'wakeStart'), end: values('scaling', 'wakeEnd'), desiredReplicas: '1' as const },
        },
      ],
    },
  };
  return { file: 'scaledobject.yaml', object: { ...object } };
}
