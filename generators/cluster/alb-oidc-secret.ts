/**
 * The OIDC client Secret of the load balancer's sign-in, in each developer namespace, for
 * clusters whose envs have their own Ingresses (`ingress.mode: ingress-groups`) and sign in with
 * OIDC at the ALB (`ingress.sso.type: oidc`).
 *
 * The AWS Load Balancer Controller reads the client ID and secret of `auth-idp-oidc` from a
 * Kubernetes Secret in the namespace of the Ingress (keys `clientID`, `clientSecret`), so every
 * developer namespace needs one. Nothing secret is in git: an ExternalSecret copies the JSON
 * `{"clientId", "clientSecret"}` that ops store once in AWS Secrets Manager under
 * `devfleet/<cluster>/sso-oidc`, through the platform's ClusterSecretStore (the env store's role
 * may not read platform secrets), which serves developer namespaces in this mode only; Terraform
 * makes the same object for its own Ingresses (terraform/modules/platform/external-secrets.tf).
 * Behind the front door the only OIDC Ingress is Terraform's, so nothing is generated here.
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#auth-idp-oidc
 * Ref https://external-secrets.io/latest/api/externalsecret/
 */
import type { ClusterModel } from '../plan/model.ts';
import { namespaceName } from '../plan/names.ts';
import { ALB_OIDC_SECRET, PLATFORM_SECRET_STORE_NAME, ssoClientSecretName } from '../plan/secret-store.ts';
import { clusterLabels } from './argocd.ts';
import { ARGOCD_ANNOTATIONS, LABELS } from '../plan/labels.ts';

/** Whether the cluster's env Ingresses sign in with OIDC at their own load balancers. */
export function needsAlbOidcSecret(cluster: ClusterModel): boolean {
  return cluster.ingress.mode === 'ingress-groups' && cluster.ingress.sso?.type === 'oidc';
}

export function albOidcSecretObjects(cluster: ClusterModel, developer: string): Record<string, unknown>[] {
  if (!needsAlbOidcSecret(cluster)) return [];
  const key = ssoClientSecretName(cluster.name);
  return [
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: ALB_OIDC_SECRET,
        namespace: namespaceName(cluster.namespacePrefix, developer),
        labels: { ...clusterLabels(cluster), [LABELS.developer]: developer, [LABELS.component]: 'access-guard' },
        // Before the envs' Ingresses, which name the Secret.
        annotations: { [ARGOCD_ANNOTATIONS.syncWave]: '-1' },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: PLATFORM_SECRET_STORE_NAME },
        target: { name: ALB_OIDC_SECRET, creationPolicy: 'Owner' },
        data: [
          { secretKey: 'clientID', remoteRef: { key, property: 'clientId' } },
          { secretKey: 'clientSecret', remoteRef: { key, property: 'clientSecret' } },
        ],
      },
    },
  ];
}
