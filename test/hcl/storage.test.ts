/**
 * Storage (terraform/modules/platform/storage.tf): the envs' EFS file system admits NFS clients
 * only as the CSI driver's role, over TLS, through a mount target; a root container that reaches a
 * mount target with a user-space NFS client gets nothing. (The generated NetworkPolicies keep env
 * Pods off TCP 2049 as well: test/cluster/network-policy.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { body, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { checkEfsPolicy } from '../helpers/terraform-platform-rules.ts';

let configs: Configuration[];
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
});

describe('the EFS file system policy', () => {
  it('GIVEN the tree WHEN checked THEN only the CSI driver\'s role mounts, through a mount target, with IAM and TLS, and the driver mounts with iam as that role', () => {
    expect(checkEfsPolicy(configs)).toEqual([]);
  });

  it('GIVEN the policy resource removed WHEN checked THEN it is reported', () => {
    const broken = mutate(configs, 'modules/platform', 'storage.tf', (f) => delete (f.resource as any).aws_efs_file_system_policy);
    expect(checkEfsPolicy(broken)).toEqual(['aws_efs_file_system_policy for aws_efs_file_system.envs is missing (EFS then grants every client full access)']);
  });

  it('GIVEN the Allow opened to every principal, the TLS deny dropped, the other-clients deny dropped WHEN checked THEN each is reported', () => {
    const open = mutate(configs, 'modules/platform', 'storage.tf', (f) => ((body(f, 'data', 'aws_iam_policy_document', 'efs').statement as any)[0].principals = [{ type: 'AWS', identifiers: ['*'] }]));
    expect(checkEfsPolicy(open)).toEqual(['statement MountThroughTheCsiDriverOnly: may allow only the CSI driver\'s role (module.efs_csi_pod_identity.iam_role_arn), found ["AWS:*"]']);
    const noTls = mutate(configs, 'modules/platform', 'storage.tf', (f) => {
      const doc = body(f, 'data', 'aws_iam_policy_document', 'efs') as any;
      doc.statement = doc.statement.filter((s: any) => s.sid !== 'DenyWithoutTls');
    });
    expect(checkEfsPolicy(noTls)).toEqual(['no statement denies every action to everyone without TLS (aws:SecureTransport = false)']);
    const others = mutate(configs, 'modules/platform', 'storage.tf', (f) => {
      const doc = body(f, 'data', 'aws_iam_policy_document', 'efs') as any;
      doc.statement = doc.statement.filter((s: any) => s.sid !== 'DenyOtherClients');
    });
    expect(checkEfsPolicy(others)).toEqual(['no statement denies the NFS client actions to every principal but the CSI driver\'s role (ArnNotEquals aws:PrincipalArn)']);
  });

  it('GIVEN the StorageClass without the iam option and the node association gone WHEN checked THEN both are reported', () => {
    const broken = mutate(configs, 'modules/platform', 'storage.tf', (f) => {
      delete body(f, 'resource', 'kubernetes_storage_class_v1', 'envs').mount_options;
      delete body(f, 'module', 'efs_csi_pod_identity').associations;
    });
    expect(checkEfsPolicy(broken)).toEqual([
      'the StorageClass must mount with the `iam` option (the node Pod\'s role signs in)',
      'module.efs_csi_pod_identity must associate its role with the CSI node ServiceAccount (local.efs_csi_node_service_account)',
    ]);
  });
});
