/**
 * The access guard (terraform/modules/platform/access.tf): every host the platform exposes is
 * internal unless the cluster chooses client CIDRs or SSO at the load balancer, and is never
 * internet-facing without one of them. Two kinds of tests:
 *   - structure: every Ingress Terraform creates takes the guard's annotations and refuses to
 *     plan without a guard (checked on the tree and on broken copies);
 *   - behaviour: the variable validations and the locals, run by the real (pinned) Terraform
 *     on the values a cluster would give (lib/evaluate.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { tfvarsFile } from '../../generators/plan/layout.ts';
import { REPO } from '../helpers/fixtures.ts';
import { evaluate, type Evaluation } from '../helpers/terraform-evaluate.ts';
import { body, GENERATED_KEYS, GENERATED_NAMES, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { checkIngressGuard } from '../helpers/terraform-platform-rules.ts';

let configs: Configuration[];
let platform: Configuration;
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
  platform = configs.find((c) => c.dir === 'modules/platform')!;
});

describe('every Ingress Terraform creates carries the access guard', () => {
  it('GIVEN the tree WHEN the Ingresses are checked THEN the front door and Headlamp take local.platform_alb_annotations and refuse to plan unguarded', () => {
    expect(checkIngressGuard(configs)).toEqual([]);
  });

  it('GIVEN Headlamp with its own hand-written annotations WHEN checked THEN both the missing guard and the scheme set outside the guard are reported', () => {
    const broken = mutate(configs, 'modules/platform', 'addons.tf', (f) => {
      const headlamp = body(f, 'resource', 'helm_release', 'headlamp');
      headlamp.values = [(headlamp.values as string[])[0]!.replace('annotations      = local.platform_alb_annotations', 'annotations      = { "alb.ingress.kubernetes.io/scheme" = "internet-facing" }')];
    });
    expect(checkIngressGuard(broken)).toEqual([
      'terraform/modules/platform/addons.tf: helm_release.headlamp enables an Ingress whose annotations are not local.platform_alb_annotations',
      'terraform/modules/platform/addons.tf: sets alb.ingress.kubernetes.io/scheme outside local.alb_access_annotations',
    ]);
    const fromKeys = mutate(configs, 'modules/platform', 'addons.tf', (f) => {
      const headlamp = body(f, 'resource', 'helm_release', 'headlamp');
      headlamp.values = [(headlamp.values as string[])[0]!.replace('annotations      = local.platform_alb_annotations', 'annotations      = { (var.keys.alb_scheme) = "internet-facing" }')];
    });
    expect(checkIngressGuard(fromKeys)).toEqual([
      'terraform/modules/platform/addons.tf: helm_release.headlamp enables an Ingress whose annotations are not local.platform_alb_annotations',
      'terraform/modules/platform/addons.tf: sets alb.ingress.kubernetes.io/scheme outside local.alb_access_annotations',
    ]);
  });

  it('GIVEN the front door without its precondition, and a second Ingress without the guard WHEN checked THEN each is reported', () => {
    const noPrecondition = mutate(configs, 'modules/platform', 'front-door.tf', (f) => delete body(f, 'resource', 'kubernetes_ingress_v1', 'front_door').lifecycle);
    expect(checkIngressGuard(noPrecondition)).toEqual(['terraform/modules/platform/front-door.tf: kubernetes_ingress_v1.front_door needs a precondition on local.access_guarded']);
    const extra = mutate(configs, 'modules/platform', 'front-door.tf', (f) => {
      (f.resource as any).kubernetes_ingress_v1.debug = [{ metadata: [{ name: 'debug', annotations: { 'alb.ingress.kubernetes.io/target-type': 'ip' } }], spec: [{}] }];
    });
    expect(checkIngressGuard(extra)).toEqual([
      'terraform/modules/platform/front-door.tf: kubernetes_ingress_v1.debug must take its annotations from local.platform_alb_annotations',
      'terraform/modules/platform/front-door.tf: kubernetes_ingress_v1.debug needs a precondition on local.access_guarded',
    ]);
  });

  it('GIVEN Argo CD\'s webhook Ingress (the one internet-facing exception) without its own guard, on the platform class, or with other annotations WHEN checked THEN each is reported', () => {
    const edit = (change: (ingress: any) => void) => mutate(configs, 'modules/platform', 'argocd-webhook.tf', (f) => change(body(f, 'resource', 'kubernetes_ingress_v1', 'argocd_webhook')));
    expect(checkIngressGuard(edit((i) => delete i.lifecycle))).toEqual(['terraform/modules/platform/argocd-webhook.tf: kubernetes_ingress_v1.argocd_webhook needs a precondition on local.argocd_webhook_guarded']);
    expect(checkIngressGuard(edit((i) => (i.spec[0].ingress_class_name = '${kubernetes_ingress_class_v1.platform.metadata[0].name}')))).toEqual([
      'terraform/modules/platform/argocd-webhook.tf: kubernetes_ingress_v1.argocd_webhook must use the webhook\'s own class, kubernetes_ingress_class_v1.argocd_webhook',
    ]);
    expect(checkIngressGuard(edit((i) => (i.metadata[0].annotations = '${merge(local.argocd_webhook_annotations, { "alb.ingress.kubernetes.io/listen-ports" = "[{\\"HTTP\\":80}]" })}')))).toEqual([
      'terraform/modules/platform/argocd-webhook.tf: kubernetes_ingress_v1.argocd_webhook must take its annotations from local.argocd_webhook_annotations',
    ]);
  });

  it('GIVEN a guard local that no longer includes the access annotations WHEN checked THEN it is reported', () => {
    const broken = mutate(configs, 'modules/platform', 'access.tf', (f) => {
      const l = (f.locals as any)[0];
      l.platform_alb_annotations = l.platform_alb_annotations.replace('local.alb_access_annotations, ', '');
    });
    expect(checkIngressGuard(broken)).toEqual(['local.platform_alb_annotations must include local.alb_access_annotations']);
  });
});

/** The access locals of the module, evaluated by Terraform for `values`. */
function guard(values: Record<string, unknown>): Evaluation {
  return evaluate(platform, {
    variables: ['names', 'keys', 'access', 'ingress_scheme', 'endpoint_public_access_cidrs'],
    locals: ['access', 'access_guarded', 'sso_type', 'oidc_kubernetes_secret', 'alb_access_annotations'],
    checks: ['access_is_explicit'],
    values: { names: GENERATED_NAMES, keys: GENERATED_KEYS, endpoint_public_access_cidrs: ['203.0.113.0/24', '198.51.100.0/24'], ...values },
  });
}

const OIDC = {
  type: 'oidc',
  issuer: 'https://idp.example.com',
  authorization_endpoint: 'https://idp.example.com/authorize',
  token_endpoint: 'https://idp.example.com/token',
  user_info_endpoint: 'https://idp.example.com/userinfo',
  client_secret_name: 'devfleet-platform/dev/alb-oidc',
};

describe('access values, as Terraform evaluates them', { timeout: 120_000 }, () => {
  it('GIVEN the committed dev tfvars (access from the cluster definition, no deprecated ingress_scheme) WHEN evaluated THEN the load balancers are internal, with no warning', () => {
    const generated = JSON.parse(readFileSync(join(REPO, tfvarsFile('dev')), 'utf8')) as Record<string, unknown>;
    expect(generated).not.toHaveProperty('ingress_scheme');
    const result = guard({ access: generated.access });
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.alb_access_annotations).toEqual({ 'alb.ingress.kubernetes.io/scheme': 'internal' });
    expect(result.log).not.toContain('Warning');
  });

  it('GIVEN old tfvars (the deprecated ingress_scheme "internet-facing", no access) WHEN evaluated THEN it still plans, narrowed to the API CIDRs, with a deprecation warning', () => {
    const result = guard({ ingress_scheme: 'internet-facing' });
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.alb_access_annotations).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/inbound-cidrs': '203.0.113.0/24,198.51.100.0/24',
    });
    expect(result.outputs.access_guarded).toBe(true);
    expect(result.log).toMatch(/Warning: Check block assertion failed[\s\S]*ingress_scheme = "internet-facing" is deprecated/);
  });

  it('GIVEN neither access nor ingress_scheme WHEN evaluated THEN the load balancers are internal, with no CIDR or auth annotation and no warning', () => {
    const result = guard({});
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.alb_access_annotations).toEqual({ 'alb.ingress.kubernetes.io/scheme': 'internal' });
    expect(result.log).not.toContain('Warning');
  });

  it('GIVEN access internet-facing with neither source CIDRs nor SSO WHEN planned THEN Terraform refuses it, saying what guard to add', () => {
    const result = guard({ access: { scheme: 'internet-facing' } });
    expect(result.code).not.toBe(0);
    expect(result.log).toContain('access.scheme = "internet-facing" needs a guard');
  });

  it('GIVEN source CIDRs that open everything (0.0.0.0/0) or are not CIDRs WHEN planned THEN Terraform refuses them', () => {
    for (const cidr of ['0.0.0.0/0', '::/0', '203.0.113.7']) {
      const result = guard({ access: { scheme: 'internet-facing', source_cidrs: [cidr] } });
      expect(result.code, cidr).not.toBe(0);
      expect(result.log).toContain('narrower than the whole internet');
    }
  });

  it('GIVEN internet-facing with office CIDRs WHEN evaluated THEN the CIDRs become inbound-cidrs and nothing asks for sign-in', () => {
    const result = guard({ access: { scheme: 'internet-facing', source_cidrs: ['203.0.113.0/24', '192.0.2.0/24'] } });
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.alb_access_annotations).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/inbound-cidrs': '203.0.113.0/24,192.0.2.0/24',
    });
  });

  it('GIVEN internet-facing with OIDC SSO WHEN evaluated THEN the auth annotations name the endpoints and the Kubernetes Secret, never the client secret', () => {
    const result = guard({ access: { scheme: 'internet-facing', sso: OIDC } });
    expect(result.code, result.log).toBe(0);
    const annotations = result.outputs.alb_access_annotations as Record<string, string>;
    expect(annotations['alb.ingress.kubernetes.io/auth-type']).toBe('oidc');
    expect(JSON.parse(annotations['alb.ingress.kubernetes.io/auth-idp-oidc']!)).toEqual({
      issuer: 'https://idp.example.com',
      authorizationEndpoint: 'https://idp.example.com/authorize',
      tokenEndpoint: 'https://idp.example.com/token',
      userInfoEndpoint: 'https://idp.example.com/userinfo',
      secretName: 'devfleet-alb-oidc',
    });
    expect(annotations['alb.ingress.kubernetes.io/auth-on-unauthenticated-request']).toBe('authenticate');
    expect(annotations['alb.ingress.kubernetes.io/inbound-cidrs']).toBeUndefined();
  });

  it('GIVEN OIDC without its token endpoint, or with an http:// issuer WHEN planned THEN Terraform refuses it', () => {
    const { token_endpoint: _, ...noToken } = OIDC;
    for (const sso of [noToken, { ...OIDC, issuer: 'http://idp.example.com' }]) {
      const result = guard({ access: { scheme: 'internal', sso } });
      expect(result.code).not.toBe(0);
      expect(result.log).toContain('access.sso of type "oidc" needs');
    }
  });

  it('GIVEN Cognito SSO WHEN evaluated THEN the cognito annotation carries the pool, client and domain prefix; a full domain URL is refused', () => {
    const sso = { type: 'cognito', user_pool_arn: 'arn:aws:cognito-idp:ap-northeast-1:123456789012:userpool/ap-northeast-1_AbCdEf123', user_pool_client_id: '1example23456789', user_pool_domain: 'devfleet-dev' };
    const result = guard({ access: { scheme: 'internet-facing', sso } });
    expect(result.code, result.log).toBe(0);
    const annotations = result.outputs.alb_access_annotations as Record<string, string>;
    expect(annotations['alb.ingress.kubernetes.io/auth-type']).toBe('cognito');
    expect(JSON.parse(annotations['alb.ingress.kubernetes.io/auth-idp-cognito']!)).toEqual({ userPoolARN: sso.user_pool_arn, userPoolClientID: sso.user_pool_client_id, userPoolDomain: 'devfleet-dev' });
    const url = guard({ access: { scheme: 'internet-facing', sso: { ...sso, user_pool_domain: 'https://devfleet-dev.auth.ap-northeast-1.amazoncognito.com' } } });
    expect(url.code).not.toBe(0);
    expect(url.log).toContain('the domain prefix');
  });

  it('GIVEN API endpoint CIDRs that include 0.0.0.0/0 or ::/0 WHEN planned THEN Terraform refuses them, as the access guard refuses them (and the legacy internet-facing scheme, which takes these CIDRs, can never be opened to everyone through them)', () => {
    for (const cidrs of [['0.0.0.0/0'], ['203.0.113.0/24', '::/0']]) {
      const result = guard({ ingress_scheme: 'internet-facing', endpoint_public_access_cidrs: cidrs });
      expect(result.code, JSON.stringify(cidrs)).not.toBe(0);
      expect(result.log).toContain('endpoint_public_access_cidrs must not contain 0.0.0.0/0 or ::/0');
    }
    const narrow = guard({ ingress_scheme: 'internet-facing', endpoint_public_access_cidrs: ['203.0.113.0/24'] });
    expect(narrow.code, narrow.log).toBe(0);
    expect(narrow.outputs.access_guarded).toBe(true);
  });
});
