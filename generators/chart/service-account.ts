/** The env's ServiceAccount: named after the release, the identity EKS Pod Identity maps to an IAM role. */
import { k8s } from 'cdk8s-plus-27';
import type { ProjectModel } from '../plan/model.ts';
import type { ChartObject } from './chart-object.ts';
import { release } from './helm-text.ts';
import { chartLabels } from './labels.ts';

export function serviceAccount(project: ProjectModel): ChartObject {
  return {
    file: 'serviceaccount.yaml',
    object: k8s.KubeServiceAccount.manifest({
      metadata: { name: release('Name'), labels: chartLabels(project) },
      // Pod Identity and IRSA mount their own tokens; the API token is not needed by dev apps.
      automountServiceAccountToken: false,
    }),
  };
}
