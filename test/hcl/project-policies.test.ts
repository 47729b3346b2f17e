/**
 * The bundled examples' AWS access: no bundled project asks for an AWS-managed policy
 * (arn:aws:iam::aws:policy/..., account-wide: AmazonS3ReadOnlyAccess reads every bucket, the
 * Terraform state bucket included) and the bundled cluster allows none; each customer-managed
 * policy a project asks for is made by the cluster's Terraform root, under the very name of the
 * ARN, with a document that names its resources (no "*").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { blocks, loadConfigurations, strings, type Configuration } from '../../generators/terraform/hcl.ts';
import { REPO } from '../helpers/fixtures.ts';
import { TERRAFORM } from '../helpers/terraform-fixtures.ts';

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\//;
let configs: Configuration[];
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
});

describe('the bundled examples\' AWS policies', () => {
  it('GIVEN the bundled projects and clusters WHEN their policies are read THEN none is AWS-managed, and every requested one is allowed', async () => {
    const fleet = await loadFleet(REPO);
    for (const plan of fleet.clusters) {
      expect(plan.cluster.aws.allowedPolicies.filter((p) => AWS_MANAGED.test(p)), plan.cluster.name).toEqual([]);
      const requested = [...new Set(plan.envs.flatMap((e) => e.project.aws?.policies ?? []))].sort();
      expect(requested.filter((p) => AWS_MANAGED.test(p)), plan.cluster.name).toEqual([]);
      for (const policy of requested) expect(plan.cluster.aws.allowedPolicies, policy).toContain(policy);
    }
  });

  it('GIVEN shop\'s policy WHEN terraform/clusters/dev is read THEN it makes that policy, by name, scoped to named resources', async () => {
    const fleet = await loadFleet(REPO);
    const dev = fleet.clusters.find((c) => c.cluster.name === 'dev')!;
    const shop = dev.projects.find((p) => p.name === 'shop')!;
    const root = configs.find((c) => c.dir === 'clusters/dev')!;
    const made = blocks(root, 'resource', 2).filter((b) => b.labels[0] === 'aws_iam_policy');
    for (const arn of shop.aws!.policies) {
      const name = arn.split(':policy/')[1]!;
      const policy = made.find((b) => String(b.body.name).replace('${var.cluster_name}', dev.cluster.name) === name);
      expect(policy, `${arn} is made in terraform/clusters/dev`).toBeDefined();
      const doc = blocks(root, 'data', 2).find((b) => b.labels[0] === 'aws_iam_policy_document' && String(policy!.body.policy) === `\${data.aws_iam_policy_document.${b.labels[1]}.json}`);
      const resources = strings((doc!.body.statement as Record<string, unknown>[]).map((s) => s.resources));
      expect(resources.length).toBeGreaterThan(0);
      for (const r of resources) expect(r, 'a scoped resource').not.toMatch(/^\*$|:::\*$|:::\*\//);
    }
  });
});
