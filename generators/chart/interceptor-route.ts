/**
 * The env's routes behind the cluster's front door: one InterceptorRoute (KEDA HTTP add-on,
 * `http.keda.sh/v1beta1`) per Service port its routes target. The add-on's interceptor receives
 * every request of the cluster's one load balancer (terraform/modules/platform/front-door.tf),
 * picks the route by Host and the longest path prefix (pkg/routing of the add-on), and
 * - forwards to the env's own Service and port while a Pod is ready (websocket upgrades too: its
 *   upstream is Go's httputil.ReverseProxy, which switches protocols);
 * - answers with the "starting" page (starting-page.ts) while none is;
 * - counts every request, the page's included (its Counting middleware wraps the placeholder), as
 *   the request rate the add-on's scaler reports to KEDA (scaled-object.ts).
 * Hosts are the env's Helm values, as the Ingress takes them in the per-env Ingress mode; paths
 * come from the project. Ref https://github.com/kedacore/http-add-on/blob/v0.15.0/operator/apis/http/v1beta1/interceptorroute_types.go
 * Shape: test/fixtures/http-add-on/http.keda.sh_interceptorroutes.yaml (the pinned add-on), against which
 * test/acceptance/k8s-schemas.test.ts validates every generated one.
 */
import type { ProjectModel } from '../plan/model.ts';
import { interceptorRouteName as routeObjectName } from '../plan/names.ts';
import type { ChartObject } from './chart-object.ts';
import { release, values } from './helm-text.ts';
import { chartLabels } from './labels.ts';
import { startingPage, startingPageHeaders } from './starting-page.ts';

export const INTERCEPTOR_ROUTE_API_VERSION = 'http.keda.sh/v1beta1';
export const INTERCEPTOR_ROUTE_KIND = 'InterceptorRoute';

/**
 * The request-rate window the add-on's scaler averages over: an env counts as active for about
 * this long after its last request, then KEDA's cooldown (the idle time) starts. The add-on's
 * defaults (1m window, 1s buckets), written out.
 */
export const REQUEST_RATE = { window: '1m', granularity: '1s' } as const;

/** The fields of http.keda.sh/v1beta1 InterceptorRoute that devfleet sets. */
export interface InterceptorRoute {
  readonly apiVersion: typeof INTERCEPTOR_ROUTE_API_VERSION;
  readonly kind: typeof INTERCEPTOR_ROUTE_KIND;
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: {
    readonly target: { readonly service: string; readonly portName: string };
    readonly rules: readonly { readonly hosts: readonly string[]; readonly paths: readonly { readonly value: string }[] }[];
    readonly scalingMetric: { readonly requestRate: { readonly targetValue: number; readonly window: string; readonly granularity: string } };
    readonly coldStart: {
      readonly placeholder: { readonly response: { readonly statusCode: number; readonly headers: Readonly<Record<string, string>>; readonly body: string } };
    };
  };
}

/** The InterceptorRoute of a routed port, in the chart (plan/names.ts interceptorRouteName). */
export function interceptorRouteName(port: string): string {
  return routeObjectName(release('Name'), port);
}

/** The Service ports the project's routes target, in route order, each once. */
export function routedPorts(project: ProjectModel): string[] {
  return [...new Set(project.routes.map((r) => r.port))];
}

/** None when the project has no routes. */
export function interceptorRoutes(project: ProjectModel): ChartObject[] {
  return routedPorts(project).map((port) => {
    const routes = project.routes.filter((r) => r.port === port);
    // One rule per host value (routes on one host with different paths share it).
    const keys = [...new Set(routes.map((r) => r.key))];
    const object: InterceptorRoute = {
      apiVersion: INTERCEPTOR_ROUTE_API_VERSION,
      kind: INTERCEPTOR_ROUTE_KIND,
      metadata: { name: interceptorRouteName(port), labels: chartLabels(project) },
      spec: {
        target: { service: release('Name'), portName: port },
        rules: keys.map((key) => ({
          hosts: [values('hosts', key)],
          paths: routes.filter((r) => r.key === key).map((r) => ({ value: r.path })),
        })),
        // Any request makes the env active; with at most one replica the target only has to be valid.
        scalingMetric: { requestRate: { targetValue: 1, ...REQUEST_RATE } },
        coldStart: { placeholder: { response: { statusCode: 503, headers: startingPageHeaders(), body: startingPage(project) } } },
      },
    };
    return { file: `interceptorroute-${port}.yaml`, object: { ...object } };
  });
}
