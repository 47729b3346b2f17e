/**
 * Argo CD as Terraform installs it (terraform/modules/platform/argocd.tf), evaluated by the real
 * Terraform: the image is the version the local harness builds and proves (tools/versions.env
 * ARGOCD_VERSION, which tools/argocd/go.mod requires), and the fleet settings are exactly the
 * generated ones (generators/cluster/argocd-settings.ts), which the harness runs too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { argocdCm, ARGOCD_CMD_PARAMS } from '../../generators/cluster/argocd-settings.ts';
import { clusterModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { tfvars as tfvars_ } from '../../generators/terraform/tfvars.ts';
import { parseVersions, version, VERSIONS_FILE } from '../../scripts/lib/versions.ts';
import { REPO } from '../helpers/fixtures.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { TERRAFORM } from '../helpers/terraform-fixtures.ts';

let platform: Configuration;
beforeAll(async () => {
  platform = (await loadConfigurations(TERRAFORM)).find((c) => c.dir === 'modules/platform')!;
});

const tfvars = JSON.parse(readFileSync(join(REPO, 'terraform', 'clusters', 'dev', 'devfleet.auto.tfvars.json'), 'utf8')) as Record<string, unknown>;

/** argo-helm's values as Terraform computes them, with the pins of tools/versions.env (versions.tf reads the file into local.pins). */
const argocdValues = (pins: Record<string, string>) =>
  evaluate(platform, {
    variables: ['argocd', 'gitops'],
    locals: ['argocd_image_tag', 'argocd_values'],
    stubs: { pins, system_pod_placement: { nodeSelector: { role: 'system' } } },
    values: { argocd: tfvars.argocd, gitops: tfvars.gitops },
  });

const pinsFile = () => parseVersions(readFileSync(join(REPO, VERSIONS_FILE), 'utf8'));

describe('the Argo CD Terraform installs', { timeout: 120_000 }, () => {
  it('GIVEN the generated tfvars WHEN argo-helm\'s values are evaluated THEN the image is the pinned Argo CD the harness builds, and params and cm are the generated fleet settings', () => {
    const result = argocdValues(pinsFile());
    expect(result.code, result.log).toBe(0);
    const values = result.outputs.argocd_values as { global: { image: { tag: string } }; configs: { params: Record<string, string>; cm: Record<string, string> } };
    expect(result.outputs.argocd_image_tag).toBe(version('ARGOCD_VERSION'));
    expect(values.global.image.tag).toBe('v3.6.1');
    // The harness's binary is built from the same version (tools/argocd/go.mod).
    expect(readFileSync(join(REPO, 'tools', 'argocd', 'go.mod'), 'utf8')).toContain(`github.com/argoproj/argo-cd/v3 ${version('ARGOCD_VERSION')}\n`);
    expect(values.configs.params).toEqual({ ...ARGOCD_CMD_PARAMS });
    expect(values.configs.cm).toEqual({ ...argocdCm(), 'application.resourceTrackingMethod': 'annotation' });
  });

  it('GIVEN a pins file with another Argo CD version WHEN evaluated THEN the image follows it (the tag is read, not typed)', () => {
    const result = argocdValues({ ...pinsFile(), ARGOCD_VERSION: 'v3.6.2' });
    expect(result.code, result.log).toBe(0);
    expect((result.outputs.argocd_values as { global: { image: { tag: string } } }).global.image.tag).toBe('v3.6.2');
  });
});

describe('the application controllers and shard clusters Terraform installs', { timeout: 120_000 }, () => {
  const sharded = tfvars_(planFleet([clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'Asia/Tokyo', developers: [{ name: 'alice' }, { name: 'bob' }], argocd: { repoURL: 'https://git.example.com/fleet.git', namespace: 'gitops', shards: 3 } })], []).clusters[0]!);
  const shardValues = (argocd: unknown) =>
    evaluate(platform, {
      variables: ['argocd', 'gitops', 'names', 'keys'],
      locals: ['argocd_image_tag', 'argocd_values', 'argocd_shard_objects'],
      stubs: { pins: pinsFile(), system_pod_placement: {}, cluster_ca_data: 'Q0EtUEVN' },
      values: { argocd, gitops: sharded.gitops, names: sharded.names, keys: sharded.keys },
    });

  it('GIVEN argocd.shards 3 WHEN evaluated THEN 3 controller replicas, and for shards 1 and 2 an ExternalName Service to the API server and a cluster Secret pinned to the shard, with the cluster CA and no credential', () => {
    const result = shardValues(sharded.argocd);
    expect(result.code, result.log).toBe(0);
    expect((result.outputs.argocd_values as { controller: unknown }).controller).toEqual({ replicas: 3 });
    const objects = result.outputs.argocd_shard_objects as Record<string, { kind: string; metadata: Record<string, unknown>; spec?: unknown; stringData?: Record<string, string> }>;
    expect(Object.keys(objects).sort()).toEqual(['Secret/dev-shard-1', 'Secret/dev-shard-2', 'Service/dev-shard-1', 'Service/dev-shard-2']);
    expect(objects['Service/dev-shard-2']!.spec).toEqual({ type: 'ExternalName', externalName: 'kubernetes.default.svc.cluster.local' });
    const secret = objects['Secret/dev-shard-2']!;
    expect(secret.metadata).toEqual({ name: 'dev-shard-2', namespace: 'gitops', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } });
    const { config, ...rest } = secret.stringData!;
    expect(rest).toEqual({ name: 'dev-shard-2', server: 'https://dev-shard-2.gitops.svc', shard: '2' });
    const parsed = JSON.parse(config!) as { tlsClientConfig: Record<string, string>; execProviderConfig: { command: string; args: string[] } };
    expect(parsed.tlsClientConfig).toEqual({ serverName: 'kubernetes.default.svc', caData: 'Q0EtUEVN' });
    expect(parsed.execProviderConfig.args[1]).toContain('/var/run/secrets/kubernetes.io/serviceaccount/token');
    expect(Object.keys(parsed)).not.toContain('bearerToken');
  });

  it('GIVEN the dev cluster (one controller) WHEN evaluated THEN 1 replica and no shard objects', () => {
    const result = shardValues(tfvars.argocd);
    expect(result.code, result.log).toBe(0);
    expect((result.outputs.argocd_values as { controller: unknown }).controller).toEqual({ replicas: 1 });
    expect(result.outputs.argocd_shard_objects).toEqual({});
  });

  it('GIVEN controllers that do not match the shard clusters WHEN evaluated THEN Terraform refuses the inputs', () => {
    const result = shardValues({ ...(sharded.argocd as object), controllers: 2 });
    expect(result.code).not.toBe(0);
    expect(result.log).toContain('argocd.shard_clusters must name shards 1 to controllers - 1');
  });
});
