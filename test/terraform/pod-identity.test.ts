/**
 * Limits on envs' AWS access (terraform/modules/platform/pod-identity.tf): project roles carry the
 * permissions boundary ops set, and a policy outside `iam.allowed_policies` stops the plan
 * (behind `devfleet validate`, which checks first).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { evaluate } from './lib/evaluate.ts';
import { body, mutate, TERRAFORM } from './lib/fixtures.ts';
import { checkProjectRoleLimits } from './lib/platform-rules.ts';

let configs: Configuration[];
let platform: Configuration;
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
  platform = configs.find((c) => c.dir === 'modules/platform')!;
});

describe('project role limits', () => {
  it('GIVEN the tree WHEN the project roles are checked THEN they take the boundary from var.iam and both the attachment and the association check iam.allowed_policies', () => {
    expect(checkProjectRoleLimits(configs)).toEqual([]);
  });

  it('GIVEN the boundary dropped and the association\'s precondition removed WHEN checked THEN both are reported', () => {
    const broken = mutate(configs, 'modules/platform', 'pod-identity.tf', (f) => {
      delete body(f, 'resource', 'aws_iam_role', 'project').permissions_boundary;
      delete body(f, 'resource', 'aws_eks_pod_identity_association', 'env').lifecycle;
    });
    expect(checkProjectRoleLimits(broken)).toEqual([
      'aws_iam_role.project must set permissions_boundary = var.iam.permissions_boundary',
      'terraform/modules/platform/pod-identity.tf: aws_eks_pod_identity_association.env needs a precondition against var.iam.allowed_policies',
    ]);
  });

  it('GIVEN the allowed-policies precondition WHEN its condition is evaluated by Terraform THEN an association with a policy outside a non-empty list is refused, and an empty list allows any', { timeout: 120_000 }, () => {
    // The association's precondition, with `each.value.policies` bound to a local.
    const association = configs.find((c) => c.dir === 'modules/platform')!;
    const condition = String(((body(association.files.get('pod-identity.tf')!, 'resource', 'aws_eks_pod_identity_association', 'env').lifecycle as any)[0].precondition[0].condition));
    const probe = mutate(configs, 'modules/platform', 'pod-identity.tf', (f) => {
      (f.locals as any)[0].allowed_probe = condition.replaceAll('each.value.policies', 'local.probe_policies');
    }).find((c) => c.dir === 'modules/platform')!;
    const run = (allowed: string[], policies: string[]) =>
      evaluate(probe, { variables: ['iam'], locals: ['allowed_probe'], stubs: { probe_policies: policies }, values: { iam: { allowed_policies: allowed } } });
    const s3 = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    expect(run([s3], [s3]).outputs.allowed_probe).toBe(true);
    expect(run([s3], [s3, admin]).outputs.allowed_probe).toBe(false);
    expect(run([], [admin]).outputs.allowed_probe).toBe(true);
  });

  it('GIVEN a permissions boundary that is not a policy ARN WHEN planned THEN Terraform refuses it', { timeout: 120_000 }, () => {
    const result = evaluate(platform, { variables: ['iam'], locals: [], values: { iam: { permissions_boundary: 'devfleet-boundary' } } });
    expect(result.code).not.toBe(0);
    expect(result.log).toContain('must be IAM policy ARNs');
  });
});
