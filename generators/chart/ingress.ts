/**
 * The env's Ingress, for clusters that expose envs through ALB IngressGroups: one rule per route,
 * host from the env's values, to the Service port the route names.
 */
import { k8s } from 'cdk8s-plus-27';
import type { ClusterModel, ProjectModel } from '../plan/model.ts';
import { ALB_ANNOTATIONS } from '../plan/labels.ts';
import { ALB_OIDC_SECRET } from '../plan/secret-store.ts';
import type { ChartObject } from './chart-object.ts';
import { release, values } from './helm-text.ts';
import { chartLabels } from './labels.ts';

/** None when the project has no routes, or when the cluster's front door routes its envs (`ingress.mode: front-door`). */
export function ingress(cluster: ClusterModel, project: ProjectModel): ChartObject | undefined {
  if (cluster.ingress.mode !== 'ingress-groups') return undefined;
  if (project.routes.length === 0 || project.containers.every((c) => c.ports.length === 0)) return undefined;
  return {
    file: 'ingress.yaml',
    object: k8s.KubeIngress.manifest({
      metadata: { name: release('Name'), labels: chartLabels(project), annotations: ingressAnnotations(cluster) },
      spec: {
        ingressClassName: cluster.ingress.className,
        rules: project.routes.map((route) => ({
          host: values('hosts', route.key),
          http: {
            paths: [{ path: route.path, pathType: 'Prefix', backend: { service: { name: release('Name'), port: { name: route.port } } } }],
          },
        })),
      },
    }),
  };
}

/**
 * AWS Load Balancer Controller annotations: one ALB per IngressGroup, HTTPS with the certificate
 * discovered from the host (ACM wildcard `*.<domain>`), HTTP redirected to HTTPS, Pod IPs as
 * targets, and the cluster's access guard (accessAnnotations).
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 */
export function ingressAnnotations(cluster: ClusterModel): Record<string, string> {
  return {
    [ALB_ANNOTATIONS.groupName]: values('ingressGroup'),
    [ALB_ANNOTATIONS.targetType]: 'ip',
    [ALB_ANNOTATIONS.listenPorts]: '[{"HTTP": 80}, {"HTTPS": 443}]',
    [ALB_ANNOTATIONS.sslRedirect]: '443',
    [ALB_ANNOTATIONS.sslPolicy]: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    ...accessAnnotations(cluster),
  };
}

/**
 * The Kubernetes Secret (keys clientID, clientSecret) the load balancer controller reads the OIDC
 * client from, in each developer namespace (plan/secret-store.ts ALB_OIDC_SECRET; the same name as
 * `local.oidc_kubernetes_secret` in terraform/modules/platform/access.tf).
 */
export const OIDC_CLIENT_SECRET = ALB_OIDC_SECRET;

/** Claims asked of the identity provider: who signed in, by e-mail. */
const AUTH_SCOPE = 'openid email';

/**
 * Who may reach the env, chosen per cluster (`ingress` in the cluster definition): the ALB scheme
 * (internal unless the cluster says otherwise), the client CIDRs the listeners accept, and sign-in
 * at the load balancer (OIDC or Cognito; an unauthenticated browser is sent to the identity
 * provider, never let through). The same annotations, key for key and byte for byte, as
 * `local.alb_access_annotations` in terraform/modules/platform/access.tf computes for Terraform's
 * own Ingresses (test/chart/ingress.test.ts evaluates it with Terraform and compares). JSON keys
 * are the json tags of the controller's AuthIDPConfigOIDC and AuthIDPConfigCognito types
 * (issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, secretName; userPoolARN,
 * userPoolClientID, userPoolDomain), written as Terraform's jsonencode writes them (sorted keys,
 * no spaces, <>& escaped).
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#access-control
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#authentication
 */
export function accessAnnotations(cluster: ClusterModel): Record<string, string> {
  const { scheme, sourceCidrs, sso } = cluster.ingress;
  const out: Record<string, string> = { [ALB_ANNOTATIONS.scheme]: scheme };
  if (sourceCidrs.length > 0) out[ALB_ANNOTATIONS.inboundCidrs] = sourceCidrs.join(',');
  if (sso?.type === 'oidc') {
    out[ALB_ANNOTATIONS.authType] = 'oidc';
    out[ALB_ANNOTATIONS.authIdpOidc] = terraformJson({
      issuer: sso.issuer,
      authorizationEndpoint: sso.authorizationEndpoint,
      tokenEndpoint: sso.tokenEndpoint,
      userInfoEndpoint: sso.userInfoEndpoint,
      secretName: OIDC_CLIENT_SECRET,
    });
  }
  if (sso?.type === 'cognito') {
    out[ALB_ANNOTATIONS.authType] = 'cognito';
    out[ALB_ANNOTATIONS.authIdpCognito] = terraformJson({
      userPoolARN: sso.userPoolArn,
      userPoolClientID: sso.userPoolClientId,
      userPoolDomain: sso.userPoolDomain,
    });
  }
  if (sso) {
    out[ALB_ANNOTATIONS.authOnUnauthenticatedRequest] = 'authenticate';
    out[ALB_ANNOTATIONS.authScope] = AUTH_SCOPE;
  }
  return out;
}

/**
 * A flat object of strings as Terraform's jsonencode writes it: keys sorted, no spaces, and
 * `<`, `>`, `&` as \u003c, \u003e, \u0026 (Go's HTML-safe encoding).
 * Ref https://developer.hashicorp.com/terraform/language/functions/jsonencode
 */
function terraformJson(object: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.keys(object).sort().map((k) => [k, object[k]]));
  return JSON.stringify(sorted).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}
