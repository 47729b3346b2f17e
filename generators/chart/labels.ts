/**
 * The labels and annotations every object of a project's chart shares: the recommended
 * `app.kubernetes.io/*` labels plus `devfleet.dev/project` and `devfleet.dev/developer`
 * (design.md section 5), the selector, the sleep/wake labels and the keep-the-data annotations.
 */
import type { ProjectModel } from '../plan/model.ts';
import { release, values } from './helm-text.ts';

/** Labels every object of a project's env carries. */
export function chartLabels(project: ProjectModel): Record<string, string> {
  return {
    'app.kubernetes.io/name': project.name,
    'app.kubernetes.io/instance': release('Name'),
    'app.kubernetes.io/part-of': 'devfleet',
    'app.kubernetes.io/managed-by': 'devfleet',
    'devfleet.dev/project': project.name,
    'devfleet.dev/developer': values('developer'),
  };
}

/** The env's Pods: the Deployment's selector and the Service's. */
export function selectorLabels(project: ProjectModel): Record<string, string> {
  return { 'app.kubernetes.io/name': project.name, 'app.kubernetes.io/instance': release('Name') };
}

export const SLEEP_LABEL = 'devfleet.dev/sleep';
export const WAKE_LABEL = 'devfleet.dev/wake';

/**
 * The labels the namespace's sleep and wake CronJobs select Deployments by (see
 * generators/cluster/schedule-jobs.ts). On the Deployment only, not the Pod template, so a schedule
 * change never restarts a Pod.
 */
export function scheduleLabels(): Record<string, string> {
  return { [SLEEP_LABEL]: values('schedule', 'sleep'), [WAKE_LABEL]: values('schedule', 'wake') };
}

/**
 * Annotations that keep an object (a PVC's data, a generated password) when its env, project or
 * developer goes away: Helm's uninstall and Argo CD's prune and cascade delete leave it alone.
 * Ref https://helm.sh/docs/howto/charts_tips_and_tricks/#tell-helm-not-to-uninstall-a-resource
 * Ref https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources
 */
export const KEEP_DATA_ANNOTATIONS = {
  'helm.sh/resource-policy': 'keep',
  'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
} as const;
