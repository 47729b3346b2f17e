/** The env's ClusterIP Service: every named container port, under its own name and number. */
import { k8s } from 'cdk8s-plus-27';
import type { ProjectModel } from '../plan/model.ts';
import type { ChartObject } from './chart-object.ts';
import { release } from './helm-text.ts';
import { chartLabels, selectorLabels } from './labels.ts';

/** None when no container has a port. */
export function service(project: ProjectModel): ChartObject | undefined {
  const ports = project.containers.flatMap((c) => c.ports);
  if (ports.length === 0) return undefined;
  return {
    file: 'service.yaml',
    object: k8s.KubeService.manifest({
      metadata: { name: release('Name'), labels: chartLabels(project) },
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels(project),
        ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })),
      },
    }),
  };
}
