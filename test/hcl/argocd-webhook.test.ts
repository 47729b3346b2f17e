/**
 * Argo CD's GitHub webhook (terraform/modules/platform/argocd-webhook.tf), opt-in: off, nothing is
 * created; on, exactly `/api/webhook` of argocd-server is exposed (an Exact path rule on one host),
 * HTTPS only, on an internet-facing ALB of its own whose IngressClassParams admit GitHub's webhook
 * ranges only (never 0.0.0.0/0), Argo CD's namespace only, and carry the hardening attributes of
 * every ALB; the HMAC secret comes from AWS Secrets Manager through External Secrets (the platform
 * store and role), and the Ingress waits for it. Evaluated by the pinned Terraform.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { blocks, expression, loadConfigurations, type Configuration, type HclBody } from '../../generators/terraform/hcl.ts';
import { crdErrors } from '../helpers/terraform-crds.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { GENERATED_KEYS, GENERATED_NAMES, TERRAFORM } from '../helpers/terraform-fixtures.ts';

let platform: Configuration;
beforeAll(async () => {
  platform = (await loadConfigurations(TERRAFORM)).find((c) => c.dir === 'modules/platform')!;
});

/** GitHub's IPv4 `hooks` ranges (https://api.github.com/meta), as ops would copy them. */
const GITHUB_HOOKS = ['192.30.252.0/22', '185.199.108.0/22', '140.82.112.0/20', '143.55.64.0/20'];
const TLS = {
  'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
  'alb.ingress.kubernetes.io/ssl-redirect': '443',
  'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:ap-northeast-1:123456789012:certificate/wildcard',
};

function webhook(values: Record<string, unknown>) {
  return evaluate(platform, {
    variables: ['cluster_name', 'domain', 'names', 'keys', 'gitops', 'access', 'ingress_scheme', 'endpoint_public_access_cidrs', 'external_secrets', 'front_door', 'load_balancer_cidrs', 'argocd_webhook'],
    withoutValidation: ['front_door', 'cluster_name'],
    locals: [
      'access', 'sso_type', 'keda_namespace', 'headlamp_namespace', 'remote_key_prefix', 'secret_arn_base', 'readable_secret_arns', 'platform_secret_arns',
      'external_secrets_store_namespaces', 'platform_secret_store_namespaces', 'platform_secret_store_name', 'alb_oidc_namespaces',
      'alb_access_logs_bucket', 'alb_access_logs_prefix', 'alb_access_log_attributes', 'alb_security_attributes', 'platform_alb_group',
      'platform_network_policy_labels', 'argocd_pods',
      'argocd_webhook_enabled', 'argocd_webhook_guarded', 'argocd_webhook_host', 'argocd_webhook_path', 'argocd_webhook_url', 'argocd_webhook_class',
      'argocd_webhook_secret_name', 'argocd_webhook_secret_arns', 'argocd_server_service', 'argocd_server_port', 'argocd_server_container',
      'argocd_webhook_ingress_class_params', 'argocd_webhook_annotations', 'argocd_webhook_external_secret', 'argocd_webhook_network_policy',
      'argocd_webhook_repository',
    ],
    // What comes from AWS (the account, the public subnets, the validated certificate).
    stubs: { partition: 'aws', region: 'ap-northeast-1', account_id: '123456789012', public_subnet_ids: ['subnet-public-a', 'subnet-public-c'], alb_tls_annotations: TLS },
    values: {
      cluster_name: 'dev',
      domain: 'dev.example.com',
      names: GENERATED_NAMES,
      keys: GENERATED_KEYS,
      gitops: { repo_url: 'https://github.com/example/devfleet.git', target_revision: 'main' },
      endpoint_public_access_cidrs: ['203.0.113.0/24'],
      load_balancer_cidrs: ['10.40.48.0/20'],
      ...values,
    },
  });
}

const RESOURCES = () => blocks(platform, 'resource', 2).filter((r) => r.file === 'argocd-webhook.tf');
const resource = (type: string, name: string): HclBody => RESOURCES().find((r) => r.labels[0] === type && r.labels[1] === name)!.body;

describe('off by default', () => {
  it('GIVEN no argocd_webhook input (today\'s tfvars) WHEN evaluated THEN it is off, no platform secret is read for it and Argo CD\'s namespace may not use the platform store', () => {
    const result = webhook({});
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.argocd_webhook_enabled).toBe(false);
    expect(result.outputs.argocd_webhook_secret_arns).toEqual([]);
    expect(result.outputs.platform_secret_arns).toEqual([]);
    expect(result.outputs.platform_secret_store_namespaces).toEqual(['keda', 'headlamp']);
  });

  it('GIVEN argocd-webhook.tf WHEN its resources are read THEN each is counted on local.argocd_webhook_enabled, so off creates nothing, and the output is null', () => {
    const resources = RESOURCES();
    expect(resources.map((r) => r.labels.join('.')).sort()).toEqual([
      'kubectl_manifest.argocd_webhook_ingress_class_params',
      'kubectl_manifest.argocd_webhook_network_policy',
      'kubectl_manifest.argocd_webhook_secret',
      'kubernetes_ingress_class_v1.argocd_webhook',
      'kubernetes_ingress_v1.argocd_webhook',
    ]);
    for (const r of resources) expect(expression(r.body.count), r.labels.join('.')).toBe('local.argocd_webhook_enabled ? 1 : 0');
    const output = blocks(platform, 'output', 1).find((o) => o.labels[0] === 'argocd_webhook')!;
    expect(expression(output.body.value)).toMatch(/^local\.argocd_webhook_enabled \? \{[\s\S]*\} : null$/);
  });
});

describe('on: what is exposed, to whom', () => {
  const on = () => webhook({ argocd_webhook: { enabled: true, source_cidrs: GITHUB_HOOKS } });

  it('GIVEN the Ingress WHEN read THEN it has one rule on the webhook host with one Exact path, /api/webhook, to argocd-server\'s HTTPS port, and no default backend', () => {
    const result = on();
    expect(result.code, result.log).toBe(0);
    expect(result.outputs).toMatchObject({
      argocd_webhook_host: 'argocd-webhook.dev.example.com',
      argocd_webhook_path: '/api/webhook',
      argocd_webhook_url: 'https://argocd-webhook.dev.example.com/api/webhook',
      argocd_server_service: 'argocd-server',
      argocd_server_port: 443,
    });
    const spec = (resource('kubernetes_ingress_v1', 'argocd_webhook').spec as HclBody[])[0]!;
    expect(spec.default_backend).toBeUndefined();
    const rules = spec.rule as HclBody[];
    expect(rules).toHaveLength(1);
    expect(expression(rules[0]!.host)).toBe('local.argocd_webhook_host');
    const paths = (rules[0]!.http as HclBody[])[0]!.path as HclBody[];
    expect(paths).toHaveLength(1);
    expect(expression(paths[0]!.path)).toBe('local.argocd_webhook_path');
    expect(paths[0]!.path_type).toBe('Exact');
    const service = ((paths[0]!.backend as HclBody[])[0]!.service as HclBody[])[0]!;
    expect(expression(service.name)).toBe('local.argocd_server_service');
    expect(expression((service.port as HclBody[])[0]!.number)).toBe('local.argocd_server_port');
    expect(expression(spec.ingress_class_name)).toBe('kubernetes_ingress_class_v1.argocd_webhook[0].metadata[0].name');
  });

  it('GIVEN the webhook\'s IngressClassParams WHEN evaluated THEN internet-facing in the public subnets, exactly GitHub\'s ranges, Argo CD\'s namespace only, a group of its own, invalid headers dropped and access logs on', () => {
    const result = on();
    expect(result.code, result.log).toBe(0);
    const params = result.outputs.argocd_webhook_ingress_class_params as any;
    expect(params.metadata.name).toBe('devfleet-dev-argocd-webhook');
    expect(params.spec).toEqual({
      scheme: 'internet-facing',
      inboundCIDRs: GITHUB_HOOKS,
      subnets: { ids: ['subnet-public-a', 'subnet-public-c'] },
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['argocd'] }] },
      group: { name: 'devfleet-dev-argocd-webhook' },
      loadBalancerAttributes: result.outputs.alb_security_attributes,
    });
    expect(params.spec.group.name).not.toBe(result.outputs.platform_alb_group);
    expect(params.spec.loadBalancerAttributes).toEqual(expect.arrayContaining([
      { key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' },
      { key: 'access_logs.s3.enabled', value: 'true' },
      { key: 'access_logs.s3.bucket', value: 'devfleet-dev-alb-logs-123456789012' },
    ]));
    const klass = resource('kubernetes_ingress_class_v1', 'argocd_webhook');
    const parameters = ((klass.spec as HclBody[])[0]!.parameters as HclBody[])[0]!;
    expect(parameters.kind).toBe('IngressClassParams');
    expect(expression(parameters.name)).toBe('local.argocd_webhook_class');
    expect(expression(resource('kubectl_manifest', 'argocd_webhook_ingress_class_params').yaml_body)).toBe('yamlencode(local.argocd_webhook_ingress_class_params)');
  });

  it('GIVEN the Ingress\'s annotations WHEN evaluated THEN HTTPS only (no port 80 listener, the cluster\'s TLS policy and certificate), IP targets spoken to in HTTPS, and no annotation of the access guard', () => {
    const result = on();
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.argocd_webhook_annotations).toEqual({
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:ap-northeast-1:123456789012:certificate/wildcard',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/backend-protocol': 'HTTPS',
      'alb.ingress.kubernetes.io/healthcheck-path': '/healthz',
    });
    expect(expression(((resource('kubernetes_ingress_v1', 'argocd_webhook').metadata as HclBody[])[0]!).annotations)).toBe('local.argocd_webhook_annotations');
  });

  it('GIVEN argocd-server\'s NetworkPolicy WHEN evaluated THEN only the load balancers\' subnets reach its container port', () => {
    const result = on();
    expect(result.code, result.log).toBe(0);
    expect((result.outputs.argocd_webhook_network_policy as any).spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-server' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.40.48.0/20' } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
  });
});

describe('on: GitHub\'s ranges, never the whole internet', () => {
  it('GIVEN enabled without source_cidrs WHEN planned THEN Terraform refuses it, naming GitHub\'s meta API', () => {
    const result = webhook({ argocd_webhook: { enabled: true } });
    expect(result.code).not.toBe(0);
    expect(result.log).toContain('argocd_webhook.enabled needs argocd_webhook.source_cidrs');
    expect(result.log).toContain('https://api.github.com/meta');
  });

  it.each([['0.0.0.0/0'], ['::/0'], ['0.0.0.0/1'], ['2a0a:a440::/29'], ['192.30.252.1/22'], ['github']])('GIVEN source_cidrs with %s WHEN planned THEN Terraform refuses it', (cidr) => {
    const result = webhook({ argocd_webhook: { enabled: true, source_cidrs: ['192.30.252.0/22', cidr] } });
    expect(result.code).not.toBe(0);
    expect(result.log).toContain('argocd_webhook.source_cidrs must be IPv4 network addresses');
  });

  it('GIVEN the webhook Ingress WHEN read THEN it refuses to plan unless local.argocd_webhook_guarded holds, which 0.0.0.0/0 breaks', () => {
    const preconditions = ((resource('kubernetes_ingress_v1', 'argocd_webhook').lifecycle as HclBody[])[0]!.precondition as HclBody[]);
    expect(preconditions.map((p) => expression(p.condition))).toEqual(['local.argocd_webhook_guarded']);
    const result = webhook({ argocd_webhook: { enabled: true, source_cidrs: GITHUB_HOOKS } });
    expect(result.outputs.argocd_webhook_guarded).toBe(true);
  });
});

describe('on: the HMAC secret from AWS Secrets Manager', () => {
  it('GIVEN the webhook on WHEN evaluated THEN External Secrets merges webhook.github.secret into argocd-secret from <prefix>argocd-webhook through the platform store, a valid ExternalSecret', () => {
    const result = webhook({ argocd_webhook: { enabled: true, source_cidrs: GITHUB_HOOKS } });
    expect(result.code, result.log).toBe(0);
    const secret = result.outputs.argocd_webhook_external_secret as Record<string, any>;
    expect(secret).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'devfleet-argocd-webhook', namespace: 'argocd', labels: { 'app.kubernetes.io/part-of': 'devfleet', 'app.kubernetes.io/managed-by': 'terraform' } },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'devfleet-platform-secrets' },
        target: { name: 'argocd-secret', creationPolicy: 'Merge' },
        data: [{ secretKey: 'webhook.github.secret', remoteRef: { key: 'devfleet/dev/argocd-webhook' } }],
      },
    });
    expect(crdErrors('external-secrets/external-secrets.io_externalsecrets.yaml', secret)).toEqual([]);
  });

  it('GIVEN the webhook on WHEN evaluated THEN the platform role reads that one secret, the store admits Argo CD\'s namespace (which gets no OIDC client), and the env store\'s role cannot read it (one path segment under the prefix)', () => {
    const result = webhook({ argocd_webhook: { enabled: true, source_cidrs: GITHUB_HOOKS } });
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.platform_secret_arns).toEqual(['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:devfleet/dev/argocd-webhook-??????']);
    expect(result.outputs.platform_secret_store_namespaces).toEqual(['keda', 'headlamp', 'argocd']);
    expect(result.outputs.alb_oidc_namespaces).toEqual([]);
    expect(result.outputs.readable_secret_arns).toEqual(['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:devfleet/dev/*/*']);
    expect(result.outputs.argocd_webhook_secret_name).not.toMatch(/^devfleet\/dev\/[^/]+\//);
  });

  it('GIVEN the ExternalSecret WHEN read THEN it waits until Ready (the key is in argocd-secret) and the Ingress is created only after it, so Argo CD never takes unsigned payloads from outside', () => {
    const external = resource('kubectl_manifest', 'argocd_webhook_secret');
    expect(expression(external.yaml_body)).toBe('yamlencode(local.argocd_webhook_external_secret)');
    expect(((external.wait_for as HclBody[])[0]!.condition as HclBody[])).toEqual([{ type: 'Ready', status: 'True' }]);
    expect(expression(resource('kubernetes_ingress_v1', 'argocd_webhook').depends_on)).toContain('kubectl_manifest.argocd_webhook_secret');
  });
});

describe('what ops get', () => {
  it.each([
    ['https://github.com/example/devfleet.git', 'example/devfleet'],
    ['git@github.com:acme/fleet.git', 'acme/fleet'],
    ['https://github.com/acme/fleet', 'acme/fleet'],
    ['https://gitlab.example.com/acme/fleet.git', '<owner>/<repo>'],
  ])('GIVEN repo_url %s WHEN evaluated THEN the gh api command names %s', (url, repository) => {
    const result = webhook({ gitops: { repo_url: url, target_revision: 'main' }, argocd_webhook: { enabled: true, source_cidrs: GITHUB_HOOKS } });
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.argocd_webhook_repository).toBe(repository);
  });

  it('GIVEN the output WHEN read THEN it gives the URL, content type application/json, the push event only, and a gh api command reading the secret from Secrets Manager at run time', () => {
    const output = blocks(platform, 'output', 1).find((o) => o.labels[0] === 'argocd_webhook')!;
    const value = expression(output.body.value);
    expect(value).toContain('url          = local.argocd_webhook_url');
    expect(value).toContain('content_type = "application/json"');
    expect(value).toContain('events       = ["push"]');
    expect(value).toContain("-f 'events[]=push'");
    expect(value).toContain("-f 'config[content_type]=json'");
    expect(value).toContain('aws secretsmanager get-secret-value');
  });
});
