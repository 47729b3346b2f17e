/**
 * The label and annotation keys devfleet puts on what it generates, and the label selectors that
 * find those objects again: Argo CD Applications and platform objects (cluster/), the env charts
 * (chart/), the sleep and wake jobs' `kubectl scale --selector`, `devfleet up` and `status`.
 *
 * The `app.kubernetes.io/*` keys are Kubernetes' recommended labels
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/); the
 * `devfleet.dev/*` keys are ours. Label syntax:
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */

export const LABELS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  cluster: 'devfleet.dev/cluster',
  project: 'devfleet.dev/project',
  developer: 'devfleet.dev/developer',
  /** On an env's Deployment: the recurrence of the sleep job that scales it to 0 (plan/schedule.ts `recurrenceLabel`), or `never`. */
  sleep: 'devfleet.dev/sleep',
  /** On an env's Deployment: the recurrence of the wake job that scales it to 1, or `never`. */
  wake: 'devfleet.dev/wake',
  /** On a sleep or wake CronJob: `sleep` or `wake`. */
  scheduleAction: 'devfleet.dev/schedule-action',
} as const;

export const ANNOTATIONS = {
  /** A project's description, on its Deployment. */
  description: 'devfleet.dev/description',
  /** The definition file a chart was generated from, in Chart.yaml. */
  source: 'devfleet.dev/source',
  /**
   * On an env Application: the paths its manifests are made of. On a new commit Argo CD compares
   * the files it changed with these paths and, when none matches, reuses the manifests it rendered
   * for the previous commit instead of running Helm again (since v2.11, webhooks or not).
   * Ref https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/#manifest-paths-annotation
   */
  manifestGeneratePaths: 'argocd.argoproj.io/manifest-generate-paths',
} as const;

/** The value of `part-of` and `managed-by` on every generated object. */
export const DEVFLEET = 'devfleet';

/** `part-of` and `managed-by`: on every object devfleet generates. */
export function devfleetLabels(): Record<string, string> {
  return { [LABELS.partOf]: DEVFLEET, [LABELS.managedBy]: DEVFLEET };
}

/** The labels that select an env's Pods (its Deployment's selector): the project and the Helm release. */
export function podSelectorLabels(project: string, release: string): Record<string, string> {
  return { [LABELS.name]: project, [LABELS.instance]: release };
}

/** An equality-based label selector, `key=value,key=value`, in the given order. */
export function labelSelector(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** Every Deployment devfleet generated; their Pod template carries the label, so their ReplicaSets and Pods match too. */
export const DEVFLEET_SELECTOR = labelSelector({ [LABELS.partOf]: DEVFLEET });
