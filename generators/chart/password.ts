/**
 * External Secrets' Password generator of a `generate: password` Secret: the random value its
 * ExternalSecret (external-secret.ts) materialises once per env.
 * Ref https://external-secrets.io/latest/api/generator/password/
 * Shape: test/fixtures/external-secrets/generators.external-secrets.io_passwords.yaml (the pinned ESO, tools/versions.env),
 * against which test/acceptance/k8s-schemas.test.ts validates every generated one.
 */
import type { ProjectModel } from '../plan/model.ts';
import { passwordName } from '../plan/names.ts';
import type { ChartObject } from './chart-object.ts';
import { chartLabels, KEEP_DATA_ANNOTATIONS } from './labels.ts';

export const PASSWORD_API_VERSION = 'generators.external-secrets.io/v1alpha1';
export const PASSWORD_KIND = 'Password';

/** The fields of generators.external-secrets.io/v1alpha1 Password that devfleet sets. */
export interface Password {
  readonly apiVersion: typeof PASSWORD_API_VERSION;
  readonly kind: typeof PASSWORD_KIND;
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>>; readonly annotations: Readonly<Record<string, string>> };
  readonly spec: { readonly length: number; readonly symbols: number; readonly noUpper: boolean; readonly allowRepeat: boolean };
}

export { passwordName };

export function password(project: ProjectModel, secret: string, length: number): ChartObject {
  const object: Password = {
    apiVersion: PASSWORD_API_VERSION,
    kind: PASSWORD_KIND,
    // Kept with the ExternalSecret it feeds (external-secret.ts): should External Secrets ever
    // have to make the Secret again, its generator is still there.
    metadata: { name: passwordName(secret), labels: chartLabels(project), annotations: { ...KEEP_DATA_ANNOTATIONS } },
    spec: {
      length,
      // Letters and digits only: the bundled examples put the password into URLs
      // (postgres://user:$(DB_PASSWORD)@host), where "@", "/", ":" or "#" would break them.
      symbols: 0,
      noUpper: false,
      // Without repeats a password longer than the alphabet (62 letters and digits) cannot exist.
      allowRepeat: true,
    },
  };
  return { file: `password-${secret}.yaml`, object: { ...object } };
}
