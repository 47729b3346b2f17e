/**
 * The Terraform inputs the generator adds for the front door, the access guard, IAM limits and
 * External Secrets (`access`, `front_door`, `iam`, `external_secrets`): the example documented in
 * terraform/README.md is a variable of the dev root, passed to the module unchanged, and accepted
 * by the module's own validations as the pinned Terraform runs them; the committed tfvars without
 * those keys still feed the root.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { blocks, loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { stringify } from 'yaml';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { tfvarsFile } from '../../generators/plan/layout.ts';
import { tfvars } from '../../generators/terraform/tfvars.ts';
import { REPO, tempRoot } from '../helpers/fixtures.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { checkTfvarsFeedRoot } from '../helpers/terraform-names.ts';

const NEW_KEYS = ['access', 'external_secrets', 'front_door', 'iam'];
const example = JSON.parse(readFileSync(join(REPO, 'test/fixtures/terraform-new-inputs.tfvars.json'), 'utf8')) as Record<string, unknown>;
const committed = JSON.parse(readFileSync(join(REPO, tfvarsFile('dev')), 'utf8')) as Record<string, unknown>;
const HAND_WRITTEN = ['region', 'endpoint_public_access_cidrs', 'terraform_admin', 'terraform_state_bucket'];

let configs: Configuration[];
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
});

describe('the new generated inputs', () => {
  it('GIVEN terraform/README.md WHEN its example of the new keys is read THEN it is exactly the tested fixture', () => {
    const readme = readFileSync(join(TERRAFORM, 'README.md'), 'utf8');
    const block = /## The generated inputs added[\s\S]*?```json\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(block && JSON.parse(block)).toEqual(example);
    expect(Object.keys(example).sort()).toEqual(NEW_KEYS);
  });

  it('GIVEN the committed tfvars, with and without the new keys WHEN fed to the dev root THEN every key is a variable and nothing required is missing; the root passes each new key to the module', () => {
    const root = configs.find((c) => c.dir === 'clusters/dev')!;
    expect(checkTfvarsFeedRoot(root, committed, HAND_WRITTEN)).toEqual([]);
    expect(checkTfvarsFeedRoot(root, { ...committed, ...example }, HAND_WRITTEN)).toEqual([]);
    const call = blocks(root, 'module', 1).find((m) => m.labels[0] === 'platform')!;
    for (const key of NEW_KEYS) expect(call.body[key], key).toBe(`\${var.${key}}`);
    for (const key of NEW_KEYS) expect(blocks(root, 'variable', 1).find((v) => v.labels[0] === key)?.body.default, `${key} has a default`).not.toBeUndefined();
  });

  it('GIVEN the example WHEN the module\'s variables validate it in Terraform THEN it is accepted; a Cognito shape with OIDC fields missing is refused', { timeout: 120_000 }, () => {
    const platform = configs.find((c) => c.dir === 'modules/platform')!;
    const run = (values: Record<string, unknown>) =>
      evaluate(platform, { variables: ['access', 'iam', 'external_secrets', 'front_door'], withoutValidation: ['front_door'], locals: [], values });
    const ok = run(example);
    expect(ok.code, ok.log).toBe(0);
    const wrong = run({ ...example, access: { scheme: 'internal', sso: { type: 'cognito', issuer: 'https://idp.example.com' } } });
    expect(wrong.code).not.toBe(0);
    expect(wrong.log).toContain('access.sso of type "cognito" needs');
  });

  it('GIVEN a cluster definition saying what the example says (internet-facing, one CIDR, OIDC, IAM limits) WHEN its tfvars are generated THEN access, iam and external_secrets equal the documented example', async () => {
    const cluster = {
      name: 'dev',
      domain: 'dev.example.com',
      timeZone: 'UTC',
      developers: [{ name: 'ann' }],
      argocd: { repoURL: 'https://git.example.com/devfleet.git' },
      ingress: {
        scheme: 'internet-facing',
        sourceCidrs: ['203.0.113.0/24'],
        sso: {
          type: 'oidc',
          issuer: 'https://idp.example.com',
          authorizationEndpoint: 'https://idp.example.com/oauth2/authorize',
          tokenEndpoint: 'https://idp.example.com/oauth2/token',
          userInfoEndpoint: 'https://idp.example.com/oauth2/userinfo',
        },
      },
      aws: { allowedPolicies: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'], permissionsBoundary: 'arn:aws:iam::123456789012:policy/devfleet-boundary' },
    };
    const root = tempRoot({ 'clusters/dev.yaml': stringify(cluster), 'projects/web.yaml': stringify({ name: 'web', containers: [{ name: 'app', image: 'nginx:1.27' }] }) });
    const generated = tfvars((await loadFleet(root)).clusters[0]!);
    for (const key of ['access', 'iam', 'external_secrets']) expect(generated[key], key).toEqual(example[key]);
  });
});
