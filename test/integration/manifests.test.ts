/**
 * Every generated object against a real kube-apiserver 1.32 (scripts/cluster.ts): server-side
 * dry-run apply runs the server's own defaulting, validation, CRD schemas with their CEL rules
 * (Argo CD's, External Secrets', KEDA's and the HTTP add-on's, registered from test/fixtures/) and
 * admission (LimitRange, ResourceQuota, Pod Security; the front door's ValidatingAdmissionPolicy is
 * type-checked against the ScaledObject CRD). Namespaces are created for real first, since a
 * namespaced dry-run needs its namespace to exist.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { REPO, tempRoot } from '../helpers/fixtures.ts';
import { writeFleet } from '../helpers/make-fleet.ts';
import { dryRunApply, ensureNamespaces, type KubeObject, kubectlOk, localCluster, type Manifest, manifestOf, namespacesOf, registerArgoCdCrds, registerExternalSecretsCrds, registerKedaCrds, renderedEnvManifests, treeManifests } from './kube.ts';

let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await localCluster();
});

/** Namespaces for real, then everything else as a dry run; every rejection with the server's message. */
async function dryRunEverything(items: readonly Manifest[]) {
  await ensureNamespaces(cluster, namespacesOf(items));
  return dryRunApply(cluster, items);
}

describe('Argo CD CRDs', () => {
  it('GIVEN the Argo CD CRDs of test/fixtures/argo-cd WHEN registered THEN both are Established and served', async () => {
    expect(await registerArgoCdCrds(cluster)).toEqual(['applications.argoproj.io', 'appprojects.argoproj.io']);
    const resources = await kubectlOk(cluster, 'admin', ['api-resources', '--api-group=argoproj.io', '-o', 'name']);
    expect(resources.split('\n').filter(Boolean).sort()).toEqual(['applications.argoproj.io', 'appprojects.argoproj.io']);
  });
});

describe('KEDA and HTTP add-on CRDs', () => {
  it('GIVEN the CRDs of test/fixtures/keda and test/fixtures/http-add-on WHEN registered THEN ScaledObject and InterceptorRoute are Established and served', async () => {
    expect(await registerKedaCrds(cluster)).toEqual(['scaledobjects.keda.sh', 'interceptorroutes.http.keda.sh']);
  });

  it('GIVEN an InterceptorRoute naming both a port and a port name WHEN dry-run applied THEN the CRD\'s CEL rule (which the tests\' ajv check cannot evaluate) rejects it', async () => {
    await ensureNamespaces(cluster, ['dev-cel']);
    const route = { apiVersion: 'http.keda.sh/v1beta1', kind: 'InterceptorRoute', metadata: { name: 'web--http', namespace: 'dev-cel' }, spec: { target: { service: 'web', port: 80, portName: 'http' }, scalingMetric: { requestRate: { targetValue: 1 } } } } as KubeObject;
    const { rejected } = await dryRunApply(cluster, [manifestOf(route)]);
    expect(rejected).toEqual([expect.stringContaining("exactly one of 'port' or 'portName' must be set")]);
  });
});

describe('the bundled cluster (clusters/dev)', () => {
  beforeAll(async () => {
    await registerArgoCdCrds(cluster);
    await registerExternalSecretsCrds(cluster);
    await registerKedaCrds(cluster);
  });

  it('GIVEN the committed apps/ and bootstrap/ trees WHEN dry-run applied THEN the server accepts every object', async () => {
    const items = [...treeManifests(join(REPO, 'clusters', 'dev', 'bootstrap')), ...treeManifests(join(REPO, 'clusters', 'dev', 'apps'))];
    const kinds = new Set(items.map((m) => m.object.kind));
    for (const kind of ['Namespace', 'ResourceQuota', 'LimitRange', 'RoleBinding', 'Role', 'ClusterRole', 'ServiceAccount', 'CronJob', 'Application', 'AppProject', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']) expect(kinds).toContain(kind);
    const { applied, rejected } = await dryRunEverything(items);
    expect(rejected).toEqual([]);
    expect(applied).toBe(items.length);
  });

  it('GIVEN every env of `devfleet render --cluster dev` WHEN dry-run applied in its namespace THEN the server accepts every object, the InterceptorRoutes and ScaledObjects by their CRDs and CEL rules', async () => {
    const items = await renderedEnvManifests(REPO, 'dev');
    expect(new Set(items.map((m) => m.object.kind))).toEqual(new Set(['ServiceAccount', 'Service', 'Deployment', 'InterceptorRoute', 'ScaledObject', 'PersistentVolumeClaim', 'ExternalSecret', 'Password']));
    expect(items.filter((m) => m.object.kind === 'Deployment')).toHaveLength(18);
    expect(namespacesOf(items)).toEqual(['dev-alice', 'dev-bob', 'dev-carol', 'dev-dave', 'dev-erin']);
    const { applied, rejected } = await dryRunEverything(items);
    expect(rejected).toEqual([]);
    expect(applied).toBe(items.length);
  });

  it('GIVEN a Deployment the server rejects among valid objects WHEN dry-run applied THEN exactly that object is reported with the message of the server', async () => {
    const items = await renderedEnvManifests(REPO, 'dev');
    const deployment = items.find((m) => m.object.kind === 'Deployment' && m.namespace === 'dev-alice' && m.object.metadata.name === 'my-app')!;
    await ensureNamespaces(cluster, ['dev-alice']);
    const broken: KubeObject = { ...deployment.object, metadata: { ...deployment.object.metadata, namespace: 'dev-alice' }, spec: { ...(deployment.object.spec as object), replicas: -1 } };
    const { applied, rejected } = await dryRunApply(cluster, [...items.filter((m) => m.namespace === 'dev-alice' && m !== deployment), manifestOf(broken)]);
    expect(rejected).toEqual(['Deployment dev-alice/my-app: Deployment.apps "my-app" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
    expect(applied).toBe(items.filter((m) => m.namespace === 'dev-alice').length - 1);
  });
});

describe('the long-names definition set (test/fixtures/fleet-long-names)', () => {
  it('GIVEN 39-character developers, a 40-character project, dotted env names and the zones Asia/Kolkata and Europe/Kyiv WHEN both clusters are synthesized, rendered and dry-run applied THEN the server accepts every object', async () => {
    const root = tempRoot();
    cpSync(join(REPO, 'test', 'fixtures', 'fleet-long-names'), root, { recursive: true });
    const synth = await runCli('synth', '--root', root);
    expect(synth.code, synth.stderr).toBe(0);
    await registerArgoCdCrds(cluster);
    await registerExternalSecretsCrds(cluster);
    await registerKedaCrds(cluster);
    // mumbai-analytics gives envs their own Ingresses; eu-central-sandboxes puts them behind the front door.
    for (const name of ['mumbai-analytics', 'eu-central-sandboxes']) {
      const items = [...treeManifests(join(root, 'clusters', name, 'bootstrap')), ...treeManifests(join(root, 'clusters', name, 'apps')), ...(await renderedEnvManifests(root, name))];
      // The server itself checks the env names (IsEnvVarName) and loads each CronJob's time zone.
      expect(items.filter((m) => m.object.kind === 'CronJob').length, name).toBeGreaterThan(0);
      const { applied, rejected } = await dryRunEverything(items);
      expect(rejected, name).toEqual([]);
      expect(applied, name).toBe(items.length);
    }
  });
});

describe('a generated fleet of 1,000 envs', () => {
  it('GIVEN 10 projects x 100 developers WHEN synthesized, rendered and dry-run applied THEN the server accepts every object', async () => {
    const root = tempRoot();
    expect(writeFleet(root, { projects: 10, developers: 100 }).envs).toBe(1000);
    const synth = await runCli('synth', '--root', root);
    expect(synth.code, synth.stderr).toBe(0);
    await registerArgoCdCrds(cluster);
    await registerExternalSecretsCrds(cluster);
    await registerKedaCrds(cluster);
    const tree = [...treeManifests(join(root, 'clusters', 'fleet', 'bootstrap')), ...treeManifests(join(root, 'clusters', 'fleet', 'apps'))];
    expect(tree.filter((m) => m.object.kind === 'Application')).toHaveLength(1001); // 1,000 envs + the root app-of-apps
    const envs = await renderedEnvManifests(root, 'fleet');
    expect(envs.filter((m) => m.object.kind === 'Deployment')).toHaveLength(1000);
    // Behind the front door: two routed ports per env.
    expect(envs.filter((m) => m.object.kind === 'InterceptorRoute')).toHaveLength(2000);
    expect(envs.filter((m) => m.object.kind === 'ScaledObject')).toHaveLength(1000);
    const { applied, rejected } = await dryRunEverything([...tree, ...envs]);
    expect(rejected).toEqual([]);
    expect(applied).toBe(tree.length + envs.length);
  }, 600_000);
});
