/**
 * The env's routes behind the front door (generators/chart/interceptor-route.ts): one
 * InterceptorRoute per routed port, hosts from the env's values, and over a whole generated fleet
 * every host and path served by exactly one of them, to its env's own Service and port.
 */
import { describe, expect, it } from 'vitest';
import { interceptorRoutes } from '../../generators/chart/interceptor-route.ts';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { projectModel } from '../../generators/plan/model.ts';
import type { Env } from '../../generators/plan/plan.ts';
import { renderEnv } from '../../generators/render/render-env.ts';
import type { ProjectDefinition } from '../../generators/schema/project.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { frontDoorRoutingErrors, renderedEnvErrors } from '../helpers/fleet-contracts.ts';
import { parseManifests, schemaErrors, type SourcedObject } from '../helpers/kube-schemas.ts';
import { writeFleet } from '../helpers/make-fleet.ts';
import { templateYaml } from '../../generators/chart/helm-text.ts';
import { parse } from 'yaml';

const shop: ProjectDefinition = {
  name: 'shop',
  containers: [
    { name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] },
    { name: 'api', image: 'node:22.12-bookworm-slim', ports: [{ name: 'api', port: 3000 }] },
  ],
  routes: [
    { host: 'shop.example.com', port: 'http' },
    { host: 'shop.example.com', port: 'api', path: '/api' },
    { host: 'admin.shop.example.com', port: 'http', path: '/admin' },
    { host: 'admin.shop.example.com', port: 'http', path: '/reports' },
  ],
};

describe('interceptorRoutes', () => {
  it('GIVEN routes on two ports, one host on both and one host with two paths WHEN built THEN one InterceptorRoute per port, one rule per host with its paths, to the release\'s Service port', () => {
    const objects = interceptorRoutes(projectModel('projects/shop.yaml', shop));
    const templates = objects.map((o) => ({ file: o.file, object: parse(templateYaml(o.object, '')) as Record<string, any> }));
    expect(templates.map((t) => t.file)).toEqual(['interceptorroute-http.yaml', 'interceptorroute-api.yaml']);
    const [http, api] = templates.map((t) => t.object);
    expect(http!.metadata.name).toBe('{{ .Release.Name }}--http');
    expect(http!.spec.target).toEqual({ service: '{{ .Release.Name }}', portName: 'http' });
    expect(http!.spec.rules).toEqual([
      { hosts: ['{{ .Values.hosts.shop_example_com }}'], paths: [{ value: '/' }] },
      { hosts: ['{{ .Values.hosts.admin_shop_example_com }}'], paths: [{ value: '/admin' }, { value: '/reports' }] },
    ]);
    expect(api!.spec.rules).toEqual([{ hosts: ['{{ .Values.hosts.shop_example_com }}'], paths: [{ value: '/api' }] }]);
    expect(http!.spec.scalingMetric).toEqual({ requestRate: { targetValue: 1, window: '1m', granularity: '1s' } });
    expect(http!.spec.coldStart.placeholder.response).toMatchObject({
      statusCode: 503,
      headers: { 'Cache-Control': 'no-store', 'Content-Type': 'text/html; charset=utf-8', Refresh: '5', 'Retry-After': '5' },
    });
  });

  it('GIVEN a worker without routes WHEN built THEN no InterceptorRoute', () => {
    expect(interceptorRoutes(projectModel('projects/worker.yaml', { name: 'worker', containers: [{ name: 'w', image: 'busybox:1.37' }] }))).toEqual([]);
  });
});

describe('GIVEN a generated fleet of 100 envs (10 projects x 10 developers, two routes on two ports each) behind the front door', () => {
  it('WHEN every env is rendered THEN each object validates, each env keeps the contract, and every host is served by exactly one InterceptorRoute, to its env\'s own Service and port', async () => {
    const root = tempRoot();
    writeFleet(root, { projects: 10, developers: 10 }, { ingress: 'front-door' });
    const [plan] = (await loadFleet(root)).clusters;
    const rendered = new Map<Env, SourcedObject[]>(plan!.envs.map((env) => [env, parseManifests(renderEnv(env), `${env.developer}/${env.project.name}`)]));
    const objects = [...rendered.values()].flat();
    expect(objects.filter((s) => s.object.kind === 'InterceptorRoute')).toHaveLength(200);
    expect(objects.filter((s) => s.object.kind === 'ScaledObject')).toHaveLength(100);
    expect(objects.flatMap((s) => schemaErrors(s.object).map((e) => `${s.source}: ${e}`))).toEqual([]);
    expect([...rendered].flatMap(([env, list]) => renderedEnvErrors(env, list))).toEqual([]);
    expect(frontDoorRoutingErrors(plan!, rendered)).toEqual([]);
  });
});
