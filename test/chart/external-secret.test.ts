/** The ExternalSecrets of a project's chart (generators/chart/external-secret.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { remoteKey, secretObjects } from '../../generators/chart/external-secret.ts';
import { SECRET_STORE_NAME } from '../../generators/plan/secret-store.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import type { ProjectDefinition } from '../../generators/schema/project.ts';
import { REPO } from '../helpers/fixtures.ts';

const cluster = clusterModel('clusters/dev.yaml', {
  name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' },
});
const secretRef = (secret: string, key: string) => ({ secret, key });

function objectsOf(def: ProjectDefinition): Record<string, Record<string, unknown>> {
  return Object.fromEntries(secretObjects(cluster, projectModel(`projects/${def.name}.yaml`, def)).map(({ file, object }) => [file, object]));
}

describe('Secrets read from AWS Secrets Manager', () => {
  it('GIVEN two containers reading two keys of an undeclared Secret WHEN built THEN one ExternalSecret reads each key as a property of devfleet/<cluster>/<project>/<secret> through the ClusterSecretStore', () => {
    const objects = objectsOf({
      name: 'api',
      containers: [
        { name: 'a', image: 'x:1', env: { KEY: secretRef('stripe', 'api-key'), HOOK: secretRef('stripe', 'webhook.secret') } },
        { name: 'b', image: 'x:1', env: { KEY: secretRef('stripe', 'api-key') } },
      ],
    });
    expect(Object.keys(objects)).toEqual(['externalsecret-stripe.yaml']);
    const externalSecret = objects['externalsecret-stripe.yaml']!;
    expect(externalSecret).toMatchObject({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'stripe' } });
    expect(externalSecret.spec).toEqual({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'devfleet-secrets-manager' },
      target: { name: 'stripe' },
      data: [
        { secretKey: 'api-key', remoteRef: { key: 'devfleet/dev/api/stripe', property: 'api-key' } },
        { secretKey: 'webhook.secret', remoteRef: { key: 'devfleet/dev/api/stripe', property: 'webhook.secret' } },
      ],
    });
    expect(externalSecret.metadata).not.toHaveProperty('annotations');
  });

  it('GIVEN a declared remoteKey WHEN built THEN the properties come from that Secrets Manager name', () => {
    const objects = objectsOf({ name: 'api', containers: [{ name: 'a', image: 'x:1', env: { K: secretRef('s', 'k') } }], secrets: { s: { remoteKey: 'shared/payments' } } });
    expect((objects['externalsecret-s.yaml']!.spec as { data: unknown }).data).toEqual([{ secretKey: 'k', remoteRef: { key: 'shared/payments', property: 'k' } }]);
  });

  it('GIVEN a declared Secret no container reads WHEN built THEN its ExternalSecret extracts every property', () => {
    const objects = objectsOf({ name: 'api', containers: [{ name: 'a', image: 'x:1' }], secrets: { s: { remoteKey: 'shared/all' } } });
    expect((objects['externalsecret-s.yaml']!.spec as { dataFrom: unknown }).dataFrom).toEqual([{ extract: { key: 'shared/all' } }]);
  });

  it('GIVEN the cluster and project WHEN the convention is asked THEN it is devfleet/<cluster>/<project>/<secret>', () => {
    expect(remoteKey(cluster, projectModel('projects/shop.yaml', { name: 'shop', containers: [{ name: 'a', image: 'x:1' }] }), 'shop-db')).toBe('devfleet/dev/shop/shop-db');
  });
});

describe('generated passwords', () => {
  it('GIVEN a generated Secret read under "token" WHEN built THEN a Password generator and an ExternalSecret made once, retained and kept by Helm and Argo CD, rewriting the password to "token"', () => {
    const objects = objectsOf({ name: 'api', containers: [{ name: 'a', image: 'x:1', env: { T: secretRef('api-csrf', 'token') } }], secrets: { 'api-csrf': { generate: 'password', length: 48 } } });
    expect(Object.keys(objects)).toEqual(['password-api-csrf.yaml', 'externalsecret-api-csrf.yaml']);
    expect(objects['password-api-csrf.yaml']).toMatchObject({
      apiVersion: 'generators.external-secrets.io/v1alpha1',
      kind: 'Password',
      metadata: { name: 'api-csrf' },
      spec: { length: 48, symbols: 0, noUpper: false, allowRepeat: true },
    });
    const externalSecret = objects['externalsecret-api-csrf.yaml']!;
    expect((externalSecret.metadata as { annotations: unknown }).annotations).toEqual({ 'helm.sh/resource-policy': 'keep', 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false', 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' });
    expect(externalSecret.spec).toEqual({
      refreshPolicy: 'CreatedOnce',
      target: { name: 'api-csrf', deletionPolicy: 'Retain' },
      dataFrom: [
        {
          sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'api-csrf' } },
          rewrite: [{ regexp: { source: '^password$', target: 'token' } }],
        },
      ],
    });
  });

  it('GIVEN a generated Secret read under two keys WHEN built THEN the second key gets the same value through a merged ESO template', () => {
    const objects = objectsOf({
      name: 'db',
      containers: [{ name: 'a', image: 'x:1', env: { ROOT: secretRef('db', 'root-password'), APP: secretRef('db', 'password') } }],
      secrets: { db: { generate: 'password' } },
    });
    const target = (objects['externalsecret-db.yaml']!.spec as { target: unknown; dataFrom: { rewrite: unknown }[] });
    expect(target.dataFrom[0]!.rewrite).toEqual([{ regexp: { source: '^password$', target: 'password' } }]);
    expect(target.target).toEqual({ name: 'db', deletionPolicy: 'Retain', template: { engineVersion: 'v2', mergePolicy: 'Merge', data: { 'root-password': '{{ index . "password" }}' } } });
  });
});

describe('the ClusterSecretStore name', () => {
  it('GIVEN terraform/modules/platform/variables.tf WHEN its default external_secrets.store_name is read THEN it is the name every ExternalSecret uses', () => {
    const variables = readFileSync(join(REPO, 'terraform/modules/platform/variables.tf'), 'utf8');
    expect(/store_name\s*=\s*optional\(string,\s*"([^"]+)"\)/.exec(variables)?.[1]).toBe(SECRET_STORE_NAME);
  });
});
