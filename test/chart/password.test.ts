/** The Password generator of a generated Secret (generators/chart/password.ts). */
import { describe, expect, it } from 'vitest';
import { password } from '../../generators/chart/password.ts';
import { projectModel } from '../../generators/plan/model.ts';
import { externalSecretsSchemaErrors, type KubeObject } from '../helpers/kube-schemas.ts';

describe('Password', () => {
  it('GIVEN a 64-character password WHEN its generator is built THEN letters and digits only, repeats allowed (64 > 62 distinct characters), named after the Secret, kept like its ExternalSecret, valid against the ESO CRD', () => {
    const { file, object } = password(projectModel('projects/shop.yaml', { name: 'shop', containers: [{ name: 'a', image: 'x:1' }] }), 'shop-rails', 64);
    expect(file).toBe('password-shop-rails.yaml');
    expect(object).toMatchObject({ apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', metadata: { name: 'shop-rails' } });
    expect(object.spec).toEqual({ length: 64, symbols: 0, noUpper: false, allowRepeat: true });
    expect((object.metadata as { annotations: unknown }).annotations).toEqual({ 'helm.sh/resource-policy': 'keep', 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false', 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' });
    // Labels still hold substitution markers here; the CRD only constrains spec.
    expect(externalSecretsSchemaErrors({ ...object, metadata: { name: 'shop-rails' } } as KubeObject)).toEqual([]);
  });
});
