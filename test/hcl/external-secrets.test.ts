/**
 * External Secrets (terraform/modules/platform/external-secrets.tf): the operator's role reads
 * only project secrets, `<remote_key_prefix><project>/<secret>`, and is explicitly denied every
 * other name (the platform's `<prefix>sso-oidc` included); with OIDC SSO a second role, which the
 * operator assumes through a second store only the platform's Ingress namespaces may use, reads
 * the client secret. The stores and the OIDC ExternalSecrets are valid objects of the vendored
 * ESO v1.3.2 CRDs; the env store serves the developer namespaces only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { crdErrors } from '../helpers/terraform-crds.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { body, GENERATED_KEYS, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { checkExternalSecretsPolicy } from '../helpers/terraform-platform-rules.ts';
import { ALB_OIDC_SECRET, PLATFORM_SECRET_STORE_NAME } from '../../generators/plan/secret-store.ts';

let configs: Configuration[];
let platform: Configuration;
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
  platform = configs.find((c) => c.dir === 'modules/platform')!;
});

const NAMES = {
  ingress_class: 'alb',
  storage_class: 'efs',
  argocd_namespace: 'argocd',
  namespace_prefix: 'dev-',
  developers_group: 'devfleet:developers',
  telepresence_namespace: 'ambassador',
  root_app_path: 'clusters/dev/bootstrap/root.yaml',
  alb_oidc_secret: ALB_OIDC_SECRET,
  platform_secret_store: PLATFORM_SECRET_STORE_NAME,
};

const OIDC = {
  type: 'oidc',
  issuer: 'https://idp.example.com',
  authorization_endpoint: 'https://idp.example.com/authorize',
  token_endpoint: 'https://idp.example.com/token',
  user_info_endpoint: 'https://idp.example.com/userinfo',
  client_secret_name: 'platform/alb-oidc',
};

/** The External Secrets locals, evaluated by Terraform; AWS facts stubbed. */
function externalSecrets(values: Record<string, unknown>) {
  return evaluate(platform, {
    variables: ['cluster_name', 'names', 'keys', 'access', 'ingress_scheme', 'endpoint_public_access_cidrs', 'external_secrets', 'front_door', 'argocd_webhook'],
    withoutValidation: ['front_door'],
    locals: [
      'access', 'sso_type', 'oidc_kubernetes_secret', 'keda_namespace', 'headlamp_namespace', 'remote_key_prefix', 'secret_arn_base',
      'argocd_webhook_enabled', 'argocd_webhook_secret_name', 'argocd_webhook_secret_arns',
      'readable_secret_arns', 'platform_secret_arns', 'external_secrets_store_namespaces', 'platform_secret_store_namespaces', 'platform_secrets_role_name', 'platform_secrets_role_arn',
      'platform_secret_store_name', 'cluster_secret_store', 'platform_secret_store', 'alb_oidc_namespaces', 'alb_oidc_external_secrets',
    ],
    stubs: { partition: 'aws', region: 'ap-northeast-1', account_id: '123456789012' },
    values: { cluster_name: 'dev', names: NAMES, keys: GENERATED_KEYS, endpoint_public_access_cidrs: ['203.0.113.0/24'], ...values },
  });
}

describe('the External Secrets role', () => {
  it('GIVEN the tree WHEN its policy document is checked THEN it allows only reads, on local.readable_secret_arns, and KMS only through Secrets Manager', () => {
    expect(checkExternalSecretsPolicy(configs)).toEqual([]);
  });

  it('GIVEN ListSecrets added, or the reads opened to every secret WHEN checked THEN each is reported', () => {
    const list = mutate(configs, 'modules/platform', 'external-secrets.tf', (f) => (body(f, 'data', 'aws_iam_policy_document', 'external_secrets').statement as any)[0].actions.push('secretsmanager:ListSecrets'));
    expect(checkExternalSecretsPolicy(list)).toEqual(['statement ReadDevfleetSecrets: secretsmanager:ListSecrets is not a read-only action the operator needs']);
    const open = mutate(configs, 'modules/platform', 'external-secrets.tf', (f) => ((body(f, 'data', 'aws_iam_policy_document', 'external_secrets').statement as any)[0].resources = ['*']));
    expect(checkExternalSecretsPolicy(open)).toEqual(['statement ReadDevfleetSecrets: Secrets Manager actions must be limited to local.readable_secret_arns, found ["*"]']);
  });

  it('GIVEN the Deny on everything but project secrets dropped, or the reads widened to the whole prefix WHEN checked THEN each is reported (a platform secret such as devfleet/<cluster>/sso-oidc would be readable again)', () => {
    const noDeny = mutate(configs, 'modules/platform', 'external-secrets.tf', (f) => {
      const doc = body(f, 'data', 'aws_iam_policy_document', 'external_secrets') as any;
      doc.statement = doc.statement.filter((x: any) => x.effect !== 'Deny');
    });
    expect(checkExternalSecretsPolicy(noDeny)).toEqual(['no statement denies secretsmanager:* on everything but local.readable_secret_arns (the platform\'s secrets stay out of the projects\' reach)']);
    const wide = mutate(configs, 'modules/platform', 'external-secrets.tf', (f) => {
      for (const l of f.locals as any[]) if (l.readable_secret_arns) l.readable_secret_arns = ['${local.secret_arn_base}${local.remote_key_prefix}*'];
    });
    expect(checkExternalSecretsPolicy(wide)).toEqual(['local.readable_secret_arns must be the project secrets only, <prefix>*/* (a platform secret has one path segment under the prefix)']);
  });
});

describe('External Secrets objects, as Terraform evaluates them', { timeout: 120_000 }, () => {
  it('GIVEN today\'s tfvars (no external_secrets, no SSO) WHEN evaluated THEN the role reads devfleet/dev/<project>/* only, no platform secret, and one valid ClusterSecretStore serves the dev- namespaces only', () => {
    const result = externalSecrets({});
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.readable_secret_arns).toEqual(['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:devfleet/dev/*/*']);
    expect(result.outputs.platform_secret_arns).toEqual([]);
    const store = result.outputs.cluster_secret_store as Record<string, any>;
    expect(store).toMatchObject({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'devfleet-secrets-manager' },
      spec: { conditions: [{ namespaceRegexes: ['^dev-'] }], provider: { aws: { service: 'SecretsManager', region: 'ap-northeast-1' } } },
    });
    expect(store.spec.provider.aws.auth).toBeUndefined();
    expect(crdErrors('external-secrets/external-secrets.io_clustersecretstores.yaml', store)).toEqual([]);
    expect(result.outputs.alb_oidc_external_secrets).toEqual({});
  });

  it('GIVEN a store name and prefix, the front door off and OIDC SSO WHEN evaluated THEN the operator\'s role still reads project secrets only, the platform role the client secret (one name), through a platform store only headlamp may use, and each platform Ingress namespace gets a valid ExternalSecret from it', () => {
    const result = externalSecrets({
      external_secrets: { remote_key_prefix: 'teams/web/dev/', store_name: 'web-secrets' },
      front_door: { enabled: false },
      access: { scheme: 'internet-facing', sso: { ...OIDC, client_secret_name: 'teams/web/dev/sso-oidc' } },
    });
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.readable_secret_arns).toEqual(['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:teams/web/dev/*/*']);
    expect(result.outputs.platform_secret_arns).toEqual(['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:teams/web/dev/sso-oidc-??????']);
    const platformStore = result.outputs.platform_secret_store as Record<string, any>;
    expect(platformStore.spec).toEqual({
      // The front door is off: env Ingresses sign in too, so developer namespaces need the client secret.
      conditions: [{ namespaces: ['headlamp'], namespaceRegexes: ['^dev-'] }],
      provider: { aws: { service: 'SecretsManager', region: 'ap-northeast-1', role: 'arn:aws:iam::123456789012:role/dev-eso-platform' } },
    });
    expect(crdErrors('external-secrets/external-secrets.io_clustersecretstores.yaml', platformStore)).toEqual([]);
    const secrets = result.outputs.alb_oidc_external_secrets as Record<string, any>;
    expect(Object.keys(secrets)).toEqual(['headlamp']);
    expect(secrets.headlamp).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'devfleet-alb-oidc', namespace: 'headlamp', labels: { 'app.kubernetes.io/part-of': 'devfleet', 'app.kubernetes.io/managed-by': 'terraform' } },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'devfleet-platform-secrets' },
        target: { name: 'devfleet-alb-oidc' },
        data: [
          { secretKey: 'clientID', remoteRef: { key: 'teams/web/dev/sso-oidc', property: 'clientId' } },
          { secretKey: 'clientSecret', remoteRef: { key: 'teams/web/dev/sso-oidc', property: 'clientSecret' } },
        ],
      },
    });
    expect(crdErrors('external-secrets/external-secrets.io_externalsecrets.yaml', secrets.headlamp)).toEqual([]);
    expect((result.outputs.cluster_secret_store as any).spec.conditions).toEqual([{ namespaceRegexes: ['^dev-'] }]);
  });

  it('GIVEN OIDC SSO behind the front door WHEN evaluated THEN only keda and headlamp may use the platform store, and the env store\'s role never reads the client secret', () => {
    const result = externalSecrets({ access: { scheme: 'internal', sso: { ...OIDC, client_secret_name: 'devfleet/dev/sso-oidc' } } });
    expect(result.code, result.log).toBe(0);
    expect((result.outputs.platform_secret_store as any).spec.conditions).toEqual([{ namespaces: ['keda', 'headlamp'] }]);
    expect(result.outputs.readable_secret_arns).toEqual(['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:devfleet/dev/*/*']);
    expect(result.outputs.platform_secret_arns).toEqual(['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:devfleet/dev/sso-oidc-??????']);
    expect(result.outputs.platform_secret_store_name).toBe(PLATFORM_SECRET_STORE_NAME);
  });

  it('GIVEN a misspelt field in the store WHEN validated against the vendored CRD THEN the schema check rejects it (the validation is real)', () => {
    const result = externalSecrets({});
    const store = structuredClone(result.outputs.cluster_secret_store as Record<string, any>);
    store.spec.provider.aws.servce = store.spec.provider.aws.service;
    delete store.spec.provider.aws.service;
    expect(crdErrors('external-secrets/external-secrets.io_clustersecretstores.yaml', store)).toEqual(
      expect.arrayContaining([expect.stringContaining('must have required property \'service\''), expect.stringContaining('"servce"')]),
    );
  });

  it('GIVEN a prefix without its trailing slash WHEN planned THEN Terraform refuses it (devfleet/dev would also match devfleet/dev2/)', () => {
    const result = externalSecrets({ external_secrets: { remote_key_prefix: 'devfleet/dev' } });
    expect(result.code).not.toBe(0);
    expect(result.log).toContain('ending with "/"');
  });
});
