/** The env's Service (generators/chart/service.ts). */
import { describe, expect, it } from 'vitest';
import { service } from '../../generators/chart/service.ts';
import { projectModel } from '../../generators/plan/model.ts';

describe('Service', () => {
  it('GIVEN two containers with TCP and UDP ports WHEN built THEN a ClusterIP Service with every port under its name, number and protocol, selecting the env\'s Pods', () => {
    const project = projectModel('projects/dns.yaml', {
      name: 'dns',
      containers: [
        { name: 'a', image: 'x:1', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] },
        { name: 'b', image: 'x:1', ports: [{ name: 'http', port: 8080 }] },
      ],
    });
    const spec = service(project)!.object.spec as Record<string, unknown>;
    expect(spec.type).toBe('ClusterIP');
    expect(spec.ports).toEqual([
      { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
      { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' },
    ]);
    expect(Object.keys(spec.selector as object)).toEqual(['app.kubernetes.io/name', 'app.kubernetes.io/instance']);
  });

  it('GIVEN no container port WHEN built THEN there is no Service', () => {
    expect(service(projectModel('projects/w.yaml', { name: 'w', containers: [{ name: 'a', image: 'x:1' }] }))).toBeUndefined();
  });
});
