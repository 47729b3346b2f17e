/**
 * One ExternalSecret per Secret a project's containers read: External Secrets Operator
 * (terraform/modules/platform/external-secrets.tf installs it) creates the Secret in the env's
 * namespace, so every Secret a generated workload references exists without anyone creating it.
 * - `secrets-manager`: read from AWS Secrets Manager through the one ClusterSecretStore, at
 *   `devfleet/<cluster>/<project>/<secret>` (or the definition's remoteKey), a JSON object whose
 *   properties are the keys the containers read.
 * - `generated-password`: a Password generator (password.ts) makes the value on the first sync and
 *   never again (refreshPolicy CreatedOnce), and the ExternalSecret, like a PVC, is kept when its
 *   env goes away (KEEP_DATA_ANNOTATIONS), with the Secret retained: a database initialised
 *   with the password keeps working.
 * Ref https://external-secrets.io/latest/api/externalsecret/
 * Ref https://external-secrets.io/latest/guides/generator/
 * Ref https://external-secrets.io/latest/guides/ownership-deletion-policy/
 * Shape: test/fixtures/external-secrets/external-secrets.io_externalsecrets.yaml (the pinned ESO, tools/versions.env),
 * against which test/acceptance/k8s-schemas.test.ts validates every generated one.
 */
import type { ClusterModel, ProjectModel, SecretSourceModel } from '../plan/model.ts';
import { projectRemoteKey, SECRET_STORE_NAME } from '../plan/secret-store.ts';
import type { ChartObject } from './chart-object.ts';
import { chartLabels, KEEP_DATA_ANNOTATIONS } from './labels.ts';
import { password, PASSWORD_API_VERSION, PASSWORD_KIND, passwordName } from './password.ts';
import { secretKeys } from './secret-keys.ts';

export const EXTERNAL_SECRET_API_VERSION = 'external-secrets.io/v1';
export const EXTERNAL_SECRET_KIND = 'ExternalSecret';

/** The key the Password generator writes its value under. */
const GENERATED_KEY = 'password';

/** The Secrets Manager name of a project's Secret, unless the definition names another. */
export function remoteKey(cluster: ClusterModel, project: ProjectModel, secret: string): string {
  return projectRemoteKey(cluster.name, project.name, secret);
}

/** The fields of external-secrets.io/v1 ExternalSecret that devfleet sets. */
export interface ExternalSecret {
  readonly apiVersion: typeof EXTERNAL_SECRET_API_VERSION;
  readonly kind: typeof EXTERNAL_SECRET_KIND;
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec: {
    readonly refreshPolicy?: 'CreatedOnce';
    readonly secretStoreRef?: { readonly kind: 'ClusterSecretStore'; readonly name: string };
    readonly target: {
      readonly name: string;
      readonly deletionPolicy?: 'Retain';
      readonly template?: { readonly engineVersion: 'v2'; readonly mergePolicy: 'Merge'; readonly data: Readonly<Record<string, string>> };
    };
    readonly data?: readonly { readonly secretKey: string; readonly remoteRef: { readonly key: string; readonly property: string } }[];
    readonly dataFrom?: readonly (
      | { readonly extract: { readonly key: string } }
      | {
          readonly sourceRef: { readonly generatorRef: { readonly apiVersion: typeof PASSWORD_API_VERSION; readonly kind: typeof PASSWORD_KIND; readonly name: string } };
          readonly rewrite: readonly { readonly regexp: { readonly source: string; readonly target: string } }[];
        }
    )[];
  };
}

/** The ExternalSecrets (and Password generators) of every Secret the project reads or declares. */
export function secretObjects(cluster: ClusterModel, project: ProjectModel): ChartObject[] {
  return project.secrets.flatMap((source) =>
    source.kind === 'generated-password'
      ? [password(project, source.name, source.length), generatedSecret(project, source.name)]
      : [managedSecret(cluster, project, source)],
  );
}

function chartObject(object: ExternalSecret): ChartObject {
  return { file: `externalsecret-${object.metadata.name}.yaml`, object: { ...object } };
}

/** One `data[]` entry per key the containers read, property = key; every property when none is read. */
function managedSecret(cluster: ClusterModel, project: ProjectModel, source: Extract<SecretSourceModel, { kind: 'secrets-manager' }>): ChartObject {
  const key = source.remoteKey ?? remoteKey(cluster, project, source.name);
  const keys = secretKeys(project, source.name);
  return chartObject({
    apiVersion: EXTERNAL_SECRET_API_VERSION,
    kind: EXTERNAL_SECRET_KIND,
    metadata: { name: source.name, labels: chartLabels(project) },
    spec: {
      secretStoreRef: { kind: 'ClusterSecretStore', name: SECRET_STORE_NAME },
      target: { name: source.name },
      ...(keys.length > 0
        ? { data: keys.map((k) => ({ secretKey: k, remoteRef: { key, property: k } })) }
        : { dataFrom: [{ extract: { key } }] }),
    },
  });
}

/**
 * The generator's one value under the first key read (rewrite), and the same value under every
 * other key (an ESO template, Merge keeps the rewritten key): two containers reading one
 * database password under two keys must get the same password.
 */
function generatedSecret(project: ProjectModel, secret: string): ChartObject {
  const [first = GENERATED_KEY, ...others] = secretKeys(project, secret);
  return chartObject({
    apiVersion: EXTERNAL_SECRET_API_VERSION,
    kind: EXTERNAL_SECRET_KIND,
    metadata: { name: secret, labels: chartLabels(project), annotations: { ...KEEP_DATA_ANNOTATIONS } },
    spec: {
      refreshPolicy: 'CreatedOnce',
      target: {
        name: secret,
        deletionPolicy: 'Retain',
        ...(others.length > 0
          ? { template: { engineVersion: 'v2', mergePolicy: 'Merge', data: Object.fromEntries(others.map((k) => [k, `{{ index . ${JSON.stringify(first)} }}`])) } }
          : {}),
      },
      dataFrom: [
        {
          sourceRef: { generatorRef: { apiVersion: PASSWORD_API_VERSION, kind: PASSWORD_KIND, name: passwordName(secret) } },
          rewrite: [{ regexp: { source: `^${GENERATED_KEY}$`, target: first } }],
        },
      ],
    },
  });
}
