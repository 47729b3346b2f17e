/** The PVCs of persistent volumes (generators/chart/persistent-volume-claim.ts). */
import { describe, expect, it } from 'vitest';
import { persistentVolumeClaims } from '../../generators/chart/persistent-volume-claim.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';

describe('PersistentVolumeClaims', () => {
  it('GIVEN a persistent volume with a size, one without and a scratch volume WHEN built THEN two ReadWriteOnce claims on the cluster\'s class, sizes exact (default 1Gi), kept by Helm and Argo CD, ignored by Argo CD once extraneous', () => {
    const cluster = clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' }, storageClass: 'efs-sc' });
    const project = projectModel('projects/db.yaml', {
      name: 'db',
      containers: [{ name: 'pg', image: 'postgres:17.2', volumes: [{ path: '/data', name: 'data', persistent: true, size: '1.5Gi' }, { path: '/wal', persistent: true }, { path: '/tmp' }] }],
    });
    const claims = persistentVolumeClaims(cluster, project);
    expect(claims.map((c) => c.file)).toEqual(['persistentvolumeclaim-pg-data.yaml', 'persistentvolumeclaim-pg-wal.yaml']);
    expect(claims.map((c) => c.object.spec)).toEqual([
      { accessModes: ['ReadWriteOnce'], storageClassName: 'efs-sc', resources: { requests: { storage: '1.5Gi' } } },
      { accessModes: ['ReadWriteOnce'], storageClassName: 'efs-sc', resources: { requests: { storage: '1Gi' } } },
    ]);
    // Kept when the volume is removed, the PVC must not hold its Application OutOfSync (IgnoreExtraneous).
    for (const claim of claims) {
      expect((claim.object.metadata as { annotations: unknown }).annotations).toEqual({
        'helm.sh/resource-policy': 'keep',
        'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
        'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
      });
    }
  });

  it('GIVEN two containers whose persistent volumes name one claimName WHEN built THEN one claim, the first volume\'s, and a third volume\'s claim of its own', () => {
    const cluster = clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' } });
    const project = projectModel('projects/cloud.yaml', {
      name: 'cloud',
      containers: [
        { name: 'app', image: 'nextcloud:30', volumes: [{ path: '/var/www/html', persistent: true, size: '2Gi', claimName: 'cloud-html' }] },
        { name: 'cron', image: 'nextcloud:30', volumes: [{ path: '/var/www/html', persistent: true, size: '2Gi', claimName: 'cloud-html' }, { path: '/data', persistent: true }] },
      ],
    });
    const claims = persistentVolumeClaims(cluster, project);
    expect(claims.map((c) => [c.file, (c.object.metadata as { name: string }).name])).toEqual([
      ['persistentvolumeclaim-app-html.yaml', 'cloud-html'],
      ['persistentvolumeclaim-cron-data.yaml', expect.stringMatching(/-cron-data$/)],
    ]);
  });
});
