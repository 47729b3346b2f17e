/**
 * Where the Secrets of a cluster come from, named once: the one ClusterSecretStore terraform/
 * creates (terraform/modules/platform/external-secrets.tf), the AWS Secrets Manager names its
 * External Secrets Operator may read, and the load balancer's OIDC client secret.
 *
 * The Terraform inputs (`external_secrets`, `access.sso.client_secret_name`) are generated from
 * these, so the store, the prefix and the secret name cannot drift between the platform and the
 * generated ExternalSecrets. See terraform/README.md "Secrets: External Secrets and AWS Secrets Manager".
 */

/** The ClusterSecretStore every generated ExternalSecret names (`external_secrets.store_name`). */
export const SECRET_STORE_NAME = 'devfleet-secrets-manager';

/**
 * The platform's ClusterSecretStore (`local.platform_secret_store_name` in
 * terraform/modules/platform/external-secrets.tf): the only way to the platform's own secrets (the
 * OIDC client), with a role that reads nothing else; the env store's role is denied them. Only
 * the platform's namespaces may use it, and, with per-env Ingresses signing in with OIDC, the
 * developer namespaces, for that client secret (alb-oidc-secret.ts).
 */
export const PLATFORM_SECRET_STORE_NAME = 'devfleet-platform-secrets';

/**
 * The Secrets Manager name prefix of a cluster (`external_secrets.remote_key_prefix`): the
 * operator's IAM policy allows only names under it. Ends with "/" so `devfleet/dev/` never
 * matches `devfleet/dev2/...`.
 */
export function remoteKeyPrefix(cluster: string): string {
  return `devfleet/${cluster}/`;
}

/**
 * The Secrets Manager name of a project's Secret by convention, `<prefix><project>/<secret>`
 * (a definition's `remoteKey` names another). Two path segments under the prefix: the platform's
 * own secrets have one (ssoClientSecretName), so the two never meet.
 */
export function projectRemoteKey(cluster: string, project: string, secret: string): string {
  return `${remoteKeyPrefix(cluster)}${project}/${secret}`;
}

/**
 * The Secrets Manager secret holding the OIDC client of the load balancer's sign-in, a JSON
 * object `{"clientId": "...", "clientSecret": "..."}` that ops store once. One path segment under
 * the prefix, so it never collides with a project secret (`<prefix><project>/<secret>`).
 */
export function ssoClientSecretName(cluster: string): string {
  return `${remoteKeyPrefix(cluster)}sso-oidc`;
}

/**
 * Whether `key` is a name the platform keeps for itself under the cluster's prefix: one path
 * segment directly under it, like the OIDC client secret (ssoClientSecretName). `validate` refuses
 * a project's `remoteKey` naming one (definitions/check-secrets.ts), and the env store's IAM role
 * reads only names with two segments under the prefix and is explicitly denied every other name
 * (terraform/modules/platform/external-secrets.tf), so even a change validate never saw cannot
 * copy a platform secret into an env. Project secrets have two segments (projectRemoteKey).
 */
export function isPlatformRemoteKey(cluster: string, key: string): boolean {
  const prefix = remoteKeyPrefix(cluster);
  return key.startsWith(prefix) && !key.slice(prefix.length).includes('/');
}

/**
 * The name prefix of the platform's own objects in developer namespaces: the OIDC client Secret
 * below, the sleep/wake CronJobs and their ServiceAccount `devfleet-scaler`, the Role
 * `devfleet-owner`, the NetworkPolicies. Every Secret a project declares or reads becomes an
 * ExternalSecret and a Secret of that name in the env's namespace, so a project Secret with this
 * prefix would be (or, once the platform adds one, become) a platform Secret; `validate` refuses
 * it (definitions/check-secrets.ts).
 */
export const PLATFORM_NAME_PREFIX = 'devfleet-';

/**
 * The Kubernetes Secret (keys `clientID`, `clientSecret`) the AWS Load Balancer Controller reads
 * for `auth-idp-oidc` in the namespace of each OIDC-guarded Ingress (`oidc_kubernetes_secret`
 * in terraform/modules/platform/access.tf).
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#auth-idp-oidc
 */
export const ALB_OIDC_SECRET = 'devfleet-alb-oidc';
