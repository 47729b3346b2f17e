/**
 * The env's Ingress, for clusters that expose envs through ALB IngressGroups: one rule per route,
 * host from the env's values, to the Service port the route names.
 */
import { k8s } from 'cdk8s-plus-27';
import type { ClusterModel, ProjectModel } from '../plan/model.ts';
import type { ChartObject } from './chart-object.ts';
import { release, values } from './helm-text.ts';
import { chartLabels } from './labels.ts';

/** None when the project has no routes. */
export function ingress(cluster: ClusterModel, project: ProjectModel): ChartObject | undefined {
  if (project.routes.length === 0 || project.containers.every((c) => c.ports.length === 0)) return undefined;
  return {
    file: 'ingress.yaml',
    object: k8s.KubeIngress.manifest({
      metadata: { name: release('Name'), labels: chartLabels(project), annotations: ingressAnnotations(cluster) },
      spec: {
        ingressClassName: cluster.ingress.className,
        rules: project.routes.map((route) => ({
          host: values('hosts', route.key),
          http: {
            paths: [{ path: route.path, pathType: 'Prefix', backend: { service: { name: release('Name'), port: { name: route.port } } } }],
          },
        })),
      },
    }),
  };
}

/**
 * AWS Load Balancer Controller annotations: one ALB per IngressGroup, HTTPS with the certificate
 * discovered from the host (ACM wildcard `*.<domain>`), HTTP redirected to HTTPS, Pod IPs as targets.
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 */
export function ingressAnnotations(cluster: ClusterModel): Record<string, string> {
  return {
    'alb.ingress.kubernetes.io/group.name': values('ingressGroup'),
    'alb.ingress.kubernetes.io/scheme': cluster.ingress.scheme,
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
    'alb.ingress.kubernetes.io/ssl-redirect': '443',
    'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  };
}
