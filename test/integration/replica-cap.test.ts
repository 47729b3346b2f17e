/**
 * The replica cap (generators/cluster/replica-cap.ts) as the real kube-apiserver enforces it:
 * the generated ValidatingAdmissionPolicy and binding applied for real with the developer
 * namespaces, then `kubectl scale` and `kubectl patch` as the developer alice (user + group, her
 * own kubeconfig) and as admin, on another developer's env.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPLICA_CAP_MESSAGE, REPLICA_CAP_POLICY } from '../../generators/cluster/replica-cap.ts';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { REPO } from '../helpers/fixtures.ts';
import { applyForReal, ensureNamespaces, eventually, kubectl, kubectlOk, localCluster, manifestOf, namespacesOf, treeManifests } from './kube.ts';

let cluster: LocalCluster;

/** A Deployment as an env chart makes it (asleep), named so no other test file touches it. */
const probe = (namespace: string, name: string, replicas: number) =>
  manifestOf({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': name } },
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: { metadata: { labels: { 'app.kubernetes.io/name': name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    },
  });

const replicas = async (name: string, namespace: string) => Number(await kubectlOk(cluster, 'admin', ['get', 'deployment', name, '-n', namespace, '-o', 'jsonpath={.spec.replicas}']));

beforeAll(async () => {
  cluster = await localCluster();
  const tree = [...treeManifests(join(REPO, 'clusters', 'dev', 'apps', 'namespaces')), ...treeManifests(join(REPO, 'clusters', 'dev', 'apps', 'platform'))];
  await ensureNamespaces(cluster, [...namespacesOf(tree), 'ops-tools']);
  await applyForReal(cluster, tree);
  await applyForReal(cluster, [probe('dev-bob', 'cap-probe', 0), probe('ops-tools', 'cap-probe', 0)]);
  // The API server compiles and type-checks a new policy before it enforces it: wait until it does.
  await eventually('the replica cap is enforced', async () => {
    const r = await kubectl(cluster, 'admin', ['scale', 'deployment/cap-probe', '-n', 'dev-bob', '--replicas=2', '--dry-run=server']);
    return r.code !== 0 && r.stderr.includes(REPLICA_CAP_POLICY) ? true : undefined;
  });
});

describe('the replica cap on a real API server', () => {
  it('GIVEN another developer\'s env WHEN alice runs kubectl scale --replicas=2 THEN the server refuses it, naming the policy and saying why and what to do; the env keeps its replicas', async () => {
    const result = await kubectl(cluster, 'alice', ['scale', 'deployment/cap-probe', '-n', 'dev-bob', '--replicas=2']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`ValidatingAdmissionPolicy '${REPLICA_CAP_POLICY}'`);
    expect(result.stderr).toContain(`replicas: 2 refused; ${REPLICA_CAP_MESSAGE}`);
    expect(await replicas('cap-probe', 'dev-bob')).toBe(0);
  });

  it('GIVEN the same env WHEN alice runs kubectl scale --replicas=1, then --replicas=0 THEN both are allowed (wake and sleep)', async () => {
    expect((await kubectl(cluster, 'alice', ['scale', 'deployment/cap-probe', '-n', 'dev-bob', '--replicas=1'])).code).toBe(0);
    expect(await replicas('cap-probe', 'dev-bob')).toBe(1);
    expect((await kubectl(cluster, 'alice', ['scale', 'deployment/cap-probe', '-n', 'dev-bob', '--replicas=0'])).code).toBe(0);
    expect(await replicas('cap-probe', 'dev-bob')).toBe(0);
  });

  it('GIVEN the env WHEN the Deployment itself is patched to 40 replicas THEN alice is refused by RBAC and even admin is refused by the policy', async () => {
    const patch = ['patch', 'deployment/cap-probe', '-n', 'dev-bob', '--type=merge', '-p', '{"spec":{"replicas":40}}'];
    const asAlice = await kubectl(cluster, 'alice', patch);
    expect(asAlice.code).not.toBe(0);
    expect(asAlice.stderr).toContain('forbidden');
    const asAdmin = await kubectl(cluster, 'admin', patch);
    expect(asAdmin.code).not.toBe(0);
    expect(asAdmin.stderr).toContain(`replicas: 40 refused; ${REPLICA_CAP_MESSAGE}`);
    expect(await replicas('cap-probe', 'dev-bob')).toBe(0);
  });

  it('GIVEN a new Deployment created with 2 replicas in a developer namespace, and one in a namespace that is not a developer\'s WHEN applied THEN the first is refused, the second is not', async () => {
    await expect(applyForReal(cluster, [probe('dev-carol', 'cap-new', 2)])).rejects.toThrow(`replicas: 2 refused`);
    await applyForReal(cluster, [probe('ops-tools', 'cap-new', 3)]);
    expect(await replicas('cap-new', 'ops-tools')).toBe(3);
    expect((await kubectl(cluster, 'admin', ['scale', 'deployment/cap-probe', '-n', 'ops-tools', '--replicas=5'])).code).toBe(0);
  });

  it('GIVEN a Deployment above the cap from before the namespace was a developer\'s WHEN it is scaled down or raised THEN scaling down works and raising is refused', async () => {
    await ensureNamespaces(cluster, ['dev-late']);
    await applyForReal(cluster, [probe('dev-late', 'cap-old', 4)]);
    await kubectlOk(cluster, 'admin', ['label', 'namespace', 'dev-late', 'devfleet.dev/cluster=dev', 'devfleet.dev/developer=late']);
    await eventually('the cap applies to dev-late', async () => {
      const r = await kubectl(cluster, 'admin', ['scale', 'deployment/cap-old', '-n', 'dev-late', '--replicas=5', '--dry-run=server']);
      return r.code !== 0 ? true : undefined;
    });
    expect((await kubectl(cluster, 'admin', ['scale', 'deployment/cap-old', '-n', 'dev-late', '--replicas=3'])).code).toBe(0);
    expect((await kubectl(cluster, 'admin', ['annotate', 'deployment/cap-old', '-n', 'dev-late', 'example.com/touched=yes'])).code).toBe(0);
    expect(await replicas('cap-old', 'dev-late')).toBe(3);
    const raise = await kubectl(cluster, 'admin', ['scale', 'deployment/cap-old', '-n', 'dev-late', '--replicas=4']);
    expect(raise.code).not.toBe(0);
    expect(raise.stderr).toContain('replicas: 4 refused');
    expect(await replicas('cap-old', 'dev-late')).toBe(3);
  });
});
