/** The published JSON Schemas are exactly what the TypeBox sources produce. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaFiles } from '../../generators/schema/schema-files.ts';
import { REPO } from '../helpers/fixtures.ts';

describe('schema/*.schema.json', () => {
  it.each(Object.entries(schemaFiles()))('GIVEN the TypeBox source WHEN %s is generated THEN the committed file is identical (else run npm run schema)', (name, text) => {
    expect(readFileSync(join(REPO, 'schema', name), 'utf8')).toBe(text);
  });

  it('GIVEN the project schema WHEN read THEN it forbids unknown fields at every object level', () => {
    const schema = JSON.parse(schemaFiles()['project.schema.json']!) as Record<string, unknown>;
    const open: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object' && n.properties && n.additionalProperties !== false) open.push(path);
      for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
    };
    walk(schema, '#');
    expect(open).toEqual([]);
  });
});
