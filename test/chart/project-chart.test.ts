/** The objects of a project's chart (generators/chart/project-chart.ts): which, in which files. */
import { describe, expect, it } from 'vitest';
import { buildProjectChart } from '../../generators/chart/project-chart.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import type { ProjectDefinition } from '../../generators/schema/project.ts';

const clusterOf = (mode: 'front-door' | 'ingress-groups') =>
  clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' }, ingress: { mode } });
const filesOf = (def: ProjectDefinition, mode: 'front-door' | 'ingress-groups' = 'front-door') =>
  buildProjectChart(clusterOf(mode), projectModel(`projects/${def.name}.yaml`, def)).map((o) => `${o.file} ${String(o.object.kind)}`);

describe('chart objects', () => {
  it('GIVEN a worker without ports, routes, volumes or secrets WHEN built THEN only its ServiceAccount and Deployment', () => {
    expect(filesOf({ name: 'worker', containers: [{ name: 'w', image: 'busybox:1.37', command: ['sleep', '1d'] }] })).toEqual(['serviceaccount.yaml ServiceAccount', 'deployment.yaml Deployment']);
  });

  const def: ProjectDefinition = {
    name: 'shop',
    containers: [
      { name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }], env: { KEY: { secret: 'stripe', key: 'api-key' } }, volumes: [{ path: '/tmp' }] },
      { name: 'db', image: 'postgres:17.2', env: { PW: { secret: 'shop-db', key: 'password' } }, volumes: [{ path: '/var/lib/postgresql/data', name: 'data', persistent: true }] },
    ],
    routes: [{ host: 'shop', port: 'http' }],
    secrets: { 'shop-db': { generate: 'password' } },
  };

  it('GIVEN a project with ports, a route, a persistent and a scratch volume and two Secrets behind the front door WHEN built THEN one object per kind, routed port, volume and Secret, each in its own file, and no Ingress', () => {
    expect(filesOf(def)).toEqual([
      'serviceaccount.yaml ServiceAccount',
      'persistentvolumeclaim-db-data.yaml PersistentVolumeClaim',
      'deployment.yaml Deployment',
      'service.yaml Service',
      'interceptorroute-http.yaml InterceptorRoute',
      'scaledobject.yaml ScaledObject',
      'password-shop-db.yaml Password',
      'externalsecret-shop-db.yaml ExternalSecret',
      'externalsecret-stripe.yaml ExternalSecret',
    ]);
  });

  it('GIVEN the same project with per-env Ingresses (ingress.mode ingress-groups) WHEN built THEN an Ingress instead of the front door\'s objects', () => {
    expect(filesOf(def, 'ingress-groups')).toEqual([
      'serviceaccount.yaml ServiceAccount',
      'persistentvolumeclaim-db-data.yaml PersistentVolumeClaim',
      'deployment.yaml Deployment',
      'service.yaml Service',
      'ingress.yaml Ingress',
      'password-shop-db.yaml Password',
      'externalsecret-shop-db.yaml ExternalSecret',
      'externalsecret-stripe.yaml ExternalSecret',
    ]);
  });

  it('GIVEN routes but no container port with per-env Ingresses WHEN built THEN neither Service nor Ingress (nothing to route to)', () => {
    expect(filesOf({ name: 'odd', containers: [{ name: 'w', image: 'busybox:1.37' }], routes: [{ host: 'odd', port: 'http' }] }, 'ingress-groups')).toEqual(['serviceaccount.yaml ServiceAccount', 'deployment.yaml Deployment']);
  });
});
