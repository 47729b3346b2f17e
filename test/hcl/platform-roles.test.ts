/**
 * The platform's own IAM roles (load balancer controller, External DNS, EFS CSI driver, External
 * Secrets): Pod Identity hands them only to this account's cluster (aws:SourceAccount and
 * aws:SourceArn in their trust policies, the confused-deputy protection the env roles have), and
 * the nodes Karpenter launches carry no AmazonSSMManagedInstanceCore. Nobody is cluster-admin
 * implicitly: the identity running Terraform is an explicit access entry (var.terraform_admin).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { body, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { checkClusterAdmins, checkPlatformRoleTrust } from '../helpers/terraform-platform-rules.ts';

let configs: Configuration[];
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
});

describe('platform roles', () => {
  it('GIVEN the tree WHEN checked THEN every controller role trusts only this account\'s cluster and no node role has SSM', () => {
    expect(checkPlatformRoleTrust(configs)).toEqual([]);
  });

  it('GIVEN the load balancer controller\'s conditions dropped and SSM attached to Karpenter\'s nodes WHEN checked THEN both are reported', () => {
    const broken = mutate(configs, 'modules/platform', 'ingress.tf', (f) => delete body(f, 'module', 'lb_controller_pod_identity').trust_policy_conditions);
    const ssm = mutate(broken, 'modules/platform', 'karpenter.tf', (f) => (body(f, 'module', 'karpenter').node_iam_role_additional_policies = { AmazonSSMManagedInstanceCore: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' }));
    expect(checkPlatformRoleTrust(ssm)).toEqual([
      'terraform/modules/platform/ingress.tf: module.lb_controller_pod_identity must trust only this account\'s cluster (trust_policy_conditions on aws:SourceAccount and aws:SourceArn)',
      'terraform/modules/platform/karpenter.tf: attaches AmazonSSMManagedInstanceCore (SSM on every resource) to a node role',
    ]);
  });
});

describe('cluster admins', () => {
  it('GIVEN the tree WHEN checked THEN no creator is admin implicitly and the Terraform identity has an explicit entry', () => {
    expect(checkClusterAdmins(configs)).toEqual([]);
  });

  it('GIVEN the creator\'s implicit admin switched back on WHEN checked THEN it is reported', () => {
    const broken = mutate(configs, 'modules/platform', 'eks.tf', (f) => (body(f, 'module', 'eks').enable_cluster_creator_admin_permissions = true));
    expect(checkClusterAdmins(broken)).toEqual(['module "eks" must set enable_cluster_creator_admin_permissions = false (no implicit cluster-admin for the creator)']);
  });
});
