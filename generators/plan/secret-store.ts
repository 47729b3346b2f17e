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
  return `${projectKeyPrefix(cluster, project)}${secret}`;
}

/**
 * The Secrets Manager names a project owns in a cluster: `<prefix><project>/`. Ends with "/" so
 * project `shop` never owns `devfleet/dev/shop-admin/...`. A project's `remoteKey` must name a key
 * under it, or one another project shares with it (definitions/check-secrets.ts).
 */
export function projectKeyPrefix(cluster: string, project: string): string {
  return `${remoteKeyPrefix(cluster)}${project}/`;
}

/**
 * Where a Secrets Manager name sits for a cluster, by exact text. Secrets Manager names are plain
 * strings: "/" is an ordinary character, nothing resolves "." or "..", and the operator's IAM
 * policy (`<prefix>*`, terraform/modules/platform/external-secrets.tf) matches the prefix
 * character by character, case included. So a name is read as written:
 * - `malformed`: it has an empty segment ("//", a leading or trailing "/") or a "." or ".."
 *   segment, which read like a path that Secrets Manager never resolves (`devfleet/dev/shop/../web/x`
 *   looks like web's key and is a name under shop's prefix);
 * - `outside`: not under the cluster's prefix, so the cluster's External Secrets may not read it;
 * - `platform`: one segment directly under the prefix (isPlatformRemoteKey);
 * - `project`: under `<prefix><project>/`, owned by that project (the first segment, exactly).
 */
export type RemoteKeyPlace =
  | { readonly kind: 'malformed'; readonly segment: '' | '.' | '..' }
  | { readonly kind: 'outside' }
  | { readonly kind: 'platform' }
  | { readonly kind: 'project'; readonly project: string };

/** The first empty, "." or ".." segment of a name, if any. */
export function malformedSegment(key: string): '' | '.' | '..' | undefined {
  return key.split('/').find((segment): segment is '' | '.' | '..' => segment === '' || segment === '.' || segment === '..');
}

export function remoteKeyPlace(cluster: string, key: string): RemoteKeyPlace {
  const segment = malformedSegment(key);
  if (segment !== undefined) return { kind: 'malformed', segment };
  const prefix = remoteKeyPrefix(cluster);
  if (!key.startsWith(prefix)) return { kind: 'outside' };
  if (isPlatformRemoteKey(cluster, key)) return { kind: 'platform' };
  return { kind: 'project', project: key.slice(prefix.length, key.indexOf('/', prefix.length)) };
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
