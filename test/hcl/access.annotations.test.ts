/**
 * The ALB access annotations Terraform computes for the platform's own Ingresses (the front door,
 * Headlamp: terraform/modules/platform/access.tf `local.alb_access_annotations`, evaluated by the
 * pinned Terraform) equal the chart's (generators/chart/ingress.ts) byte for byte, for each access
 * choice a cluster can make.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { accessAnnotations, OIDC_CLIENT_SECRET } from '../../generators/chart/ingress.ts';
import type { ClusterModel } from '../../generators/plan/model.ts';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { CHOICES, cluster } from '../helpers/access-choices.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { GENERATED_KEYS, GENERATED_NAMES, TERRAFORM } from '../helpers/terraform-fixtures.ts';

/** The cluster's access choice as Terraform's `access` variable takes it (terraform/modules/platform/variables.tf). */
function terraformAccess(model: ClusterModel): Record<string, unknown> {
  const { scheme, sourceCidrs, sso } = model.ingress;
  const tfSso =
    sso?.type === 'oidc'
      ? { type: 'oidc', issuer: sso.issuer, authorization_endpoint: sso.authorizationEndpoint, token_endpoint: sso.tokenEndpoint, user_info_endpoint: sso.userInfoEndpoint, client_secret_name: `devfleet-platform/${model.name}/alb-oidc` }
      : sso?.type === 'cognito'
        ? { type: 'cognito', user_pool_arn: sso.userPoolArn, user_pool_client_id: sso.userPoolClientId, user_pool_domain: sso.userPoolDomain }
        : null;
  return { scheme, source_cidrs: [...sourceCidrs], sso: tfSso };
}

describe('the same guard as Terraform', { timeout: 300_000 }, () => {
  let platform: Configuration;
  beforeAll(async () => {
    platform = (await loadConfigurations(TERRAFORM)).find((c) => c.dir === 'modules/platform')!;
  });

  it.each(Object.keys(CHOICES))('GIVEN %s WHEN Terraform evaluates local.alb_access_annotations THEN it equals the chart\'s annotations byte for byte', (choice) => {
    const model = cluster(CHOICES[choice]);
    const result = evaluate(platform, {
      variables: ['names', 'keys', 'access', 'ingress_scheme', 'endpoint_public_access_cidrs'],
      locals: ['access', 'sso_type', 'oidc_kubernetes_secret', 'alb_access_annotations'],
      values: { names: GENERATED_NAMES, keys: GENERATED_KEYS, access: terraformAccess(model), endpoint_public_access_cidrs: ['192.0.2.0/24'] },
    });
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.alb_access_annotations).toEqual(accessAnnotations(model));
    expect(result.outputs.oidc_kubernetes_secret).toBe(OIDC_CLIENT_SECRET);
  });
});
