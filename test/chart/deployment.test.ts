/** The env's Deployment (generators/chart/deployment.ts): development defaults and hardening. */
import { describe, expect, it } from 'vitest';
import { deployment } from '../../generators/chart/deployment.ts';
import { projectModel } from '../../generators/plan/model.ts';
import type { ProjectDefinition } from '../../generators/schema/project.ts';

type Container = { name: string; securityContext?: Record<string, unknown>; [k: string]: unknown };
const containersOf = (def: ProjectDefinition): Container[] =>
  (deployment(projectModel('projects/web.yaml', def)).object as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec.containers;

const web: ProjectDefinition = {
  name: 'web',
  containers: [
    { name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] },
    { name: 'db', image: 'postgres:17.2' },
  ],
};

describe('container hardening', () => {
  it('GIVEN containers without a security field WHEN the Deployment is built THEN each drops privilege escalation and NET_RAW and runs the RuntimeDefault seccomp profile', () => {
    expect(containersOf(web).map((c) => [c.name, c.securityContext])).toEqual([
      ['app', { allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW'] }, seccompProfile: { type: 'RuntimeDefault' } }],
      ['db', { allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW'] }, seccompProfile: { type: 'RuntimeDefault' } }],
    ]);
  });

  it('GIVEN one container opting in to NET_RAW WHEN built THEN only it keeps the capability, and its other hardening stays', () => {
    const def: ProjectDefinition = { ...web, containers: [web.containers[0]!, { ...web.containers[1]!, security: { allowNetRaw: true } }] };
    expect(containersOf(def).map((c) => [c.name, c.securityContext])).toEqual([
      ['app', { allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW'] }, seccompProfile: { type: 'RuntimeDefault' } }],
      ['db', { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } }],
    ]);
  });

  it('GIVEN one container opting out of both WHEN built THEN only it allows escalation and has no seccomp profile (never an explicit Unconfined, which Pod Security baseline refuses)', () => {
    const def: ProjectDefinition = { ...web, containers: [web.containers[0]!, { ...web.containers[1]!, security: { allowPrivilegeEscalation: true, seccompProfile: 'Unconfined' } }] };
    expect(containersOf(def).map((c) => [c.name, c.securityContext])).toEqual([
      ['app', { allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW'] }, seccompProfile: { type: 'RuntimeDefault' } }],
      ['db', { allowPrivilegeEscalation: true, capabilities: { drop: ['NET_RAW'] } }],
    ]);
  });

  it('GIVEN a container opting out of seccomp only WHEN built THEN it still drops privilege escalation', () => {
    const def: ProjectDefinition = { ...web, containers: [{ ...web.containers[0]!, security: { seccompProfile: 'Unconfined' } }] };
    expect(containersOf(def)[0]!.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW'] } });
  });
});

describe('development defaults', () => {
  it('GIVEN a container with a readiness port and a path WHEN built THEN requests, memory limit, pull policy and the HTTP probe are the dev defaults, with no startup probe', () => {
    const def: ProjectDefinition = { ...web, containers: [{ ...web.containers[0]!, readiness: { port: 'http', path: '/healthz' } }] };
    const [app] = containersOf(def);
    expect(app).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      resources: { requests: { cpu: '50m', memory: '128Mi', 'ephemeral-storage': '256Mi' }, limits: { memory: '128Mi', 'ephemeral-storage': '2Gi' } },
      readinessProbe: { httpGet: { path: '/healthz', port: 80, scheme: 'HTTP' }, failureThreshold: 3 },
    });
    expect(app).not.toHaveProperty('startupProbe');
  });

  it('GIVEN containers setting imagePullPolicy Always and Never, and one setting none WHEN built THEN each gets its own, and the one without gets IfNotPresent', () => {
    const def: ProjectDefinition = {
      ...web,
      containers: [
        { ...web.containers[0]!, image: 'nginx:latest', imagePullPolicy: 'Always' },
        { ...web.containers[1]!, imagePullPolicy: 'Never' },
        { name: 'cache', image: 'redis:7.4' },
        { name: 'queue', image: 'rabbitmq:4.0', imagePullPolicy: 'IfNotPresent' },
      ],
    };
    expect(containersOf(def).map((c) => [c.name, c.imagePullPolicy])).toEqual([
      ['app', 'Always'],
      ['db', 'Never'],
      ['cache', 'IfNotPresent'],
      ['queue', 'IfNotPresent'],
    ]);
  });
});

describe('node disk (issue 17)', () => {
  const podOf = (def: ProjectDefinition) =>
    (deployment(projectModel('projects/web.yaml', def)).object as { spec: { template: { spec: { containers: Container[]; volumes?: Record<string, unknown>[] } } } }).spec.template.spec;

  it('GIVEN non-persistent volumes with and without a size WHEN built THEN every emptyDir has a sizeLimit (the size, else 1Gi) and its container\'s default ephemeral-storage limit adds them to 2Gi', () => {
    const def: ProjectDefinition = {
      ...web,
      containers: [
        { ...web.containers[0]!, volumes: [{ path: '/var/cache/nginx' }, { path: '/tmp', size: '512Mi' }] },
        { ...web.containers[1]!, volumes: [{ path: '/var/lib/postgresql/data', persistent: true, size: '5Gi' }] },
      ],
    };
    const pod = podOf(def);
    expect(pod.volumes).toEqual([
      { name: 'app-nginx', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'app-tmp', emptyDir: { sizeLimit: '512Mi' } },
      { name: 'db-data', persistentVolumeClaim: { claimName: expect.any(String), readOnly: false } },
    ]);
    expect(pod.containers.map((c) => [c.name, (c.resources as { limits: Record<string, string> }).limits['ephemeral-storage']])).toEqual([
      ['app', '3584Mi'],
      // A PVC is not node disk: only the base default.
      ['db', '2Gi'],
    ]);
  });

  it('GIVEN an app and its cron job whose persistent volumes name one claimName, at different paths WHEN built THEN the Pod has one volume for that claim, the first one\'s, mounted by each at its own path', () => {
    const def: ProjectDefinition = {
      ...web,
      containers: [
        { ...web.containers[0]!, volumes: [{ path: '/var/www/html', persistent: true, size: '5Gi', claimName: 'web-html' }, { path: '/tmp' }] },
        { name: 'cron', image: 'nextcloud:30', volumes: [{ path: '/srv/html', name: 'www', persistent: true, size: '5Gi', claimName: 'web-html' }] },
      ],
    };
    const pod = podOf(def);
    expect(pod.volumes).toEqual([
      { name: 'app-html', persistentVolumeClaim: { claimName: 'web-html', readOnly: false } },
      { name: 'app-tmp', emptyDir: { sizeLimit: '1Gi' } },
    ]);
    expect(pod.containers.map((c) => [c.name, c.volumeMounts])).toEqual([
      ['app', [{ name: 'app-html', mountPath: '/var/www/html' }, { name: 'app-tmp', mountPath: '/tmp' }]],
      ['cron', [{ name: 'app-html', mountPath: '/srv/html' }]],
    ]);
  });

  it('GIVEN one claim mounted whole at one path and at a folder inside it (subPath) at another, by one container and by a second WHEN built THEN the Pod has one volume for it, each mount naming its subPath', () => {
    const def: ProjectDefinition = {
      ...web,
      containers: [
        { ...web.containers[0]!, volumes: [{ path: '/etc/app', persistent: true, claimName: 'web-data' }, { path: '/var/log/app', name: 'logs', persistent: true, claimName: 'web-data', subPath: 'logs' }] },
        { name: 'cron', image: 'busybox:1.37', volumes: [{ path: '/thumbs', persistent: true, claimName: 'web-data', subPath: 'uploads/thumbs' }] },
      ],
    };
    const pod = podOf(def);
    expect(pod.volumes).toEqual([{ name: 'app-app', persistentVolumeClaim: { claimName: 'web-data', readOnly: false } }]);
    expect(pod.containers.map((c) => [c.name, c.volumeMounts])).toEqual([
      ['app', [{ name: 'app-app', mountPath: '/etc/app' }, { name: 'app-app', mountPath: '/var/log/app', subPath: 'logs' }]],
      ['cron', [{ name: 'app-app', mountPath: '/thumbs', subPath: 'uploads/thumbs' }]],
    ]);
  });

  it('GIVEN explicit ephemeral storage WHEN built THEN the request and limit are the definition\'s, volumes not added', () => {
    const def: ProjectDefinition = { ...web, containers: [{ ...web.containers[0]!, resources: { ephemeralStorage: '1Gi', ephemeralStorageLimit: '6Gi' }, volumes: [{ path: '/cache', size: '4Gi' }] }] };
    const [app] = podOf(def).containers;
    expect(app!.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi', 'ephemeral-storage': '1Gi' }, limits: { memory: '128Mi', 'ephemeral-storage': '6Gi' } });
  });
});

describe('hostAliases', () => {
  const podOf = (def: ProjectDefinition) => (deployment(projectModel('projects/web.yaml', def)).object as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;

  it('GIVEN hostAliases WHEN the Deployment is built THEN each name resolves to 127.0.0.1 in the Pod, in the definition\'s order', () => {
    expect(podOf({ ...web, hostAliases: ['db', 'backend', 'cache.local'] }).hostAliases).toEqual([{ ip: '127.0.0.1', hostnames: ['db', 'backend', 'cache.local'] }]);
  });

  it('GIVEN no hostAliases WHEN built THEN the Pod has no hostAliases field (existing charts are unchanged)', () => {
    expect(podOf(web)).not.toHaveProperty('hostAliases');
  });
});
