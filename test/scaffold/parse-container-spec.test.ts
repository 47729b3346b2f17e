/** generators/scaffold/parse-container-spec.ts: the one-line container format of `devfleet new --container` and the issue form. */
import { describe, expect, it } from 'vitest';
import { CONTAINER_SPEC_EXAMPLE, parseContainerSpec } from '../../generators/scaffold/parse-container-spec.ts';

describe('parseContainerSpec', () => {
  it('GIVEN name, image, repeated ports and requests, spaced freely WHEN parsed THEN the container definition, ports in order', () => {
    expect(parseContainerSpec(' name=web, image=nginx:1.27 ,port=http:80, port=metrics:9090, cpu=100m, memory=256Mi,')).toEqual({
      container: { name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }], resources: { cpu: '100m', memory: '256Mi' } },
      problems: [],
    });
    expect(parseContainerSpec(CONTAINER_SPEC_EXAMPLE).container).toEqual({ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] });
    expect(parseContainerSpec('name=w,image=redis:7').container).toEqual({ name: 'w', image: 'redis:7' });
  });

  it('GIVEN each kind of mistake WHEN parsed THEN no container, and one problem per mistake saying how to write it', () => {
    expect(parseContainerSpec(' , ')).toEqual({ problems: [`is empty; write it as ${CONTAINER_SPEC_EXAMPLE}`] });
    const { container, problems } = parseContainerSpec('web, name=a, name=b, image=, size=1, port=80, tag=x=y');
    expect(container).toBeUndefined();
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/is not key=value; write the container as name=web,image=nginx:1\.27,port=http:80$/);
    expect(problems).toContain('name is given twice; give it once (only port may repeat)');
    expect(problems).toContain(`image is empty; give a value, e.g. ${CONTAINER_SPEC_EXAMPLE}`);
    expect(problems.some((p) => /^unknown key .*size.*; the keys are name, image, port, cpu, memory/.test(p))).toBe(true);
    expect(problems.some((p) => /^port .*80.* must be NAME:NUMBER, e\.g\. port=http:80$/.test(p))).toBe(true);
    expect(problems.some((p) => /holds more than one key=value; separate the pairs with commas/.test(p))).toBe(true);
  });

  it('GIVEN no name or no image WHEN parsed THEN each missing one is named once', () => {
    expect(parseContainerSpec('cpu=1').problems).toEqual([`name= is missing; write the container as ${CONTAINER_SPEC_EXAMPLE}`, `image= is missing; write the container as ${CONTAINER_SPEC_EXAMPLE}`]);
  });
});
