/**
 * The load balancer controller's IngressClasses (terraform/modules/platform/ingress.tf): each has
 * IngressClassParams that pin the access guard (scheme, inbound CIDRs) and the ALB attributes
 * (invalid headers dropped, access logs to the cluster's bucket) over any annotation and say which
 * namespaces may use it. The env class admits the developer namespaces only; the
 * platform class admits the front door's and Headlamp's namespaces only and fixes their group.
 * Evaluated by the pinned Terraform as it would send them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { body, GENERATED_KEYS, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { checkIngressClasses } from '../helpers/terraform-platform-rules.ts';

let configs: Configuration[];
let platform: Configuration;
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
  platform = configs.find((c) => c.dir === 'modules/platform')!;
});

const DEVELOPERS = {
  bob: { iam: null, kubernetes_user: 'devfleet:developer:bob', namespace: 'dev-bob' },
  alice: { iam: null, kubernetes_user: 'devfleet:developer:alice', namespace: 'dev-alice' },
};

function classes(values: Record<string, unknown>) {
  return evaluate(platform, {
    variables: ['cluster_name', 'keys', 'developers', 'access', 'ingress_scheme', 'endpoint_public_access_cidrs', 'front_door'],
    withoutValidation: ['front_door', 'developers', 'cluster_name'],
    locals: [
      'access', 'access_guarded', 'alb_access_logs_bucket', 'alb_access_logs_prefix', 'alb_access_log_attributes', 'alb_security_attributes', 'platform_alb_attributes', 'keda_namespace', 'headlamp_namespace', 'platform_alb_group', 'ingress_class_params_guard', 'developer_namespaces',
      'env_ingress_class_params_spec', 'platform_ingress_class', 'platform_ingress_namespaces', 'platform_ingress_class_params',
    ],
    // The load balancers' subnets (vpc.tf), which come from AWS.
    stubs: { alb_subnet_ids: ['subnet-lb-a', 'subnet-lb-c'], account_id: '123456789012' },
    values: { cluster_name: 'dev', keys: GENERATED_KEYS, developers: DEVELOPERS, endpoint_public_access_cidrs: ['203.0.113.0/24'], ...values },
  });
}

describe('IngressClassParams', () => {
  it('GIVEN the tree WHEN checked THEN the env class and the platform class both have their IngressClassParams, the platform\'s guarded', () => {
    expect(checkIngressClasses(configs)).toEqual([]);
  });

  it('GIVEN the chart\'s IngressClassParams dropped and the platform class pointing nowhere WHEN checked THEN both are reported', () => {
    const broken = mutate(configs, 'modules/platform', 'ingress.tf', (f) => {
      const release = body(f, 'resource', 'helm_release', 'aws_load_balancer_controller');
      release.values = (release.values as string[]).map((v) => v.replace('spec   = local.env_ingress_class_params_spec', 'spec   = {}'));
      delete ((body(f, 'resource', 'kubernetes_ingress_class_v1', 'platform').spec as any)[0] as any).parameters;
    });
    expect(checkIngressClasses(broken)).toEqual([
      'the load balancer controller\'s chart must create the env class\'s IngressClassParams (ingressClassParams = { create = true, name = var.names.ingress_class, spec = local.env_ingress_class_params_spec })',
      'kubernetes_ingress_class_v1.platform must point at the IngressClassParams local.platform_ingress_class',
    ]);
  });
});

describe('IngressClassParams, as Terraform evaluates them', { timeout: 120_000 }, () => {
  it('GIVEN an internal cluster WHEN evaluated THEN the env class admits the developer namespaces, the platform class keda and headlamp in the platform group, both internal with no CIDRs, both writing access logs', () => {
    const result = classes({});
    expect(result.code, result.log).toBe(0);
    const dropInvalidHeaders = { key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' };
    // Access logs to the cluster's log bucket (alb-logs.tf), on every ALB of both classes.
    const accessLogs = [
      { key: 'access_logs.s3.enabled', value: 'true' },
      { key: 'access_logs.s3.bucket', value: 'devfleet-dev-alb-logs-123456789012' },
      { key: 'access_logs.s3.prefix', value: 'alb' },
    ];
    expect(result.outputs.env_ingress_class_params_spec).toEqual({
      scheme: 'internal',
      loadBalancerAttributes: [dropInvalidHeaders, ...accessLogs],
      subnets: { ids: ['subnet-lb-a', 'subnet-lb-c'] },
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['dev-alice', 'dev-bob'] }] },
    });
    expect(result.outputs.platform_ingress_class_params).toEqual({
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'IngressClassParams',
      metadata: { name: 'devfleet-dev-platform', labels: { 'app.kubernetes.io/part-of': 'devfleet', 'app.kubernetes.io/managed-by': 'terraform' } },
      spec: {
        scheme: 'internal',
        subnets: { ids: ['subnet-lb-a', 'subnet-lb-c'] },
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['keda', 'headlamp'] }] },
        group: { name: 'devfleet-dev-platform' },
        loadBalancerAttributes: [{ key: 'idle_timeout.timeout_seconds', value: '3600' }, dropInvalidHeaders, ...accessLogs],
      },
    });
  });

  it('GIVEN an internet-facing cluster with client CIDRs and the front door off WHEN evaluated THEN both classes pin the scheme and the CIDRs, and only headlamp may use the platform class', () => {
    const result = classes({ access: { scheme: 'internet-facing', source_cidrs: ['198.51.100.0/24'] }, front_door: { enabled: false } });
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.env_ingress_class_params_spec).toMatchObject({ scheme: 'internet-facing', inboundCIDRs: ['198.51.100.0/24'] });
    expect((result.outputs.platform_ingress_class_params as any).spec).toMatchObject({
      scheme: 'internet-facing',
      inboundCIDRs: ['198.51.100.0/24'],
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['headlamp'] }] },
    });
  });

  it('GIVEN no developer WHEN evaluated THEN the env class admits no namespace (a label nobody carries; an empty In is invalid)', () => {
    const result = classes({ developers: {} });
    expect(result.code, result.log).toBe(0);
    expect((result.outputs.env_ingress_class_params_spec as any).namespaceSelector).toEqual({ matchExpressions: [{ key: 'devfleet.dev/no-developer', operator: 'In', values: ['true'] }] });
  });
});
