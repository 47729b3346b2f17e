/**
 * Limits on envs' AWS access (terraform/modules/platform/pod-identity.tf, permissions-boundary.tf):
 * project roles carry the permissions boundary Terraform makes, which denies IAM, role assumption,
 * the EKS API, the platform's secrets and the Terraform state whatever the role's policies say, and a policy outside `iam.allowed_policies` stops the plan
 * (behind `devfleet validate`, which checks first). An empty list allows no policy, on both sides.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigurations, type Configuration, type HclFile } from '../../generators/terraform/hcl.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { body, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { checkProjectRoleLimits } from '../helpers/terraform-platform-rules.ts';

let configs: Configuration[];
let platform: Configuration;
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
  platform = configs.find((c) => c.dir === 'modules/platform')!;
});

describe('project role limits', () => {
  it('GIVEN the tree WHEN the project roles are checked THEN they carry the boundary Terraform makes and both the attachment and the association check iam.allowed_policies', () => {
    expect(checkProjectRoleLimits(configs)).toEqual([]);
  });

  it('GIVEN the boundary dropped (or ops\' ARN set instead) and the association\'s precondition removed WHEN checked THEN each is reported', () => {
    const broken = mutate(configs, 'modules/platform', 'pod-identity.tf', (f) => {
      delete body(f, 'resource', 'aws_iam_role', 'project').permissions_boundary;
      delete body(f, 'resource', 'aws_eks_pod_identity_association', 'env').lifecycle;
    });
    expect(checkProjectRoleLimits(broken)).toEqual([
      'aws_iam_role.project must set permissions_boundary = aws_iam_policy.project_boundary.arn',
      'terraform/modules/platform/pod-identity.tf: aws_eks_pod_identity_association.env needs a precondition against var.iam.allowed_policies',
    ]);
    const ops = mutate(configs, 'modules/platform', 'pod-identity.tf', (f) => (body(f, 'resource', 'aws_iam_role', 'project').permissions_boundary = '${var.iam.permissions_boundary}'));
    expect(checkProjectRoleLimits(ops)).toEqual(['aws_iam_role.project must set permissions_boundary = aws_iam_policy.project_boundary.arn']);
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

  /** The boundary policy as Terraform computes it for `iam` (ops' boundary document stubbed as its JSON, as AWS returns it). */
  function boundary(iam: Record<string, unknown>, opsDocument: unknown = null): Policy {
    const result = evaluate(platform, {
      variables: ['iam', 'cluster_name', 'external_secrets', 'terraform_state_bucket'],
      locals: ['project_boundary_allow', 'project_boundary_deny', 'project_boundary_policy', 'remote_key_prefix', 'secret_arn_base'],
      stubs: { partition: 'aws', region: 'ap-northeast-1', account_id: '123456789012', ops_boundary_document: opsDocument === null ? null : JSON.stringify(opsDocument) },
      values: { iam, cluster_name: 'dev', external_secrets: {}, terraform_state_bucket: 'acme-terraform-state' },
    });
    if (result.code !== 0) throw new Error(result.log);
    return JSON.parse(result.outputs.project_boundary_policy as string) as Policy;
  }

  const secret = (name: string) => `arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:${name}-AbCdEf`;
  const platformReach: [string, string][] = [
    ['secretsmanager:GetSecretValue', secret('devfleet/dev/sso-oidc')],
    ['secretsmanager:GetSecretValue', secret('devfleet/dev/shop/db-password')],
    ['secretsmanager:PutResourcePolicy', secret('devfleet/dev/sso-oidc')],
    ['iam:CreateRole', 'arn:aws:iam::123456789012:role/x'],
    ['iam:AttachRolePolicy', 'arn:aws:iam::123456789012:role/devfleet-dev--shop'],
    ['iam:PutRolePermissionsBoundary', 'arn:aws:iam::123456789012:role/devfleet-dev--shop'],
    ['iam:PassRole', 'arn:aws:iam::123456789012:role/dev-eso-platform'],
    ['sts:AssumeRole', 'arn:aws:iam::123456789012:role/dev-eso-platform'],
    ['eks:CreateAccessEntry', 'arn:aws:eks:ap-northeast-1:123456789012:cluster/dev'],
    ['organizations:LeaveOrganization', '*'],
    ['s3:GetObject', 'arn:aws:s3:::acme-terraform-state/devfleet/clusters/dev/terraform.tfstate'],
    ['s3:PutObject', 'arn:aws:s3:::acme-terraform-state/devfleet/clusters/dev/terraform.tfstate'],
    ['s3:ListBucket', 'arn:aws:s3:::acme-terraform-state'],
  ];

  it('GIVEN no boundary of ops WHEN Terraform computes the project boundary THEN it allows what the role\'s policies allow and denies IAM, role assumption, the EKS API, the platform\'s secrets and the state bucket', { timeout: 120_000 }, () => {
    const policy = boundary({ allowed_policies: [] });
    for (const [action, resource] of platformReach) expect(decide(policy, action, resource), `${action} ${resource}`).toBe('deny');
    expect(decide(policy, 's3:GetObject', 'arn:aws:s3:::shop-images/a.png')).toBe('allow');
    expect(decide(policy, 'sqs:SendMessage', 'arn:aws:sqs:ap-northeast-1:123456789012:api-queue')).toBe('allow');
  });

  it('GIVEN ops\' own boundary WHEN Terraform computes the project boundary THEN its statements are the upper bound and the platform\'s denies still hold', { timeout: 120_000 }, () => {
    const ops = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['s3:*', 'secretsmanager:*', 'iam:*'], Resource: '*' } };
    const policy = boundary({ allowed_policies: [], permissions_boundary: 'arn:aws:iam::123456789012:policy/ops-boundary' }, ops);
    for (const [action, resource] of platformReach) expect(decide(policy, action, resource), `${action} ${resource}`).toBe('deny');
    expect(decide(policy, 's3:GetObject', 'arn:aws:s3:::shop-images/a.png')).toBe('allow');
    expect(decide(policy, 'sqs:SendMessage', 'arn:aws:sqs:ap-northeast-1:123456789012:api-queue')).toBe('implicit deny');
  });

  it('GIVEN a permissions boundary that is not a policy ARN WHEN planned THEN Terraform refuses it', { timeout: 120_000 }, () => {
    const result = evaluate(platform, { variables: ['iam'], locals: [], values: { iam: { permissions_boundary: 'devfleet-boundary' } } });
    expect(result.code).not.toBe(0);
    expect(result.log).toContain('must be IAM policy ARNs');
  });
});

interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
}
interface Policy {
  readonly Statement: Statement[];
}

/** IAM's wildcard match: `*` any run of characters, `?` one; actions case-insensitively. */
function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = `^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`;
  return new RegExp(source, ignoreCase ? 'i' : '').test(value);
}

/** What a boundary says of one request (no conditions in these statements): an explicit Deny wins, then an Allow, else implicit deny. */
function decide(policy: Policy, action: string, resource: string): 'deny' | 'allow' | 'implicit deny' {
  const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
  const hit = (s: Statement) => list(s.Action).some((a) => matches(a, action, true)) && list(s.Resource).some((r) => matches(r, resource, false));
  if (policy.Statement.some((s) => s.Effect === 'Deny' && hit(s))) return 'deny';
  return policy.Statement.some((s) => s.Effect === 'Allow' && hit(s)) ? 'allow' : 'implicit deny';
}
