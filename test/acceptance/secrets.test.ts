/**
 * Secrets that exist (issue 10, item 4): every Secret a generated workload references is produced
 * by its env's own objects (an ExternalSecret, and for generated passwords a Password generator),
 * for every env of the bundled examples and of the unseen definition set, and by that env alone
 * (no two envs of one namespace make the same object: definitions/check-secrets.ts); and every
 * External Secrets object validates against the vendored ESO v1.3.2 CRDs (test/fixtures/external-secrets).
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import type { Env } from '../../generators/plan/plan.ts';
import { renderEnv } from '../../generators/render/render-env.ts';
import { copyOfExamples, REPO, tempRoot } from '../helpers/fixtures.ts';
import { unproducedSecretErrors } from '../helpers/fleet-contracts.ts';
import { externalSecretsCrdVersions, externalSecretsSchemaErrors, parseManifests, type KubeObject, type SourcedObject } from '../helpers/kube-schemas.ts';

const fleets: [string, () => string][] = [
  ['the bundled examples', () => copyOfExamples()],
  ['the unseen definition set (test/fixtures/fleet-unseen)', () => {
    const root = tempRoot();
    cpSync(join(REPO, 'test', 'fixtures', 'fleet-unseen'), root, { recursive: true });
    return root;
  }],
];

/** The Secret names a rendered env's workloads reference through env valueFrom. */
function referenced(objects: readonly SourcedObject[]): string[] {
  return objects.flatMap(({ object }) =>
    ((object.spec as { template?: { spec?: { containers?: { env?: { valueFrom?: { secretKeyRef?: { name: string } } }[] }[] } } } | undefined)?.template?.spec?.containers ?? [])
      .flatMap((c) => c.env ?? [])
      .flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : [])),
  );
}

describe.each(fleets)('Secrets of %s', (_name, makeRoot) => {
  const perEnv = new Map<Env, SourcedObject[]>();

  beforeAll(async () => {
    const fleet = await loadFleet(makeRoot());
    for (const plan of fleet.clusters) for (const env of plan.envs) perEnv.set(env, parseManifests(renderEnv(env), `${env.developer}/${env.project.name}`));
  });

  it('GIVEN every env WHEN rendered THEN every Secret (and key) its workloads reference is produced by its own objects', () => {
    const errors = [...perEnv].flatMap(([env, objects]) => unproducedSecretErrors(objects).map((e) => `${env.developer}/${env.project.name}: ${e}`));
    expect(errors).toEqual([]);
    // Not vacuous: the definition sets reference Secrets, from both sources.
    const references = [...perEnv.values()].flatMap(referenced);
    expect(references.length).toBeGreaterThan(10);
  });

  it('GIVEN every developer namespace WHEN its envs are rendered THEN no two envs make an object of the same kind and name (no object has two owning Applications)', () => {
    const makers = new Map<string, string[]>();
    for (const [env, objects] of perEnv) {
      for (const { object } of objects) {
        const id = `${env.cluster.name}/${env.namespace}: ${String(object.kind)}/${String((object.metadata as { name: string }).name)}`;
        makers.set(id, [...(makers.get(id) ?? []), env.application]);
      }
    }
    expect([...makers].filter(([, applications]) => applications.length > 1).map(([id, applications]) => `${id} made by ${applications.join(', ')}`)).toEqual([]);
    // Not vacuous: namespaces hold several envs, each with its Secrets.
    expect([...makers.keys()].filter((id) => id.includes(': ExternalSecret/')).length).toBeGreaterThan(10);
  });

  it('GIVEN every env WHEN rendered THEN every ExternalSecret and Password validates against the vendored ESO CRDs', () => {
    const objects = [...perEnv.values()].flat().filter((s) => String(s.object.apiVersion).includes('external-secrets.io'));
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap((s) => externalSecretsSchemaErrors(s.object).map((e) => `${s.source}: ${e}`))).toEqual([]);
  });
});

describe('the producer check itself', () => {
  const deployment = (pod: Record<string, unknown>): SourcedObject => ({
    source: 'd',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: pod } } },
  });
  const generated = (name: string, rewriteTo?: string): SourcedObject[] => [
    { source: 'p', object: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', metadata: { name }, spec: { length: 32, noUpper: false, allowRepeat: true } } },
    {
      source: 'e',
      object: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name },
        spec: {
          target: { name },
          dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name } }, ...(rewriteTo ? { rewrite: [{ regexp: { source: '^password$', target: rewriteTo } }] } : {}) }],
        },
      },
    },
  ];

  it('GIVEN references through env, envFrom, a secret volume, a projected volume and image pull secrets with no producer WHEN checked THEN each is reported', () => {
    const pod = {
      containers: [{ name: 'app', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'a', key: 'k' } } }], envFrom: [{ secretRef: { name: 'b' } }] }],
      initContainers: [{ name: 'init', env: [{ name: 'O', valueFrom: { secretKeyRef: { name: 'opt', key: 'k', optional: true } } }] }],
      volumes: [{ name: 'v', secret: { secretName: 'c' } }, { name: 'p', projected: { sources: [{ secret: { name: 'd' } }] } }],
      imagePullSecrets: [{ name: 'e' }],
    };
    expect(unproducedSecretErrors([deployment(pod)])).toEqual([
      'apps/v1 Deployment/web: container app env A: Secret "a" is referenced but nothing produces it',
      'apps/v1 Deployment/web: container app envFrom: Secret "b" is referenced but nothing produces it',
      'apps/v1 Deployment/web: volume v: Secret "c" is referenced but nothing produces it',
      'apps/v1 Deployment/web: projected volume p: Secret "d" is referenced but nothing produces it',
      'apps/v1 Deployment/web: imagePullSecrets: Secret "e" is referenced but nothing produces it',
    ]);
  });

  it('GIVEN a generated Secret rewritten to "token" WHEN a container reads "token" and another reads "password" THEN only the missing key is reported', () => {
    const pod = { containers: [{ name: 'app', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 's', key: 'token' } } }, { name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'password' } } }] }] };
    expect(unproducedSecretErrors([deployment(pod), ...generated('s', 'token')])).toEqual(['apps/v1 Deployment/web: container app env P: Secret "s" has no key "password" (produced: token)']);
    expect(unproducedSecretErrors([deployment({ containers: [{ name: 'app', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'password' } } }] }] }), ...generated('s')])).toEqual([]);
  });

  it('GIVEN an ExternalSecret whose generator is not rendered WHEN checked THEN it is reported', () => {
    const [, externalSecret] = generated('s');
    expect(unproducedSecretErrors([externalSecret!])).toEqual(['external-secrets.io/v1 ExternalSecret/s: generatorRef {"apiVersion":"generators.external-secrets.io/v1alpha1","kind":"Password","name":"s"} names no rendered Password']);
  });
});

describe('the ESO CRD validators', () => {
  const externalSecret = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 's' }, spec });

  it('GIVEN the vendored CRDs WHEN loaded THEN ExternalSecret v1 and Password v1alpha1 are served', () => {
    expect([...externalSecretsCrdVersions().keys()].sort()).toEqual(['external-secrets.io/v1/ExternalSecret', 'generators.external-secrets.io/v1alpha1/Password']);
  });

  it('GIVEN a misspelled field, a wrong enum and a Password without its required fields WHEN validated THEN each is rejected', () => {
    expect(externalSecretsSchemaErrors(externalSecret({ target: { name: 's' }, refreshPolcy: 'CreatedOnce' }))).toEqual(['external-secrets.io/v1 ExternalSecret/s: /spec must NOT have additional properties "refreshPolcy"']);
    expect(externalSecretsSchemaErrors(externalSecret({ target: { name: 's', deletionPolicy: 'Keep' } })).join('\n')).toMatch(/deletionPolicy must be equal to one of the allowed values/);
    expect(externalSecretsSchemaErrors({ apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', metadata: { name: 'p' }, spec: { length: 32 } }).join('\n')).toMatch(/must have required property 'allowRepeat'/);
    expect(externalSecretsSchemaErrors({ apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 's' } })).toEqual([expect.stringMatching(/no External Secrets CRD serves/)]);
  });
});
