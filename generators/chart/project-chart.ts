/**
 * The Kubernetes objects of one project's Helm chart.
 *
 * One chart per (cluster, project), not per env: per-env differences (developer, hosts, ALB
 * group, images) are Helm values that each env's Argo CD Application sets.
 *
 * How objects are built (one way, one file per kind): each kind is a small function from the model
 * to the object, typed by the low-level ("L1") classes cdk8s-plus-27 ships for the Kubernetes API
 * (`k8s.KubeDeployment` and friends) and turned into JSON by their static `manifest()`, the
 * library's own converter (quantities and int-or-string ports as the API writes them). No
 * construct tree, no synthesis, nothing patched afterwards: what a function returns is what the
 * template says. cdk8s-plus' high-level (L2) constructs were dropped: their production defaults
 * (non-root, read-only root filesystem, 1 CPU requests, startup probes, a hashed selector label,
 * docs/design-notes.md "cdk8s and cdk8s-plus") had to be deleted from their output again, which is the patching this
 * replaces. Kinds cdk8s-plus-27 has no class for (External Secrets, KEDA's ScaledObject, the HTTP
 * add-on's InterceptorRoute) are typed by the interfaces in their own file and checked against the
 * vendored CRDs in test/acceptance/k8s-schemas.test.ts.
 *
 * How an env with routes is reached depends on the cluster's `ingress.mode`: behind the front door
 * (default) its chart holds an InterceptorRoute per routed port and a ScaledObject; with
 * `ingress-groups` it holds its own Ingress.
 */
import type { ClusterModel, ProjectModel } from '../plan/model.ts';
import type { ChartObject } from './chart-object.ts';
import { filesConfigMap } from './config-map.ts';
import { deployment } from './deployment.ts';
import { secretObjects } from './external-secret.ts';
import { ingress } from './ingress.ts';
import { interceptorRoutes } from './interceptor-route.ts';
import { persistentVolumeClaims } from './persistent-volume-claim.ts';
import { scaledObject } from './scaled-object.ts';
import { service } from './service.ts';
import { serviceAccount } from './service-account.ts';

export type { ChartObject } from './chart-object.ts';
// generators/cluster/schedule-jobs.ts selects Deployments by these.

export function buildProjectChart(cluster: ClusterModel, project: ProjectModel): ChartObject[] {
  return [
    serviceAccount(project),
    ...persistentVolumeClaims(cluster, project),
    ...[filesConfigMap(project)].filter((o): o is ChartObject => o !== undefined),
    deployment(project),
    ...[service(project), ingress(cluster, project)].filter((o): o is ChartObject => o !== undefined),
    ...(cluster.ingress.mode === 'front-door' ? interceptorRoutes(project) : []),
    ...[scaledObject(cluster, project)].filter((o): o is ChartObject => o !== undefined),
    ...secretObjects(cluster, project),
  ];
}
