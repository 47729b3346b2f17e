/**
 * Pod Security as the real admission plugin applies it to a generated developer namespace
 * (clusters/dev/apps/namespaces/alice.yaml: enforce baseline, warn and audit restricted). Dry-run
 * creates are enough: admission runs in full, nothing is stored (and with no nodes, nothing would run).
 * The same namespace's LimitRange and ResourceQuota bound node disk (ephemeral storage) too.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMIT_RANGE_DEFAULTS, QUOTA_DEFAULTS } from '../../generators/schema/cluster.ts';
import type { LocalCluster } from '../../scripts/cluster.ts';
import { REPO } from '../helpers/fixtures.ts';
import { applyForReal, ensureNamespaces, eventually, kubectl, kubectlOk, localCluster, treeManifests } from './kube.ts';

let cluster: LocalCluster;

const pod = (name: string, container: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ...container }] } });

const createDryRun = (namespace: string, manifest: string) => kubectl(cluster, 'admin', ['create', '--dry-run=server', '-n', namespace, '-o', 'name', '-f', '-'], manifest);

beforeAll(async () => {
  cluster = await localCluster();
  const alice = treeManifests(join(REPO, 'clusters', 'dev', 'apps', 'namespaces')).filter((m) => m.namespace === 'dev-alice' || m.object.metadata.name === 'dev-alice');
  await applyForReal(cluster, alice);
  await ensureNamespaces(cluster, ['devfleet-psa-unlabelled']);
  // Pods need their ServiceAccount; the controller manager creates `default` in each new namespace.
  for (const ns of ['dev-alice', 'devfleet-psa-unlabelled']) {
    await eventually(`ServiceAccount default in ${ns}`, async () => ((await kubectl(cluster, 'admin', ['get', 'serviceaccount', 'default', '-n', ns])).code === 0 ? true : undefined));
  }
});

describe('Pod Security in a developer namespace', () => {
  it('GIVEN the generated namespace dev-alice WHEN its labels are read back THEN baseline is enforced and restricted warned and audited, pinned to v1.32', async () => {
    const labels = JSON.parse(await kubectlOk(cluster, 'admin', ['get', 'namespace', 'dev-alice', '-o', 'jsonpath={.metadata.labels}'])) as Record<string, string>;
    expect(Object.fromEntries(Object.entries(labels).filter(([k]) => k.startsWith('pod-security.kubernetes.io/')))).toEqual({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.32',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.32',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.32',
    });
  });

  it('GIVEN a privileged Pod WHEN created in dev-alice THEN Pod Security baseline rejects it', async () => {
    const result = await createDryRun('dev-alice', pod('privileged', { securityContext: { privileged: true } }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pods "privileged" is forbidden: violates PodSecurity "baseline:v1.32": privileged (container "nginx" must not set securityContext.privileged=true)');
  });

  it('GIVEN a Pod sharing the host network WHEN created in dev-alice THEN Pod Security baseline rejects it too', async () => {
    const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hostnet' }, spec: { hostNetwork: true, containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    const result = await createDryRun('dev-alice', manifest);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('violates PodSecurity "baseline:v1.32": host namespaces (hostNetwork=true)');
  });

  it('GIVEN the official nginx image running as root with no securityContext WHEN created in dev-alice THEN it is admitted, with the restricted warnings', async () => {
    const result = await createDryRun('dev-alice', pod('root-nginx', {}));
    expect(result.stderr).not.toContain('forbidden');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('pod/root-nginx');
    expect(result.stderr).toContain('Warning: would violate PodSecurity "restricted:v1.32": allowPrivilegeEscalation != false');
    expect(result.stderr).toContain('runAsNonRoot != true');
  });

  it('GIVEN a namespace without the generated labels WHEN the same privileged Pod is created THEN it is admitted (the rejection comes from the labels, not from the server)', async () => {
    const result = await createDryRun('devfleet-psa-unlabelled', pod('privileged', { securityContext: { privileged: true } }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('node disk in a developer namespace (issue 17)', () => {
  it('GIVEN a Pod that sets no resources WHEN created in dev-alice THEN the LimitRange gives it the ephemeral-storage request and limit the cluster schema documents', async () => {
    const result = await kubectl(cluster, 'admin', ['create', '--dry-run=server', '-n', 'dev-alice', '-o', 'json', '-f', '-'], pod('no-resources', {}));
    expect(result.code).toBe(0);
    const created = JSON.parse(result.stdout) as { spec: { containers: { resources: { requests: Record<string, string>; limits: Record<string, string> } }[] } };
    expect(created.spec.containers[0]!.resources.requests['ephemeral-storage']).toBe(LIMIT_RANGE_DEFAULTS.ephemeralStorage);
    expect(created.spec.containers[0]!.resources.limits['ephemeral-storage']).toBe(LIMIT_RANGE_DEFAULTS.ephemeralStorageLimit);
  });

  it('GIVEN a Pod whose ephemeral-storage limit passes the namespace quota WHEN created in dev-alice THEN the ResourceQuota refuses it', async () => {
    const over = pod('disk-hog', { resources: { requests: { 'ephemeral-storage': '1Gi' }, limits: { 'ephemeral-storage': '33Gi' } } });
    const result = await createDryRun('dev-alice', over);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('exceeded quota: devfleet');
    expect(result.stderr).toContain(`limits.ephemeral-storage=${QUOTA_DEFAULTS.ephemeralStorageLimit}`);
  });
});
