/** The env's ServiceAccount (generators/chart/service-account.ts). */
import { describe, expect, it } from 'vitest';
import { serviceAccount } from '../../generators/chart/service-account.ts';
import { projectModel } from '../../generators/plan/model.ts';

describe('ServiceAccount', () => {
  it('GIVEN a project WHEN its ServiceAccount is built THEN it does not mount an API token and carries the env labels', () => {
    const { file, object } = serviceAccount(projectModel('projects/web.yaml', { name: 'web', containers: [{ name: 'a', image: 'x:1' }] }));
    expect(file).toBe('serviceaccount.yaml');
    expect(object).toMatchObject({ apiVersion: 'v1', kind: 'ServiceAccount', automountServiceAccountToken: false, metadata: { labels: { 'devfleet.dev/project': 'web', 'app.kubernetes.io/name': 'web' } } });
  });
});
