/** The env's ConfigMap of single files (generators/chart/config-map.ts) and their mounts (chart/deployment.ts). */
import { describe, expect, it } from 'vitest';
import { filesConfigMap } from '../../generators/chart/config-map.ts';
import { deployment } from '../../generators/chart/deployment.ts';
import { projectModel } from '../../generators/plan/model.ts';
import { podVolumes } from '../../generators/plan/namespace-objects.ts';
import type { ProjectDefinition } from '../../generators/schema/project.ts';

const def: ProjectDefinition = {
  name: 'shop',
  containers: [
    { name: 'web', image: 'nginx:1.27', files: [{ path: '/etc/nginx/nginx.conf', content: 'a {{ b }}\n' }, { path: '/run/secrets/pw', secret: 'shop-db', key: 'value' }] },
    { name: 'db', image: 'mysql:8.4', volumes: [{ path: '/var/lib/mysql', persistent: true }], files: [{ path: '/run/secrets/pw', secret: 'shop-db', key: 'value' }, { path: '/etc/token', secret: 'shop-token', key: 'token' }] },
  ],
};

describe('filesConfigMap', () => {
  it('GIVEN content files WHEN built THEN one ConfigMap "<release>-files" holds each under <container>.<index>', () => {
    const object = filesConfigMap(projectModel('projects/shop.yaml', def))!.object as { kind: string; metadata: { name: string }; data: Record<string, string> };
    expect(object.kind).toBe('ConfigMap');
    expect(object.metadata.name).toMatch(/-files$/);
    expect(object.data).toEqual({ 'web.0': 'a {{ b }}\n' });
  });

  it('GIVEN no content files WHEN built THEN there is no ConfigMap', () => {
    expect(filesConfigMap(projectModel('projects/shop.yaml', { name: 'shop', containers: [{ name: 'web', image: 'nginx:1.27' }] }))).toBeUndefined();
  });
});

describe('file mounts', () => {
  const pod = (deployment(projectModel('projects/shop.yaml', def)).object as { spec: { template: { spec: { volumes: { name: string }[]; containers: { volumeMounts: unknown[] }[] } } } }).spec.template.spec;

  it('GIVEN files WHEN the Deployment is built THEN each is mounted read-only by subPath, one Pod volume for the ConfigMap and one a Secret', () => {
    expect(pod.containers[0]!.volumeMounts).toEqual([
      { name: 'files', mountPath: '/etc/nginx/nginx.conf', subPath: 'web.0', readOnly: true },
      { name: 'secret--0', mountPath: '/run/secrets/pw', subPath: 'value', readOnly: true },
    ]);
    expect(pod.containers[1]!.volumeMounts).toEqual([
      { name: 'db-mysql', mountPath: '/var/lib/mysql' },
      { name: 'secret--0', mountPath: '/run/secrets/pw', subPath: 'value', readOnly: true },
      { name: 'secret--1', mountPath: '/etc/token', subPath: 'token', readOnly: true },
    ]);
    expect(pod.volumes.map((v) => v.name)).toEqual(['db-mysql', 'files', 'secret--0', 'secret--1']);
    expect(pod.volumes.slice(2)).toEqual([{ name: 'secret--0', secret: { secretName: 'shop-db' } }, { name: 'secret--1', secret: { secretName: 'shop-token' } }]);
  });

  it('GIVEN files WHEN the Pod volumes are listed for validate THEN the list equals the Deployment\'s volumes', () => {
    expect(podVolumes(projectModel('projects/shop.yaml', def)).map((v) => v.name)).toEqual(pod.volumes.map((v) => v.name));
  });

  it('GIVEN a Secret only mounted as a file WHEN the model is built THEN it is among the project\'s Secrets (External Secrets makes it)', () => {
    expect(projectModel('projects/shop.yaml', def).secrets.map((s) => s.name)).toEqual(['shop-db', 'shop-token']);
  });
});
