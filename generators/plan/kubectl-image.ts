/**
 * The kubectl the sleep/wake CronJobs run: the official, distroless `registry.k8s.io/kubectl`
 * image of the cluster's own Kubernetes minor (`kubernetesVersion` in the cluster definition),
 * at that minor's newest patch. kubectl supports one minor of skew against the API server; the
 * same minor is the safe choice, and a cluster upgrade moves the jobs with it.
 * Ref https://kubernetes.io/releases/version-skew-policy/#kubectl
 *
 * The table is data, checked on the date below through the Go module proxy: the staging module
 * `k8s.io/kubectl` is tagged v0.<minor>.<patch> with every Kubernetes release v1.<minor>.<patch>
 * (`go list -m -json k8s.io/kubectl@v0.35.10` answers; `@v0.35.11` does not). To add a minor or
 * move a patch: check the same way, change the table and the date, run `npx devfleet synth`.
 * A minor missing here is a `devfleet validate` error (definitions/cross-check.ts).
 */

/** When the patches below were last checked. */
export const KUBECTL_TABLE_CHECKED = '2026-11-30';

/** Kubernetes minor -> newest patch release with a published kubectl. */
export const KUBECTL_PATCH_BY_MINOR: Readonly<Record<string, string>> = {
  '1.32': '1.32.13',
  '1.33': '1.33.13',
  '1.34': '1.34.13',
  '1.35': '1.35.10',
  '1.36': '1.36.6',
  '1.37': '1.37.2',
};

export const KUBECTL_REPOSITORY = 'registry.k8s.io/kubectl';

/** The image for a Kubernetes minor, or undefined when the table does not know it. */
export function kubectlImage(minor: string): string | undefined {
  const patch = Object.hasOwn(KUBECTL_PATCH_BY_MINOR, minor) ? KUBECTL_PATCH_BY_MINOR[minor] : undefined;
  return patch === undefined ? undefined : `${KUBECTL_REPOSITORY}:v${patch}`;
}

/** What `validate` says about a minor the table does not know; undefined when it is known. */
export function kubectlVersionProblem(minor: string): string | undefined {
  if (kubectlImage(minor) !== undefined) return undefined;
  return `"${minor}" has no kubectl image for the sleep/wake jobs (known minors: ${Object.keys(KUBECTL_PATCH_BY_MINOR).join(', ')}, checked ${KUBECTL_TABLE_CHECKED}); use one of them, or add the minor's newest patch to generators/plan/kubectl-image.ts`;
}
