/** The Compose Specification's JSON Schema (generators/compose/check-compose-schema.ts). */
import { describe, expect, it } from 'vitest';
import { checkComposeSchema } from '../../generators/compose/check-compose-schema.ts';

describe('checkComposeSchema', () => {
  it('GIVEN a valid file WHEN checked THEN nothing is reported', () => {
    expect(checkComposeSchema({ services: { web: { image: 'nginx:1.27', ports: ['80:80'], environment: { A: 1 } } }, volumes: { data: null } })).toEqual([]);
  });

  it('GIVEN a misspelt field and a wrong type WHEN checked THEN each field is named with a fix', () => {
    const problems = checkComposeSchema({ services: { web: { image: 'nginx:1.27', portz: ['80:80'], restart: ['always'] } } });
    expect(problems.map((p) => p.segments.join('.'))).toEqual(expect.arrayContaining(['services.web.portz', 'services.web.restart']));
    expect(problems.find((p) => p.segments.at(-1) === 'portz')?.message).toMatch(/^is not a field Compose knows; fix its spelling/);
    expect(problems.find((p) => p.segments.at(-1) === 'restart')?.message).toMatch(/^must be string/);
  });

  it('GIVEN a field that fails beside fields the schema declares (a list of environment with one item twice) WHEN checked THEN only that field is named, with what is wrong, never its declared neighbours as unknown', () => {
    const problems = checkComposeSchema({ services: { kutt: { image: 'kutt/kutt:v3.2.6', volumes: ['./data:/data'], 'x-note': 1, environment: ['A=1', 'B=2', 'A=1'] } } });
    expect(problems).toEqual([{ segments: ['services', 'kutt', 'environment'], message: expect.stringMatching(/^lists the same item twice \(items 0 and 2\), which Compose refuses; remove one/) }]);
  });
});
