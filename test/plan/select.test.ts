/** Choosing the clusters and the env a command names (generators/plan/select.ts). */
import { describe, expect, it } from 'vitest';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { findEnv, selectClusters, selectEnv } from '../../generators/plan/select.ts';
import { NotFoundError, UsageError } from '../../generators/util/errors.ts';

const LONG_PROJECT = 'customer-self-service-portal-for-partner';
const LONG_DEVELOPER = 'christopher-alexander-montgomery-smith2';

const fleet = planFleet(
  [
    clusterModel('clusters/dev.yaml', {
      name: 'dev',
      domain: 'dev.example.com',
      timeZone: 'Asia/Kolkata',
      developers: [{ name: 'alice' }, { name: LONG_DEVELOPER }],
      argocd: { repoURL: 'https://git.example.com/fleet.git' },
    }),
  ],
  [
    projectModel('projects/my-app.yaml', { name: 'my-app', containers: [{ name: 'web', image: 'nginx:1.27' }], developers: ['alice'] }),
    projectModel(`projects/${LONG_PROJECT}.ts`, { name: LONG_PROJECT, containers: [{ name: 'web', image: 'nginx:1.27' }] }),
  ],
);
const plan = fleet.clusters[0]!;

describe('selectClusters', () => {
  it('GIVEN no name WHEN selected THEN every cluster; GIVEN an unknown name THEN a usage error (exit 2) listing the clusters', () => {
    expect(selectClusters(fleet, undefined)).toEqual(fleet.clusters);
    expect(() => selectClusters(fleet, 'prod')).toThrow(new UsageError('--cluster prod: unknown cluster; defined clusters: dev (see clusters/*.ts)'));
  });
});

describe('selectEnv', () => {
  it('GIVEN <developer>/<project> with the real long names WHEN selected THEN it is that env', () => {
    const env = selectEnv(plan, `${LONG_DEVELOPER}/${LONG_PROJECT}`);
    expect(env.id).toEqual({ developer: LONG_DEVELOPER, project: LONG_PROJECT });
    expect(env.application).toBe(`${LONG_PROJECT}--christopher-b0803319`);
  });

  it('GIVEN the shortened Application name WHEN selected THEN the same env is found by look-up', () => {
    expect(selectEnv(plan, `${LONG_PROJECT}--christopher-b0803319`)).toBe(selectEnv(plan, `${LONG_DEVELOPER}/${LONG_PROJECT}`));
    expect(selectEnv(plan, 'my-app--alice').id).toEqual({ developer: 'alice', project: 'my-app' });
  });

  it('GIVEN an Application name no env has WHEN selected THEN NotFoundError asks for <developer>/<project>', () => {
    expect(() => selectEnv(plan, 'my-app--bob')).toThrow(
      new NotFoundError('no env of cluster dev has the Argo CD Application "my-app--bob"; name the env as <developer>/<project>, e.g. alice/customer-self-service-portal-for-partner (`devfleet list` shows every env)'),
    );
  });

  it('GIVEN text that is neither form WHEN selected THEN UsageError shows the form with an env of the cluster', () => {
    expect(() => selectEnv(plan, 'alice')).toThrow(new UsageError('--env alice: write it as <developer>/<project>, e.g. alice/customer-self-service-portal-for-partner'));
  });
});

describe('findEnv', () => {
  it.each([
    [{ developer: 'zoe', project: 'my-app' }, `no env zoe/my-app in cluster dev: "zoe" is not a developer of cluster dev (developers: alice, ${LONG_DEVELOPER})`],
    [{ developer: 'alice', project: 'shop' }, `no env alice/shop in cluster dev: there is no project "shop" (projects: ${LONG_PROJECT}, my-app)`],
    [{ developer: LONG_DEVELOPER, project: 'my-app' }, `no env ${LONG_DEVELOPER}/my-app in cluster dev: project "my-app" is not deployed for "${LONG_DEVELOPER}" (see its \`developers\` field)`],
  ])('GIVEN the missing env %o WHEN found THEN NotFoundError says why', (id, message) => {
    expect(() => findEnv(plan, id)).toThrow(new NotFoundError(message));
  });
});
