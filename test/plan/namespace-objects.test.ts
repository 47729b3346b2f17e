/**
 * generators/plan/namespace-objects.ts: the list of what an env makes in its namespace is the list
 * `validate` checks names on (definitions/check-object-names.ts), so it must hold every object the
 * charts really render, and every platform object of a developer namespace must carry a name the
 * list reserves for the platform. Held against the emitters' own output for the bundled examples
 * and the long-names fixture, in both ingress modes and with the load balancer's OIDC Secret.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { clusterModel } from '../../generators/plan/model.ts';
import { envObjects, isPlatformObject, podVolumes, POD_VOLUME } from '../../generators/plan/namespace-objects.ts';
import { planFleet, type Fleet } from '../../generators/plan/plan.ts';
import { TREE } from '../../generators/plan/layout.ts';
import { renderEnv } from '../../generators/render/render-env.ts';
import { clusterTree } from '../../generators/synth/cluster-tree.ts';
import { OIDC } from '../helpers/access-choices.ts';
import { REPO } from '../helpers/fixtures.ts';

type Obj = { kind?: string; metadata?: { name?: string }; spec?: Record<string, unknown> };
const objectsOf = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJS() as Obj).filter((o) => o !== null);

let fleets: [string, Fleet][];
beforeAll(async () => {
  const bundled = await loadFleet(REPO);
  const longNames = await loadFleet(join(REPO, 'test/fixtures/fleet-long-names'));
  // The bundled projects in a cluster with per-env Ingresses and OIDC sign-in: the platform adds
  // the load balancer's OIDC Secret to every namespace, and every env gets an Ingress.
  const dev = bundled.clusters[0]!.cluster;
  const withOidc = clusterModel('clusters/oidc.yaml', {
    name: 'oidc',
    domain: 'oidc.example.com',
    timeZone: 'UTC',
    schedule: { sleep: '20:00', wake: '08:00' },
    developers: dev.developers.map((d) => ({ name: d.name })),
    argocd: { repoURL: 'https://git.example.com/x.git' },
    ingress: { mode: 'ingress-groups', scheme: 'internet-facing', sso: OIDC },
  });
  fleets = [
    ['the bundled examples', bundled],
    ['test/fixtures/fleet-long-names', longNames],
    ['the bundled projects with per-env Ingresses and OIDC', planFleet([withOidc], bundled.clusters[0]!.projects)],
  ];
}, 60_000);

describe('envObjects', () => {
  it('GIVEN the bundled project my-app WHEN listed THEN its objects are named after the release, its routed ports, its persistent volume and its Secret', async () => {
    const fleet = await loadFleet(REPO);
    const myApp = fleet.clusters[0]!.projects.find((p) => p.name === 'my-app')!;
    expect(envObjects(fleet.clusters[0]!.cluster, myApp).map((o) => `${o.kind} ${o.name}`)).toEqual([
      'ServiceAccount my-app',
      'Deployment my-app',
      'Service my-app',
      'ScaledObject my-app',
      'InterceptorRoute my-app--http',
      'InterceptorRoute my-app--api',
      'PersistentVolumeClaim my-app-mysql-mysql',
      'ExternalSecret my-app-db',
      'Secret my-app-db',
      'Password my-app-db',
    ]);
    expect(podVolumes(myApp).map((o) => `${o.kind} ${o.name}`)).toEqual([`${POD_VOLUME} mysql-mysql`]);
  });

  it('GIVEN every env of three fleets WHEN its manifests are rendered THEN the list holds exactly the rendered objects and the Secrets their ExternalSecrets make, and the Deployment\'s Pod volumes', () => {
    let envs = 0;
    for (const [what, fleet] of fleets) {
      for (const plan of fleet.clusters) {
        for (const env of plan.envs) {
          envs++;
          const listed = envObjects(env.cluster, env.project).map((o) => `${o.kind}/${o.name}`);
          const rendered = objectsOf(renderEnv(env));
          const made = [
            ...rendered.map((o) => `${o.kind}/${o.metadata?.name}`),
            ...rendered.filter((o) => o.kind === 'ExternalSecret').map((o) => `Secret/${(o.spec?.target as { name: string }).name}`),
          ];
          expect([...listed].sort(), `${what}: ${env.application}`).toEqual([...made].sort());
          const deployment = rendered.find((o) => o.kind === 'Deployment')!;
          const volumes = ((deployment.spec?.template as { spec: { volumes?: { name: string }[] } }).spec.volumes ?? []).map((v) => v.name);
          expect(volumes, `${what}: ${env.application}`).toEqual(podVolumes(env.project).map((o) => o.name));
        }
      }
    }
    expect(envs).toBeGreaterThan(20);
  });
});

describe('isPlatformObject', () => {
  it('GIVEN kinds and names WHEN asked THEN "devfleet-*" of any kind and the quota objects "devfleet" are the platform\'s, nothing else', () => {
    expect([['ServiceAccount', 'devfleet-scaler'], ['Secret', 'devfleet-alb-oidc'], ['PersistentVolumeClaim', 'devfleet-x'], ['ResourceQuota', 'devfleet'], ['LimitRange', 'devfleet']].map(([k, n]) => isPlatformObject(k!, n!))).toEqual([true, true, true, true, true]);
    expect([['Secret', 'devfleet'], ['ServiceAccount', 'devfleet'], ['Secret', 'devfleets'], ['Secret', 'my-devfleet-x'], ['ResourceQuota', 'shop']].map(([k, n]) => isPlatformObject(k!, n!))).toEqual([false, false, false, false, false]);
  });

  it('GIVEN every developer namespace file the cluster emitters write, in three fleets WHEN read THEN each object but the Namespace itself has a platform kind and name', () => {
    const kinds = new Set<string>();
    for (const [what, fleet] of fleets) {
      for (const plan of fleet.clusters) {
        const tree = clusterTree(plan);
        for (const developer of new Set(plan.envs.map((e) => e.developer))) {
          const objects = objectsOf(tree.get(TREE.namespace(developer))!).filter((o) => o.kind !== 'Namespace');
          expect(objects.length).toBeGreaterThan(5);
          for (const object of objects) {
            kinds.add(object.kind!);
            expect(isPlatformObject(object.kind!, object.metadata!.name!), `${what}: ${developer}: ${object.kind} ${object.metadata?.name}`).toBe(true);
          }
        }
      }
    }
    // The test saw the objects it is about.
    for (const kind of ['ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ServiceAccount', 'Role', 'RoleBinding', 'CronJob', 'ExternalSecret']) expect(kinds).toContain(kind);
  });
});
