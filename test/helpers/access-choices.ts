/**
 * The access choices a cluster definition can make (ingress scheme, source CIDRs, SSO), shared by
 * the chart's tests (test/chart/ingress.test.ts) and Terraform's (test/hcl/access.annotations.test.ts),
 * which must compute the same ALB annotations for each.
 */
import { clusterModel, type ClusterModel } from '../../generators/plan/model.ts';
import type { ClusterDefinition } from '../../generators/schema/cluster.ts';

export const base: ClusterDefinition = { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' } };
export const OIDC = {
  type: 'oidc',
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/authorize?tenant=a&x=<y>',
  tokenEndpoint: 'https://idp.example.com/token',
  userInfoEndpoint: 'https://idp.example.com/userinfo',
} as const;
export const COGNITO = {
  type: 'cognito',
  userPoolArn: 'arn:aws:cognito-idp:ap-northeast-1:123456789012:userpool/ap-northeast-1_AbCdEf',
  userPoolClientId: '1example23456789',
  userPoolDomain: 'acme-dev',
} as const;

/** The access choices a cluster definition can make. */
export const CHOICES: Record<string, ClusterDefinition['ingress']> = {
  'nothing said (internal)': undefined,
  'internet-facing with office CIDRs': { scheme: 'internet-facing', sourceCidrs: ['203.0.113.0/24', '198.51.100.7/32'] },
  'internet-facing with OIDC': { scheme: 'internet-facing', sso: OIDC },
  'internal with Cognito and a CIDR': { sourceCidrs: ['10.0.0.0/8'], sso: COGNITO },
};
export const cluster = (ingress: ClusterDefinition['ingress']): ClusterModel => clusterModel('clusters/dev.yaml', { ...base, ...(ingress ? { ingress } : {}) });
