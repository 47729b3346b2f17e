/**
 * generators/plan/model.ts: definitions with every default applied, what the generators read.
 * A default is taken from its one home (schema/), a value the definition gives is kept as given.
 */
import { describe, expect, it } from 'vitest';
import { clusterModel, defaultEphemeralStorageLimit, emptyDirSizes, ownVolumes, projectModel, sharedVolumeOf } from '../../generators/plan/model.ts';
import { ARGOCD_URL_DEFAULT, INGRESS_DEFAULTS, KUBERNETES_VERSION_DEFAULT, NAMESPACE_PREFIX_DEFAULT, NETWORK_DEFAULTS, QUOTA_DEFAULTS, STORAGE_CLASS_DEFAULT } from '../../generators/schema/cluster.ts';
import { CONTAINER_DEFAULTS, SECURITY_DEFAULTS } from '../../generators/schema/project.ts';

const minimal = { name: 'web', containers: [{ name: 'web', image: 'nginx:1.27' }] };

describe('projectModel', () => {
  it('GIVEN a project with only a name and a container WHEN modelled THEN every default comes from schema/project.ts', () => {
    const model = projectModel('projects/web.yaml', minimal as never);
    expect(model).toMatchObject({ file: 'projects/web.yaml', name: 'web', description: '', routes: [], developers: 'all', schedule: undefined, swap: undefined, aws: undefined, secrets: [] });
    const [web] = model.containers;
    expect(web).toMatchObject({ name: 'web', image: 'nginx:1.27', command: undefined, args: undefined, env: [], ports: [], volumes: [], readiness: undefined });
    expect(web!.resources).toEqual({
      cpu: CONTAINER_DEFAULTS.cpu,
      memory: CONTAINER_DEFAULTS.memory,
      memoryLimit: CONTAINER_DEFAULTS.memory,
      ephemeralStorage: CONTAINER_DEFAULTS.ephemeralStorage,
      ephemeralStorageLimit: CONTAINER_DEFAULTS.ephemeralStorageLimit,
    });
    expect(web!.security).toEqual(SECURITY_DEFAULTS);
  });

  it('GIVEN ports, routes, volumes and resources WHEN modelled THEN given values stay, TCP and "/" fill in, and memoryLimit follows memory', () => {
    const model = projectModel('projects/web.yaml', {
      name: 'web',
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }],
          resources: { cpu: '1', memory: '1Gi' },
          volumes: [{ path: '/var/lib/data', persistent: true, size: '5Gi' }, { path: '/tmp' }],
        },
      ],
      routes: [{ host: 'web.com', port: 'http' }, { host: 'api.web.com', port: 'http', path: '/api', subdomain: 'api' }],
      developers: ['ann'],
    } as never);
    const [web] = model.containers;
    expect(web!.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }]);
    expect(web!.resources).toMatchObject({ cpu: '1', memory: '1Gi', memoryLimit: '1Gi' });
    expect(web!.volumes.map((v) => [v.path, v.persistent, v.size, v.claimName])).toEqual([
      ['/var/lib/data', true, '5Gi', undefined],
      ['/tmp', false, CONTAINER_DEFAULTS.volumeSize, undefined],
    ]);
    expect(model.routes.map((r) => [r.host, r.path, r.label])).toEqual([
      ['web.com', '/', model.routes[0]!.label],
      ['api.web.com', '/api', 'api'],
    ]);
    expect(model.developers).toEqual(['ann']);
  });

  it('GIVEN env values reading Secrets, one declared generated, one shared, one undeclared WHEN modelled THEN each Secret once, sorted, with its source', () => {
    const model = projectModel('projects/web.yaml', {
      name: 'web',
      containers: [
        { name: 'a', image: 'nginx:1.27', env: { Z: { secret: 'zeta', key: 'k' }, DB: { secret: 'db', key: 'password' }, PLAIN: 'yes' } },
        { name: 'b', image: 'nginx:1.27', env: { DB: { secret: 'db', key: 'user' }, API: { secret: 'api', key: 'token' } } },
      ],
      secrets: { db: { generate: 'password' }, api: { remoteKey: 'shared/api', shareWith: ['other'] } },
    } as never);
    expect(model.secrets).toEqual([
      { name: 'api', kind: 'secrets-manager', remoteKey: 'shared/api', shareWith: ['other'] },
      { name: 'db', kind: 'generated-password', length: 32 },
      { name: 'zeta', kind: 'secrets-manager', remoteKey: undefined, shareWith: [] },
    ]);
    expect(model.containers[0]!.env).toEqual([
      ['Z', { secret: 'zeta', key: 'k' }],
      ['DB', { secret: 'db', key: 'password' }],
      ['PLAIN', 'yes'],
    ]);
  });
});

describe('volumes several containers share', () => {
  const project = projectModel('projects/cloud.yaml', {
    name: 'cloud',
    containers: [
      { name: 'app', image: 'nextcloud:30', volumes: [{ path: '/var/www/html', persistent: true, claimName: 'cloud-html' }, { path: '/tmp', claimName: 'cloud-tmp' }] },
      { name: 'cron', image: 'nextcloud:30', volumes: [{ path: '/tmp', claimName: 'cloud-tmp' }, { path: '/srv/html', persistent: true, claimName: 'cloud-html' }, { path: '/data', persistent: true }] },
    ],
  });

  it('GIVEN two containers\' persistent volumes with one claimName WHEN asked THEN the later shares the first one\'s; an emptyDir, a first sharer and a volume without claimName share nothing', () => {
    expect(sharedVolumeOf(project, { container: 1, volume: 1 })).toEqual({ container: 0, volume: 0 });
    expect(sharedVolumeOf(project, { container: 0, volume: 0 })).toBeUndefined();
    // claimName on an emptyDir is validate's to refuse; it shares nothing.
    expect(sharedVolumeOf(project, { container: 1, volume: 0 })).toBeUndefined();
    expect(sharedVolumeOf(project, { container: 1, volume: 2 })).toBeUndefined();
  });

  it('GIVEN the same project WHEN its own volumes are listed THEN every volume but the sharer, in container order', () => {
    expect(ownVolumes(project).map((o) => `${o.containerModel.name}/${o.volumeModel.name}`)).toEqual(['app/html', 'app/tmp', 'cron/tmp', 'cron/data']);
  });
});

describe('ephemeral storage of a container', () => {
  it('GIVEN emptyDirs WHEN the default limit is computed THEN it is the base default plus each emptyDir, persistent volumes not counted', () => {
    const volumes = [
      { name: 'a', path: '/a', persistent: false, size: '1Gi', claimName: undefined, subPath: undefined },
      { name: 'b', path: '/b', persistent: true, size: '50Gi', claimName: undefined, subPath: undefined },
      { name: 'c', path: '/c', persistent: false, size: '512Mi', claimName: undefined, subPath: undefined },
    ];
    expect(emptyDirSizes(volumes)).toHaveLength(2);
    expect(CONTAINER_DEFAULTS.ephemeralStorageLimit).toBe('2Gi');
    expect(defaultEphemeralStorageLimit(volumes)).toBe('3584Mi');
    expect(defaultEphemeralStorageLimit([])).toBe('2Gi');
    const model = projectModel('projects/web.yaml', { name: 'web', containers: [{ name: 'web', image: 'nginx:1.27', volumes: [{ path: '/tmp', size: '1Gi' }] }] } as never);
    expect(model.containers[0]!.resources.ephemeralStorageLimit).toBe('3Gi');
  });
});

describe('clusterModel', () => {
  const def = { name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.com/fleet.git' } };

  it('GIVEN a cluster with only its required fields WHEN modelled THEN every default comes from schema/cluster.ts', () => {
    const model = clusterModel('clusters/lab.yaml', def as never);
    expect(model.argocd).toEqual({ repoURL: 'https://git.example.com/fleet.git', targetRevision: 'main', namespace: 'argocd', url: ARGOCD_URL_DEFAULT });
    expect(model.namespacePrefix).toBe(NAMESPACE_PREFIX_DEFAULT);
    expect(model.quota).toEqual(QUOTA_DEFAULTS);
    expect(model.ingress).toEqual({ ...INGRESS_DEFAULTS, sourceCidrs: [], sso: undefined });
    expect(model.network.loadBalancerCidrs).toEqual(NETWORK_DEFAULTS.loadBalancerCidrs);
    expect(model.kubernetesVersion).toBe(KUBERNETES_VERSION_DEFAULT);
    expect(model.storageClass).toBe(STORAGE_CLASS_DEFAULT);
    expect(model.aws).toEqual({ allowedPolicies: [], permissionsBoundary: undefined });
    expect(model.admins).toEqual([]);
    expect(model.developers).toEqual([{ name: 'ann', email: undefined, iam: undefined, schedule: undefined }]);
  });

  it('GIVEN a quota with one field and an ingress mode WHEN modelled THEN those are kept and the rest default, field by field', () => {
    const model = clusterModel('clusters/lab.yaml', { ...def, quota: { cpu: '64' }, ingress: { mode: 'ingress-groups', groups: 3 }, argocd: { ...def.argocd, targetRevision: 'dev' } } as never);
    expect(model.quota).toEqual({ ...QUOTA_DEFAULTS, cpu: '64' });
    expect(model.ingress).toMatchObject({ mode: 'ingress-groups', groups: 3, className: INGRESS_DEFAULTS.className, scheme: INGRESS_DEFAULTS.scheme });
    expect(model.argocd.targetRevision).toBe('dev');
  });
});
