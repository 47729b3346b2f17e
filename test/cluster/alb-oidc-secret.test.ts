/**
 * generators/cluster/alb-oidc-secret.ts: the load balancer's OIDC client Secret in each developer
 * namespace, only where env Ingresses sign in with OIDC, from the conventional Secrets Manager name.
 */
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { albOidcSecretObjects } from '../../generators/cluster/alb-oidc-secret.ts';
import { bootstrapObjects } from '../../generators/cluster/argocd.ts';
import { clusterModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { projectModel } from '../../generators/plan/model.ts';
import { isPlatformRemoteKey, PLATFORM_NAME_PREFIX } from '../../generators/plan/secret-store.ts';
import { clusterTree } from '../../generators/synth/cluster-tree.ts';
import { tfvars } from '../../generators/terraform/tfvars.ts';
import { expression, loadConfigurations, locals } from '../../generators/terraform/hcl.ts';
import { REPO } from '../helpers/fixtures.ts';
import { crdErrors } from '../helpers/terraform-crds.ts';

const oidc = {
  type: 'oidc' as const,
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/authorize',
  tokenEndpoint: 'https://idp.example.com/token',
  userInfoEndpoint: 'https://idp.example.com/userinfo',
};
const cognito = { type: 'cognito' as const, userPoolArn: 'arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_AbC', userPoolClientId: 'abc', userPoolDomain: 'lab' };
const clusterWith = (ingress: Record<string, unknown>) =>
  clusterModel('clusters/lab.yaml', { name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', developers: [{ name: 'ann' }, { name: 'bo' }], argocd: { repoURL: 'https://git.example.com/f.git' }, ingress } as never);

describe('the ALB OIDC client Secret', () => {
  it('GIVEN per-env IngressGroups with OIDC sign-in WHEN generated THEN each developer namespace gets exactly this ExternalSecret, valid for the vendored ESO CRD', () => {
    const cluster = clusterWith({ mode: 'ingress-groups', scheme: 'internet-facing', sso: oidc });
    const [secret, ...rest] = albOidcSecretObjects(cluster, 'ann');
    expect(rest).toEqual([]);
    expect(secret).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'devfleet-alb-oidc',
        namespace: 'dev-ann',
        labels: { 'app.kubernetes.io/part-of': 'devfleet', 'app.kubernetes.io/managed-by': 'devfleet', 'devfleet.dev/cluster': 'lab', 'devfleet.dev/developer': 'ann', 'app.kubernetes.io/component': 'access-guard' },
        annotations: { 'argocd.argoproj.io/sync-wave': '-1' },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'devfleet-platform-secrets' },
        target: { name: 'devfleet-alb-oidc', creationPolicy: 'Owner' },
        data: [
          { secretKey: 'clientID', remoteRef: { key: 'devfleet/lab/sso-oidc', property: 'clientId' } },
          { secretKey: 'clientSecret', remoteRef: { key: 'devfleet/lab/sso-oidc', property: 'clientSecret' } },
        ],
      },
    });
    expect(crdErrors('external-secrets/external-secrets.io_externalsecrets.yaml', secret!)).toEqual([]);
  });

  it('GIVEN the same cluster WHEN its Terraform inputs are generated THEN Terraform gets the very secret name and makes the platform store the ExternalSecrets read', async () => {
    const cluster = clusterWith({ mode: 'ingress-groups', scheme: 'internet-facing', sso: oidc });
    const plan = planFleet([cluster], [projectModel('projects/web.yaml', { name: 'web', containers: [{ name: 'app', image: 'nginx:1.27' }] })]).clusters[0]!;
    const secret = albOidcSecretObjects(cluster, 'ann')[0] as { spec: { secretStoreRef: { name: string }; data: { remoteRef: { key: string } }[] } };
    const inputs = tfvars(plan) as { access: { sso: { client_secret_name: string } }; external_secrets: { store_name: string; remote_key_prefix: string }; names: { platform_secret_store: string } };
    expect(inputs.access.sso.client_secret_name).toBe(secret.spec.data[0]!.remoteRef.key);
    // The platform's store, not the env store: the env store's role may not read platform secrets.
    expect(inputs.external_secrets.store_name).not.toBe(secret.spec.secretStoreRef.name);
    const platform = (await loadConfigurations(join(REPO, 'terraform'))).find((c) => c.dir === 'modules/platform')!;
    // The platform module names its store from the generated tfvars only (var.names), so the two cannot differ.
    expect(expression(locals(platform).get('platform_secret_store_name'))).toBe('var.names.platform_secret_store');
    expect(inputs.names.platform_secret_store).toBe(secret.spec.secretStoreRef.name);
    expect(secret.spec.data[0]!.remoteRef.key.startsWith(inputs.external_secrets.remote_key_prefix)).toBe(true);
    // In the tree, once per developer namespace, in the namespace's file.
    const tree = clusterTree(plan);
    for (const developer of ['ann', 'bo']) {
      const kinds = parseAllDocuments(tree.get(`apps/namespaces/${developer}.yaml`)!).map((d) => (d.toJS() as { kind: string }).kind);
      expect(kinds.filter((k) => k === 'ExternalSecret'), developer).toHaveLength(1);
    }
    expect((bootstrapObjects(cluster)[0] as { spec: { namespaceResourceWhitelist: unknown[] } }).spec.namespaceResourceWhitelist).toContainEqual({ group: 'external-secrets.io', kind: 'ExternalSecret' });
  });

  it('GIVEN the Secret and the Secrets Manager name it reads WHEN compared with what validate reserves THEN a project may neither name its Secret so nor read that key', () => {
    const cluster = clusterWith({ mode: 'ingress-groups', scheme: 'internet-facing', sso: oidc });
    const secret = albOidcSecretObjects(cluster, 'ann')[0] as { metadata: { name: string }; spec: { target: { name: string }; data: { remoteRef: { key: string } }[] } };
    // definitions/check-secrets.ts refuses project Secrets named with this prefix and remoteKeys the platform keeps.
    expect(secret.metadata.name.startsWith(PLATFORM_NAME_PREFIX)).toBe(true);
    expect(secret.spec.target.name.startsWith(PLATFORM_NAME_PREFIX)).toBe(true);
    for (const { remoteRef } of secret.spec.data) expect(isPlatformRemoteKey(cluster.name, remoteRef.key), remoteRef.key).toBe(true);
  });

  it('GIVEN Cognito, no SSO, or OIDC behind the front door WHEN generated THEN no developer namespace gets it', () => {
    expect(albOidcSecretObjects(clusterWith({ mode: 'ingress-groups', scheme: 'internet-facing', sso: cognito }), 'ann')).toEqual([]);
    expect(albOidcSecretObjects(clusterWith({ mode: 'ingress-groups', scheme: 'internal' }), 'ann')).toEqual([]);
    expect(albOidcSecretObjects(clusterWith({ mode: 'front-door', scheme: 'internet-facing', sso: oidc }), 'ann')).toEqual([]);
  });
});
