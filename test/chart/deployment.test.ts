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
  it('GIVEN containers without a security field WHEN the Deployment is built THEN each drops privilege escalation and runs the RuntimeDefault seccomp profile', () => {
    expect(containersOf(web).map((c) => [c.name, c.securityContext])).toEqual([
      ['app', { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } }],
      ['db', { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } }],
    ]);
  });

  it('GIVEN one container opting out of both WHEN built THEN only it allows escalation and has no seccomp profile (never an explicit Unconfined, which Pod Security baseline refuses)', () => {
    const def: ProjectDefinition = { ...web, containers: [web.containers[0]!, { ...web.containers[1]!, security: { allowPrivilegeEscalation: true, seccompProfile: 'Unconfined' } }] };
    expect(containersOf(def).map((c) => [c.name, c.securityContext])).toEqual([
      ['app', { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } }],
      ['db', { allowPrivilegeEscalation: true }],
    ]);
  });

  it('GIVEN a container opting out of seccomp only WHEN built THEN it still drops privilege escalation', () => {
    const def: ProjectDefinition = { ...web, containers: [{ ...web.containers[0]!, security: { seccompProfile: 'Unconfined' } }] };
    expect(containersOf(def)[0]!.securityContext).toEqual({ allowPrivilegeEscalation: false });
  });
});

describe('development defaults', () => {
  it('GIVEN a container with a readiness port and a path WHEN built THEN requests, memory limit, pull policy and the HTTP probe are the dev defaults, with no startup probe', () => {
    const def: ProjectDefinition = { ...web, containers: [{ ...web.containers[0]!, readiness: { port: 'http', path: '/healthz' } }] };
    const [app] = containersOf(def);
    expect(app).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '128Mi' } },
      readinessProbe: { httpGet: { path: '/healthz', port: 80, scheme: 'HTTP' }, failureThreshold: 3 },
    });
    expect(app).not.toHaveProperty('startupProbe');
  });
});
