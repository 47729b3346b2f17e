/**
 * The env Ingress and its access guard (generators/chart/ingress.ts): exact annotations for each
 * choice a cluster can make (that Terraform computes the same ones for its own Ingresses is
 * test/hcl/access.annotations.test.ts, in the tier with Terraform), and, over whole
 * definition sets, no Ingress without a guard.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { accessAnnotations, OIDC_CLIENT_SECRET } from '../../generators/chart/ingress.ts';
import { CHOICES, cluster, COGNITO, OIDC } from '../helpers/access-choices.ts';
import { runCli } from '../helpers/cli.ts';
import { REPO, tempRoot } from '../helpers/fixtures.ts';
import { ingressGuardErrors } from '../helpers/fleet-contracts.ts';
import { parseManifests } from '../helpers/kube-schemas.ts';

describe('access annotations', () => {
  it('GIVEN a cluster that says nothing WHEN annotated THEN the ALB is internal and nothing else is set', () => {
    expect(accessAnnotations(cluster(undefined))).toEqual({ 'alb.ingress.kubernetes.io/scheme': 'internal' });
  });

  it('GIVEN internet-facing with source CIDRs WHEN annotated THEN the CIDRs become inbound-cidrs and nobody is asked to sign in', () => {
    expect(accessAnnotations(cluster(CHOICES['internet-facing with office CIDRs']))).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/inbound-cidrs': '203.0.113.0/24,198.51.100.7/32',
    });
  });

  it('GIVEN OIDC SSO WHEN annotated THEN auth-type oidc, the IdP JSON naming the namespace Secret devfleet-alb-oidc, sign-in on unauthenticated requests and the scope', () => {
    expect(accessAnnotations(cluster(CHOICES['internet-facing with OIDC']))).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/auth-type': 'oidc',
      'alb.ingress.kubernetes.io/auth-idp-oidc':
        '{"authorizationEndpoint":"https://idp.example.com/authorize?tenant=a\\u0026x=\\u003cy\\u003e","issuer":"https://idp.example.com","secretName":"devfleet-alb-oidc","tokenEndpoint":"https://idp.example.com/token","userInfoEndpoint":"https://idp.example.com/userinfo"}',
      'alb.ingress.kubernetes.io/auth-on-unauthenticated-request': 'authenticate',
      'alb.ingress.kubernetes.io/auth-scope': 'openid email',
    });
    expect(OIDC_CLIENT_SECRET).toBe('devfleet-alb-oidc');
  });

  it('GIVEN Cognito SSO WHEN annotated THEN auth-type cognito with the pool, client and domain prefix', () => {
    const annotations = accessAnnotations(cluster(CHOICES['internal with Cognito and a CIDR']));
    expect(annotations['alb.ingress.kubernetes.io/auth-type']).toBe('cognito');
    expect(JSON.parse(annotations['alb.ingress.kubernetes.io/auth-idp-cognito']!)).toEqual({ userPoolARN: COGNITO.userPoolArn, userPoolClientID: COGNITO.userPoolClientId, userPoolDomain: 'acme-dev' });
    expect(annotations['alb.ingress.kubernetes.io/inbound-cidrs']).toBe('10.0.0.0/8');
    expect(annotations['alb.ingress.kubernetes.io/auth-on-unauthenticated-request']).toBe('authenticate');
  });
});

describe('no Ingress without a guard, over a whole definition set', () => {
  /** test/fixtures/fleet-unseen with its cluster's ingress replaced (per-env Ingresses unless `ingress` says otherwise). */
  async function renderedIngresses(ingress: Record<string, unknown>) {
    const root = tempRoot();
    cpSync(join(REPO, 'test', 'fixtures', 'fleet-unseen'), root, { recursive: true });
    const file = join(root, 'clusters', 'staging.yaml');
    const def = parse(readFileSync(file, 'utf8')) as { ingress: Record<string, unknown> };
    def.ingress = { ...def.ingress, mode: 'ingress-groups', ...ingress };
    writeFileSync(file, stringify(def));
    const result = await runCli('render', '--root', root, '--cluster', 'staging');
    expect(result.code, result.stderr).toBe(0);
    return parseManifests(result.stdout, 'render').filter((s) => s.object.kind === 'Ingress').map((s) => s.object);
  }

  it.each([
    ['internet-facing with source CIDRs', { scheme: 'internet-facing', sourceCidrs: ['203.0.113.0/24'] }, 'alb.ingress.kubernetes.io/inbound-cidrs'],
    ['internet-facing with OIDC SSO', { scheme: 'internet-facing', sso: OIDC }, 'alb.ingress.kubernetes.io/auth-idp-oidc'],
    ['internet-facing with Cognito SSO', { scheme: 'internet-facing', sso: COGNITO }, 'alb.ingress.kubernetes.io/auth-idp-cognito'],
  ])('GIVEN the unseen fleet %s WHEN every env is rendered THEN every Ingress carries the guard', async (_what, ingress, annotation) => {
    const ingresses = await renderedIngresses(ingress);
    expect(ingresses.length).toBeGreaterThan(20);
    expect(ingresses.flatMap(ingressGuardErrors)).toEqual([]);
    expect(ingresses.filter((i) => !(annotation in (i.metadata?.annotations ?? {}))).map((i) => i.metadata?.name)).toEqual([]);
    expect(new Set(ingresses.map((i) => i.metadata?.annotations?.['alb.ingress.kubernetes.io/scheme']))).toEqual(new Set(['internet-facing']));
  });

  it('GIVEN the unseen fleet internet-facing with source CIDRs behind the front door (the default mode) WHEN every env is rendered THEN no env has an Ingress of its own: the guard sits at the one front-door Ingress Terraform makes', async () => {
    expect(await renderedIngresses({ mode: 'front-door', scheme: 'internet-facing', sourceCidrs: ['203.0.113.0/24'] })).toEqual([]);
  });

  it('GIVEN internet-facing Ingresses without CIDRs, with 0.0.0.0/0, or with SSO that lets unauthenticated requests through WHEN checked THEN each is reported', () => {
    const ingress = (annotations: Record<string, string>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing', ...annotations } } });
    expect(ingressGuardErrors(ingress({}))).toHaveLength(1);
    expect(ingressGuardErrors(ingress({ 'alb.ingress.kubernetes.io/inbound-cidrs': '203.0.113.0/24,0.0.0.0/0' }))).toHaveLength(1);
    expect(ingressGuardErrors(ingress({ 'alb.ingress.kubernetes.io/auth-type': 'oidc', 'alb.ingress.kubernetes.io/auth-idp-oidc': '{}', 'alb.ingress.kubernetes.io/auth-on-unauthenticated-request': 'allow' }))).toHaveLength(1);
    expect(ingressGuardErrors(ingress({ 'alb.ingress.kubernetes.io/inbound-cidrs': '203.0.113.0/24' }))).toEqual([]);
  });
});
