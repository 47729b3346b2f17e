import { describe, expect, it } from 'vitest';
import { serializeProject } from '../../generators/scaffold/serialize-project.ts';
import type { ProjectDefinition } from '../../generators/schema/project.ts';
import { dataOnlyProblems } from '../helpers/data-only-typescript.ts';

const goSvc = {
  name: 'go-svc',
  description: 'Go API behind nginx',
  containers: [
    { name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] },
    { name: 'api', image: 'golang:1.23', ports: [{ name: 'api', port: 8080 }], resources: { cpu: '100m', memory: '256Mi' } },
  ],
  routes: [
    { host: 'go-svc.com', port: 'http' },
    { host: 'api.go-svc.com', port: 'api', path: '/v1' },
  ],
  developers: ['alice', 'bob'],
} as ProjectDefinition;

describe('serializeProject as TypeScript', () => {
  it('GIVEN a definition WHEN written as ts THEN it reads like projects/*.ts: bare keys, single quotes, containers one field per line, several routes one per line, trailing commas', () => {
    expect(serializeProject(goSvc, 'ts')).toBe(`// Written by \`devfleet new\`: plain data, edit freely. Every field: schema/project.schema.json
import { defineProject } from 'devfleet';

export default defineProject({
  name: 'go-svc',
  description: 'Go API behind nginx',
  containers: [
    {
      name: 'web',
      image: 'nginx:1.27',
      ports: [{ name: 'http', port: 80 }],
    },
    {
      name: 'api',
      image: 'golang:1.23',
      ports: [{ name: 'api', port: 8080 }],
      resources: { cpu: '100m', memory: '256Mi' },
    },
  ],
  routes: [
    { host: 'go-svc.com', port: 'http' },
    { host: 'api.go-svc.com', port: 'api', path: '/v1' },
  ],
  developers: ['alice', 'bob'],
});
`);
    expect(dataOnlyProblems(serializeProject(goSvc, 'ts'))).toEqual([]);
  });

  it('GIVEN quotes, backslashes and non-ASCII text WHEN written THEN they are escaped inside single quotes, nothing outside printable ASCII remains', () => {
    const text = serializeProject({ ...goSvc, description: `Bob's "svc" \\ café 日本 \u202e` }, 'ts');
    expect(text).toContain(String.raw`  description: 'Bob\'s "svc" \\ caf\u00e9 \u65e5\u672c \u202e',`);
    expect(dataOnlyProblems(text)).toEqual([]);
  });

  it('GIVEN a list of one route and a value too long for one line WHEN written THEN the route stays on one line and the long list is broken up', () => {
    const long = Array.from({ length: 8 }, (_, i) => `developer-number-${i}`);
    const text = serializeProject({ ...goSvc, routes: [{ host: 'go-svc.com', port: 'http' }], developers: long } as ProjectDefinition, 'ts');
    expect(text).toContain("  routes: [{ host: 'go-svc.com', port: 'http' }],\n");
    expect(text).toContain(`  developers: [\n${long.map((d) => `    '${d}',\n`).join('')}  ],\n`);
  });

  it('GIVEN keys that are not identifiers (env names with dots or hyphens) WHEN written THEN only those are quoted', () => {
    const text = serializeProject({ ...goSvc, containers: [{ name: 'es', image: 'elasticsearch:8.15.0', env: { 'discovery.type': 'single-node', ES_JAVA_OPTS: '-Xms512m' } }] } as ProjectDefinition, 'ts');
    expect(text).toContain("      env: { 'discovery.type': 'single-node', ES_JAVA_OPTS: '-Xms512m' },\n");
    expect(dataOnlyProblems(text)).toEqual([]);
  });

  it('GIVEN a key named __proto__ WHEN written THEN it is refused (in an object literal it would set the prototype, not a field)', () => {
    const definition = JSON.parse('{"name":"x","containers":[{"name":"a","image":"a:1","env":{"__proto__":"y"}}]}') as ProjectDefinition;
    expect(() => serializeProject(definition, 'ts')).toThrow('a definition key named "__proto__" cannot be written as data; report this as a devfleet bug');
  });
});

describe('the data-only proof (test/helpers/data-only-typescript.ts) still refuses code', () => {
  const wrap = (literal: string) => `// header\nimport { defineProject } from 'devfleet';\n\nexport default defineProject(${literal});\n`;
  it.each([
    ["{ name: 'x', image }", 'property is not key: value: image'],
    ["{ name: process.env.HOME }", 'PropertyAccessExpression is not a literal: process.env.HOME'],
    ["{ name: `x${1}` }", 'TemplateExpression is not a literal: `x${1}`'],
    ["{ ['na' + 'me']: 'x' }", "property is not key: value: ['na' + 'me']: 'x'"],
    ["{ __proto__: { name: 'x' } }", "property sets the prototype: __proto__: { name: 'x' }"],
    ["{ name: x() }", 'CallExpression is not a literal: x()'],
  ])('GIVEN %s WHEN proven THEN it names the problem', (literal, problem) => {
    expect(dataOnlyProblems(wrap(literal))).toEqual([problem]);
  });
});
