/**
 * terraform/ keeps the terraform-aws-modules conventions ops expect. Every check runs on the
 * real tree (no problem allowed) and on a copy with the guarded thing removed or changed (the
 * check must notice), so no check can pass by looking at nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigurations, parseHcl, type Configuration } from '../../generators/terraform/hcl.ts';
import {
  checkBackends,
  checkDeveloperAccess,
  checkModulePins,
  checkOutputs,
  checkProviderPins,
  checkReferences,
  checkRequiredVersion,
  checkVariables,
} from '../helpers/terraform-conventions.ts';
import { body, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';

let configs: Configuration[];
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
});

describe('terraform/ parses', () => {
  it('GIVEN terraform/ WHEN every .tf file is parsed by the HCL parser THEN the platform module and the dev root configuration are there with the files split by concern', () => {
    expect(configs.map((c) => c.dir)).toEqual(['clusters/dev', 'modules/platform']);
    expect([...configs[1]!.files.keys()]).toEqual([
      'access.tf', 'addons.tf', 'alb-logs.tf', 'argocd-webhook.tf', 'argocd.tf', 'dns.tf', 'eks.tf', 'external-secrets.tf', 'front-door-network-policy.tf', 'front-door.tf', 'ingress.tf',
      'karpenter.tf', 'main.tf', 'outputs.tf', 'permissions-boundary.tf', 'platform-network-policy.tf', 'pod-identity.tf', 'storage.tf', 'telepresence-network-policy.tf', 'variables.tf', 'versions.tf', 'vpc.tf',
    ]);
    expect([...configs[0]!.files.keys()]).toEqual(['backend.tf', 'main.tf', 'outputs.tf', 'variables.tf', 'versions.tf']);
  });

  it('GIVEN a file that is not valid HCL WHEN parsed THEN the parser refuses it, naming the file', async () => {
    const broken = readFileSync(join(TERRAFORM, 'modules/platform/versions.tf'), 'utf8').replace('required_version = ', 'required_version = = ');
    await expect(parseHcl('versions.tf', broken)).rejects.toThrow(/^versions\.tf: not valid HCL/);
  });
});

describe('module sources', () => {
  it('GIVEN the tree WHEN module sources are checked THEN every registry module is pinned to an exact version', () => {
    expect(checkModulePins(configs)).toEqual([]);
  });

  it('GIVEN a registry module with a version range, or with none WHEN checked THEN each is reported', () => {
    const ranged = mutate(configs, 'modules/platform', 'eks.tf', (f) => (body(f, 'module', 'eks').version = '~> 21.0'));
    expect(checkModulePins(ranged)).toEqual([expect.stringContaining('module "eks" source "terraform-aws-modules/eks/aws" needs an exact version')]);
    const unpinned = mutate(configs, 'modules/platform', 'vpc.tf', (f) => delete body(f, 'module', 'vpc').version);
    expect(checkModulePins(unpinned)).toEqual([expect.stringContaining('module "vpc"')]);
  });
});

describe('providers and Terraform versions', () => {
  it('GIVEN the tree WHEN provider requirements are checked THEN roots pin exactly, modules state bounded ranges, and every used provider is declared', () => {
    expect(checkProviderPins(configs)).toEqual([]);
  });

  it('GIVEN a root provider with a range, a module provider without an upper bound, or a provider removed WHEN checked THEN each is reported', () => {
    const ranged = mutate(configs, 'clusters/dev', 'versions.tf', (f) => (((body(f, 'terraform').required_providers as any)[0].aws.version = '>= 6.46')));
    expect(checkProviderPins(ranged)).toEqual([expect.stringContaining('provider "aws" must be pinned exactly')]);
    const open = mutate(configs, 'modules/platform', 'versions.tf', (f) => (((body(f, 'terraform').required_providers as any)[0].helm.version = '>= 3.0.2')));
    expect(checkProviderPins(open)).toEqual([expect.stringContaining('provider "helm" needs a bounded range')]);
    const missing = mutate(configs, 'modules/platform', 'versions.tf', (f) => delete (body(f, 'terraform').required_providers as any)[0].kubectl);
    expect(checkProviderPins(missing)).toEqual(['terraform/modules/platform/: provider "kubectl" is used but not in required_providers']);
  });

  it('GIVEN the tree WHEN required_version is checked THEN every configuration has one; removing it is reported', () => {
    expect(checkRequiredVersion(configs)).toEqual([]);
    const without = mutate(configs, 'clusters/dev', 'versions.tf', (f) => delete body(f, 'terraform').required_version);
    expect(checkRequiredVersion(without)).toEqual(['terraform/clusters/dev/: no terraform { required_version = ... }']);
  });
});

describe('variables and outputs', () => {
  it('GIVEN the tree WHEN variables are checked THEN each is typed (never any) and described', () => {
    expect(checkVariables(configs)).toEqual([]);
  });

  it('GIVEN a variable without description, one without type and one typed any WHEN checked THEN each is reported', () => {
    const broken = mutate(configs, 'modules/platform', 'variables.tf', (f) => {
      delete body(f, 'variable', 'domain').description;
      delete body(f, 'variable', 'tags').type;
      body(f, 'variable', 'karpenter').type = '${map(any)}';
    });
    expect(checkVariables(broken)).toEqual([
      expect.stringContaining('variable "domain" has no description'),
      expect.stringContaining('variable "karpenter" uses "any"'),
      expect.stringContaining('variable "tags" has no type'),
    ]);
  });

  it('GIVEN the tree WHEN outputs are checked THEN each is described; one without is reported', () => {
    expect(checkOutputs(configs)).toEqual([]);
    const broken = mutate(configs, 'modules/platform', 'outputs.tf', (f) => (body(f, 'output', 'headlamp_url').description = ''));
    expect(checkOutputs(broken)).toEqual([expect.stringContaining('output "headlamp_url" has no description')]);
  });
});

describe('state backend', () => {
  it('GIVEN the tree WHEN backends are checked THEN each root keeps state in S3 with use_lockfile and encrypt, modules have none', () => {
    expect(checkBackends(configs)).toEqual([]);
  });

  it('GIVEN a root without native locking, without encryption, or without a backend WHEN checked THEN each is reported', () => {
    const s3 = (f: any) => body(f, 'terraform').backend as any;
    expect(checkBackends(mutate(configs, 'clusters/dev', 'backend.tf', (f) => (s3(f).s3[0].use_lockfile = false)))).toEqual([
      'terraform/clusters/dev/: backend "s3" needs use_lockfile = true (native state locking)',
    ]);
    expect(checkBackends(mutate(configs, 'clusters/dev', 'backend.tf', (f) => delete s3(f).s3[0].encrypt))).toEqual(['terraform/clusters/dev/: backend "s3" needs encrypt = true']);
    expect(checkBackends(mutate(configs, 'clusters/dev', 'backend.tf', (f) => delete body(f, 'terraform').backend))).toEqual([
      'terraform/clusters/dev/: needs exactly one backend "s3" (found none)',
    ]);
  });
});

describe('developer access', () => {
  it('GIVEN the tree WHEN access entries are checked THEN developers map to the developers group only, admins alone get cluster-admin, and the cluster uses API auth and STANDARD support', () => {
    expect(checkDeveloperAccess(configs)).toEqual([]);
  });

  it('GIVEN developers given the cluster-admin policy, or another group, or admins fed from developers WHEN checked THEN each is reported', () => {
    const admin = mutate(configs, 'modules/platform', 'eks.tf', (f) => {
      const l = (f.locals as any)[0];
      l.developer_access_entries = l.developer_access_entries.replace(
        'kubernetes_groups = [var.names.developers_group]',
        'kubernetes_groups = [var.names.developers_group]\n      policy_associations = { admin = { policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", access_scope = { type = "cluster" } } }',
      );
    });
    expect(checkDeveloperAccess(admin)).toEqual([
      'local.developer_access_entries must not contain policy_associations: developers get namespace RBAC only',
      'local.developer_access_entries must not contain AmazonEKSClusterAdminPolicy: developers get namespace RBAC only',
      'terraform/modules/platform/eks.tf: AmazonEKSClusterAdminPolicy appears outside local.admin_access_entries',
    ]);
    const masters = mutate(configs, 'modules/platform', 'eks.tf', (f) => {
      const l = (f.locals as any)[0];
      l.developer_access_entries = l.developer_access_entries.replace('[var.names.developers_group]', '["system:masters"]');
    });
    expect(checkDeveloperAccess(masters)).toEqual([
      'local.developer_access_entries must set kubernetes_groups = [var.names.developers_group] and no other group',
      'local.developer_access_entries must not contain system:masters: developers get namespace RBAC only',
    ]);
    const leaked = mutate(configs, 'modules/platform', 'eks.tf', (f) => {
      const l = (f.locals as any)[0];
      l.admin_access_entries = l.admin_access_entries.replace('for arn in distinct(concat(var.admins, [var.terraform_admin])) :', 'for arn in concat(var.admins, [for d in values(var.developers) : d.iam]) :');
    });
    expect(checkDeveloperAccess(leaked)).toEqual(['local.admin_access_entries must be built from var.admins (and var.terraform_admin) only']);
  });

  it('GIVEN the cluster on the default extended support or with the aws-auth ConfigMap WHEN checked THEN each is reported', () => {
    const extended = mutate(configs, 'modules/platform', 'eks.tf', (f) => delete body(f, 'module', 'eks').upgrade_policy);
    expect(checkDeveloperAccess(extended)).toEqual([expect.stringContaining('upgrade_policy = { support_type = "STANDARD" }')]);
    const configMap = mutate(configs, 'modules/platform', 'eks.tf', (f) => (body(f, 'module', 'eks').authentication_mode = 'API_AND_CONFIG_MAP'));
    expect(checkDeveloperAccess(configMap)).toEqual([expect.stringContaining('authentication_mode = "API"')]);
  });
});

describe('references', () => {
  it('GIVEN the tree WHEN references are resolved THEN every var., local., module. and data. names a declaration, module outputs exist and local module calls match their variables', () => {
    expect(checkReferences(configs)).toEqual([]);
  });

  it('GIVEN a removed variable, a misspelt local, an unknown module output and an extra module argument WHEN resolved THEN each is reported', () => {
    const noVar = mutate(configs, 'modules/platform', 'variables.tf', (f) => delete (f.variable as any).ingress_scheme);
    expect(checkReferences(noVar)).toEqual([
      'terraform/clusters/dev/main.tf: module "platform" passes ingress_scheme, which ../../modules/platform does not declare',
      // The legacy scheme is read in access.tf only: the access local and the deprecation check.
      ...Array(3).fill('terraform/modules/platform/access.tf: var.ingress_scheme is not declared'),
    ]);
    const typo = mutate(configs, 'modules/platform', 'storage.tf', (f) => (body(f, 'resource', 'aws_efs_mount_target', 'envs').for_each = '${{ for i, subnet in local.private_subnet : tostring(i) => subnet }}'));
    expect(checkReferences(typo)).toEqual(['terraform/modules/platform/storage.tf: local.private_subnet is not declared']);
    const output = mutate(configs, 'clusters/dev', 'outputs.tf', (f) => (body(f, 'output', 'headlamp_url').value = '${module.platform.headlamp}'));
    expect(checkReferences(output)).toEqual(['terraform/clusters/dev/outputs.tf: module.platform.headlamp is not an output of ../../modules/platform']);
    const missing = mutate(configs, 'clusters/dev', 'main.tf', (f) => delete body(f, 'module', 'platform').names);
    expect(checkReferences(missing)).toEqual(['terraform/clusters/dev/main.tf: module "platform" does not pass the required variable names']);
  });
});
