/**
 * Sleep and wake CronJobs of one developer namespace, and the least-privilege identity they run as.
 *
 * Each distinct sleep (or wake) recurrence among the namespace's envs gets one CronJob, which
 * scales the Deployments labelled with that recurrence (see chart/project-chart.ts,
 * `scheduleLabels`). The official kubectl image is distroless (no shell), so the job is one
 * kubectl call and label selectors do the filtering:
 * - already-asleep envs are scaled 0 -> 0, which is a no-op;
 * - envs not synced yet simply do not match;
 * - always-on envs carry the sleep label `never` (plan/labels.ts) and never match a sleep job;
 * - kubectl patches the scale subresource without a resourceVersion, so there are no conflicts.
 *
 * Behind the front door (generators/plan/front-door.ts) KEDA wakes routed envs (on a request, and
 * in their scheduled wake window), so no wake job selects them; the sleep job still scales them to
 * 0, and first removes a force-activation annotation an interrupted `devfleet up` may have left on
 * their ScaledObjects (an init container: the image has no shell to chain two commands), else
 * KEDA would wake them again at once.
 *
 * Keeping an env awake past tonight needs no PR: the sleep job runs once a night, so an env woken
 * after it (`devfleet up`) stays up until the next night's run. Longer exceptions are a schedule
 * override in the definitions (`schedule.alwaysOn`, or a later `sleep` time), reviewed like any
 * change. (A label the sleep job honoured would need developers to patch Deployments, which the
 * access model forbids.)
 */
import { kubectlImage } from '../plan/kubectl-image.ts';
import { FORCE_ACTIVATION_ANNOTATION } from '../plan/labels.ts';
import { behindFrontDoor, wakeJobRecurrence } from '../plan/front-door.ts';
import type { ClusterModel } from '../plan/model.ts';
import { labelSelector, LABELS } from '../plan/labels.ts';
import { namespaceName, SCALER_NAME, scheduleJobName } from '../plan/names.ts';
import type { Env } from '../plan/plan.ts';
import { cronExpression, recurrenceLabel, type Recurrence } from '../plan/schedule.ts';
import { compare } from '../util/problem.ts';
import { clusterLabels } from './argocd.ts';

/**
 * Failed Jobs kept per CronJob. A job runs at most once a day (one time on chosen days), so 8 keep
 * every failure of at least the last 7 days: a sleep that failed on Friday night is still there on
 * Monday. No `ttlSecondsAfterFinished`: it would delete failed Jobs too, whatever their age.
 * Ref https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#jobs-history-limits
 */
export const FAILED_JOBS_KEPT = 8;

/** Exactly what the sleep/wake jobs may do: find Deployments, change their scale, and clear a ScaledObject's force-activation annotation. */
export const SCALER_RULES = [
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
  { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
  { apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: ['get', 'list', 'patch'] },
] as const;

export interface ScheduleJob {
  readonly action: 'sleep' | 'wake';
  readonly recurrence: Recurrence;
  readonly name: string;
  readonly selector: string;
  readonly replicas: 0 | 1;
  /** A sleep job some of whose envs are behind the front door: it clears their force-activation annotation first. */
  readonly clearsForceActivation: boolean;
}

/** The CronJobs a namespace needs, sorted by name. */
export function scheduleJobs(envs: readonly Env[]): ScheduleJob[] {
  const jobs = new Map<string, ScheduleJob>();
  for (const env of envs) {
    for (const [action, recurrence, label, replicas] of [
      ['sleep', env.schedule.sleep, LABELS.sleep, 0],
      ['wake', wakeJobRecurrence(env), LABELS.wake, 1],
    ] as const) {
      if (!recurrence) continue;
      const value = recurrenceLabel(recurrence);
      const name = scheduleJobName(action, value);
      const clears = action === 'sleep' && (behindFrontDoor(env) || (jobs.get(name)?.clearsForceActivation ?? false));
      jobs.set(name, { action, recurrence, name, selector: labelSelector({ [label]: value }), replicas, clearsForceActivation: clears });
    }
  }
  return [...jobs.values()].sort((a, b) => compare(a.name, b.name));
}

/** The kubectl arguments of a job: exactly what runs (tests run the same words against a real API server). */
export function scheduleJobArgs(job: ScheduleJob, namespace: string): string[] {
  return ['scale', 'deployment', `--namespace=${namespace}`, `--selector=${job.selector}`, `--replicas=${job.replicas}`];
}

/**
 * The kubectl arguments of a sleep job's first step behind the front door: remove the
 * force-activation annotation from the ScaledObjects the job's envs own (they carry the same
 * sleep label as their Deployments). No match is no error, and an absent annotation is a no-op.
 */
export function clearForceActivationArgs(job: ScheduleJob, namespace: string): string[] {
  return ['annotate', 'scaledobjects.keda.sh', `--namespace=${namespace}`, `--selector=${job.selector}`, `${FORCE_ACTIVATION_ANNOTATION}-`];
}

export function scheduleObjects(cluster: ClusterModel, developer: string, envs: readonly Env[]): Record<string, unknown>[] {
  const jobs = scheduleJobs(envs);
  if (jobs.length === 0) return [];
  const namespace = namespaceName(cluster.namespacePrefix, developer);
  const labels = { ...clusterLabels(cluster), [LABELS.developer]: developer, [LABELS.component]: 'schedule' };
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: SCALER_NAME, namespace, labels },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: SCALER_NAME, namespace, labels },
      rules: SCALER_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: SCALER_NAME, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SCALER_NAME },
      subjects: [{ kind: 'ServiceAccount', name: SCALER_NAME, namespace }],
    },
    ...jobs.map((job) => cronJob(cluster, namespace, labels, job)),
  ];
}

/** The cluster's kubectl; `validate` has already refused a minor without one. */
function jobImage(cluster: ClusterModel): string {
  const image = kubectlImage(cluster.kubernetesVersion);
  if (!image) throw new Error(`${cluster.file}: kubernetesVersion: no kubectl image for "${cluster.kubernetesVersion}" (validate should have refused it)`);
  return image;
}

function cronJob(cluster: ClusterModel, namespace: string, labels: Record<string, string>, job: ScheduleJob): Record<string, unknown> {
  const jobLabels = { ...labels, [LABELS.scheduleAction]: job.action };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: job.name, namespace, labels: jobLabels },
    spec: {
      schedule: cronExpression(job.recurrence),
      timeZone: cluster.timeZone,
      concurrencyPolicy: 'Forbid',
      // A controller that was down at the scheduled minute still runs the job within the hour.
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: FAILED_JOBS_KEPT,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 600,
          template: {
            metadata: { labels: jobLabels },
            spec: {
              serviceAccountName: SCALER_NAME,
              automountServiceAccountToken: true,
              restartPolicy: 'Never',
              // Pod Security "restricted" compliant: the namespace warns on anything less.
              securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
              ...(job.clearsForceActivation ? { initContainers: [kubectlContainer(cluster, 'clear-force-activation', clearForceActivationArgs(job, namespace))] } : {}),
              containers: [kubectlContainer(cluster, 'kubectl', scheduleJobArgs(job, namespace))],
              volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
            },
          },
        },
      },
    },
  };
}

function kubectlContainer(cluster: ClusterModel, name: string, args: string[]): Record<string, unknown> {
  return {
    name,
    image: jobImage(cluster),
    imagePullPolicy: 'IfNotPresent',
    args,
    // kubectl caches API discovery under $HOME; the root filesystem is read-only.
    env: [{ name: 'HOME', value: '/tmp' }],
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    // Node disk: logs only (the root filesystem is read-only; /tmp is its own emptyDir, counted in
    // the limit), and the namespace quota's limits.ephemeral-storage needs a limit on every Pod.
    resources: { requests: { cpu: '10m', memory: '32Mi', 'ephemeral-storage': '32Mi' }, limits: { memory: '128Mi', 'ephemeral-storage': '64Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
  };
}
