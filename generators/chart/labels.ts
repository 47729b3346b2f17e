/**
 * The labels and annotations every object of a project's chart shares: the recommended
 * recommended labels plus the project and the developer (generators/plan/labels.ts), the selector, the sleep/wake labels and the keep-the-data annotations.
 */
import type { ProjectModel } from '../plan/model.ts';
import { release, values } from './helm-text.ts';
import { ARGOCD_KEEP_ANNOTATIONS, devfleetLabels, HELM_RESOURCE_POLICY_ANNOTATION, LABELS, podSelectorLabels } from '../plan/labels.ts';

/** Labels every object of a project's env carries. */
export function chartLabels(project: ProjectModel): Record<string, string> {
  return {
    ...podSelectorLabels(project.name, release('Name')),
    ...devfleetLabels(),
    [LABELS.project]: project.name,
    [LABELS.developer]: values('developer'),
  };
}

/** The env's Pods: the Deployment's selector and the Service's. */
export function selectorLabels(project: ProjectModel): Record<string, string> {
  return podSelectorLabels(project.name, release('Name'));
}

/**
 * The labels the namespace's sleep and wake CronJobs select Deployments by (see
 * generators/cluster/schedule-jobs.ts). On the Deployment only, not the Pod template, so a schedule
 * change never restarts a Pod.
 */
export function scheduleLabels(): Record<string, string> {
  return { [LABELS.sleep]: values('schedule', 'sleep'), [LABELS.wake]: values('schedule', 'wake') };
}

/**
 * Annotations that keep an object (a PVC's data, a generated password and its ExternalSecret) when
 * its env, project or developer goes away: Helm's uninstall and Argo CD's prune and cascade delete
 * leave it alone.
 *
 * IgnoreExtraneous: when the project removes (or renames) the volume or Secret, the object leaves
 * the chart but stays in the cluster (Prune=false), and Argo CD would report the env's Application
 * OutOfSync forever: an extraneous object that needs pruning and may not be pruned. With this
 * option an extraneous object no longer counts for the Application's sync status. Argo CD reads it
 * on the live object, which got it while the object was in the chart and keeps it after. The
 * developer namespaces have the same fix (cluster/namespaces.ts).
 * Ref https://helm.sh/docs/howto/charts_tips_and_tricks/#tell-helm-not-to-uninstall-a-resource
 * Ref https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources
 * Ref https://argo-cd.readthedocs.io/en/stable/user-guide/compare-options/
 */
export const KEEP_DATA_ANNOTATIONS = {
  [HELM_RESOURCE_POLICY_ANNOTATION]: 'keep',
  ...ARGOCD_KEEP_ANNOTATIONS,
} as const;
