/** generators/plan/kubectl-image.ts: the sleep/wake jobs' kubectl, at the cluster's own Kubernetes minor. */
import { describe, expect, it } from 'vitest';
import { KUBECTL_PATCH_BY_MINOR, KUBECTL_TABLE_CHECKED, kubectlImage, kubectlVersionProblem } from '../../generators/plan/kubectl-image.ts';

describe('kubectlImage', () => {
  it("GIVEN a minor the table knows WHEN asked THEN registry.k8s.io/kubectl at that minor's patch, v-prefixed", () => {
    expect(kubectlImage('1.35')).toBe(`registry.k8s.io/kubectl:v${KUBECTL_PATCH_BY_MINOR['1.35']}`);
    for (const [minor, patch] of Object.entries(KUBECTL_PATCH_BY_MINOR)) expect(patch.startsWith(`${minor}.`), minor).toBe(true);
  });

  it("GIVEN a minor it does not know, or a name of Object's prototype WHEN asked THEN no image, and validate's message lists the known minors and the file to change", () => {
    expect(kubectlImage('1.20')).toBeUndefined();
    expect(kubectlImage('toString')).toBeUndefined();
    expect(kubectlVersionProblem('1.35')).toBeUndefined();
    expect(kubectlVersionProblem('1.20')).toBe(
      `"1.20" has no kubectl image for the sleep/wake jobs (known minors: ${Object.keys(KUBECTL_PATCH_BY_MINOR).join(', ')}, checked ${KUBECTL_TABLE_CHECKED}); use one of them, or add the minor's newest patch to generators/plan/kubectl-image.ts`,
    );
  });
});
