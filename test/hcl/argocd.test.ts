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
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
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
