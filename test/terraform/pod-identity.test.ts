/**
 * Limits on envs' AWS access (terraform/modules/platform/pod-identity.tf): project roles carry the
 * permissions boundary ops set, and a policy outside `iam.allowed_policies` stops the plan
 * (behind `devfleet validate`, which checks first). An empty list allows no policy, on both sides.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigurations, type Configuration, type HclFile } from '../../generators/terraform/hcl.ts';
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

  /**
   * The two allowed-policies preconditions as Terraform evaluates them for a project asking for
   * `policies`: the attachment's once per policy (`each.value.policy_arn` bound to each), the
   * association's once (`each.value.policies` bound to all); `iam` as given (undefined: not set).
   */
  function allowed(iam: Record<string, unknown> | undefined, policies: string[]): { attachment: unknown[]; association: unknown } {
    const condition = (file: HclFile, type: string, name: string) => String((body(file, 'resource', type, name).lifecycle as any)[0].precondition[0].condition);
    const probe = mutate(configs, 'modules/platform', 'pod-identity.tf', (f) => {
      const l = (f.locals as any)[0];
      l.attachment_probe = `\${[for p in local.probe_policies : ${condition(f, 'aws_iam_role_policy_attachment', 'project').replace(/^\$\{([\s\S]*)\}$/, '$1').replaceAll('each.value.policy_arn', 'p')}]}`;
      l.association_probe = condition(f, 'aws_eks_pod_identity_association', 'env').replaceAll('each.value.policies', 'local.probe_policies');
    }).find((c) => c.dir === 'modules/platform')!;
    const result = evaluate(probe, { variables: ['iam'], locals: ['attachment_probe', 'association_probe'], stubs: { probe_policies: policies }, values: iam === undefined ? {} : { iam } });
    if (result.code !== 0) throw new Error(result.log);
    return { attachment: result.outputs.attachment_probe as unknown[], association: result.outputs.association_probe };
  }

  const s3 = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
  const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';

  it('GIVEN a non-empty allowed_policies WHEN Terraform evaluates both preconditions THEN a listed policy passes and an unlisted one is refused', { timeout: 120_000 }, () => {
    expect(allowed({ allowed_policies: [s3] }, [s3])).toEqual({ attachment: [true], association: true });
    expect(allowed({ allowed_policies: [s3] }, [s3, admin])).toEqual({ attachment: [true, false], association: false });
  });

  it('GIVEN an empty allowed_policies, or none set WHEN Terraform evaluates both preconditions THEN every policy is refused, as devfleet validate refuses it', { timeout: 120_000 }, () => {
    expect(allowed({ allowed_policies: [] }, [admin])).toEqual({ attachment: [false], association: false });
    expect(allowed({ allowed_policies: [] }, [s3])).toEqual({ attachment: [false], association: false });
    expect(allowed({ permissions_boundary: 'arn:aws:iam::123456789012:policy/devfleet-boundary' }, [s3])).toEqual({ attachment: [false], association: false });
    expect(allowed(undefined, [s3])).toEqual({ attachment: [false], association: false });
  });

  it('GIVEN a permissions boundary that is not a policy ARN WHEN planned THEN Terraform refuses it', { timeout: 120_000 }, () => {
    const result = evaluate(platform, { variables: ['iam'], locals: [], values: { iam: { permissions_boundary: 'devfleet-boundary' } } });
    expect(result.code).not.toBe(0);
    expect(result.log).toContain('must be IAM policy ARNs');
  });
});
