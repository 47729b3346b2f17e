/**
 * The one-line route format of `devfleet new --route` and the issue form's "Routes" field:
 * `HOST[:PORT_NAME][/PATH]`, e.g. `my-app.com`, `api.my-app.com:api`, `my-app.com:http/static`.
 * Without a port name the route goes to the project's first port.
 */
import type { RouteDefinition } from '../schema/project.ts';
import { quote } from './input-problem.ts';

export const ROUTE_SPEC_EXAMPLE = 'api.my-app.com:api';

export function parseRouteSpec(spec: string, defaultPort: string | undefined): { route?: RouteDefinition; problems: string[] } {
  const match = /^([^:/\s]+)(?::([^/\s]+))?(\/\S*)?$/.exec(spec.trim());
  if (!match) return { problems: [`${quote(spec)} is not HOST[:PORT_NAME][/PATH]; write it like ${ROUTE_SPEC_EXAMPLE}`] };
  const [, host, port, path] = match;
  const target = port ?? defaultPort;
  if (target === undefined) {
    return { problems: [`${quote(spec)} names no port and the project has none; add port=NAME:NUMBER to a container, then write the route as HOST:NAME`] };
  }
  return { route: { host: host!, port: target, ...(path !== undefined ? { path } : {}) }, problems: [] };
}
