import { describe, expect, it } from 'vitest';
import { developerArgocdLink, envArgocdLink } from '../../generators/plan/argocd-links.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';

const definition = {
  name: 'dev',
  domain: 'dev.example.com',
  timeZone: 'Asia/Tokyo',
  developers: [{ name: 'alice' }, { name: 'bob' }],
  argocd: { repoURL: 'https://git.example.com/fleet.git', namespace: 'gitops' },
};
const project = projectModel('projects/web.yaml', {
  name: 'web',
  containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] }],
});

describe('Argo CD links', () => {
  it('GIVEN no argocd.url WHEN an env is linked THEN its Application page on the port-forwarded UI, in the Argo CD namespace', () => {
    const plan = planFleet([clusterModel('clusters/dev.yaml', definition)], [project]).clusters[0]!;
    expect(envArgocdLink(plan.envs[0]!)).toBe('https://localhost:8080/applications/gitops/web--alice');
  });

  it('GIVEN argocd.url WHEN a developer is linked THEN the Applications list filtered by their devfleet.dev/developer label, URI-encoded as the UI reads it', () => {
    const cluster = clusterModel('clusters/dev.yaml', { ...definition, argocd: { ...definition.argocd, url: 'https://argocd.example.com' } });
    expect(developerArgocdLink(cluster, 'bob')).toBe('https://argocd.example.com/applications?labels=devfleet.dev%2Fdeveloper%3Dbob');
    // The UI splits `labels` on commas and URI-decodes each selector.
    const selectors = new URL(developerArgocdLink(cluster, 'bob')).searchParams.get('labels')!.split(',').map(decodeURIComponent);
    expect(selectors).toEqual(['devfleet.dev/developer=bob']);
  });
});
