/** generators/scaffold/parse-route-spec.ts: the one-line route format `HOST[:PORT_NAME][/PATH]`. */
import { describe, expect, it } from 'vitest';
import { parseRouteSpec, ROUTE_SPEC_EXAMPLE } from '../../generators/scaffold/parse-route-spec.ts';

describe('parseRouteSpec', () => {
  it('GIVEN a host, a port name and a path, or only a host WHEN parsed THEN the route, the project\'s first port standing in for a missing name', () => {
    expect(parseRouteSpec('my-app.com:http/static', 'web')).toEqual({ route: { host: 'my-app.com', port: 'http', path: '/static' }, problems: [] });
    expect(parseRouteSpec(` ${ROUTE_SPEC_EXAMPLE} `, 'web')).toEqual({ route: { host: 'api.my-app.com', port: 'api' }, problems: [] });
    expect(parseRouteSpec('my-app.com', 'web')).toEqual({ route: { host: 'my-app.com', port: 'web' }, problems: [] });
    expect(parseRouteSpec('my-app.com/docs', 'web').route).toEqual({ host: 'my-app.com', port: 'web', path: '/docs' });
  });

  it('GIVEN a malformed route, or none of its port named while the project has no port WHEN parsed THEN no route, and what to write instead', () => {
    const bad = parseRouteSpec('my app.com:http', 'web');
    expect(bad.route).toBeUndefined();
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]).toMatch(new RegExp(`is not HOST\\[:PORT_NAME\\]\\[/PATH\\]; write it like ${ROUTE_SPEC_EXAMPLE.replace(/\./g, '\\.')}$`));
    const portless = parseRouteSpec('my-app.com', undefined);
    expect(portless.route).toBeUndefined();
    expect(portless.problems[0]).toMatch(/names no port and the project has none; add port=NAME:NUMBER to a container, then write the route as HOST:NAME$/);
  });
});
