import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { yamlLineOf } from '../../generators/util/yaml-lines.ts';

const text = ['name: web', 'containers:', '  - name: app', '    env:', '      A: "1"', 'routes: []', ''].join('\n');
const lineCounter = new LineCounter();
const doc = parseDocument(text, { lineCounter });
const lineOf = (...segments: (string | number)[]) => yamlLineOf(doc, lineCounter, segments);

describe('yamlLineOf', () => {
  it('GIVEN a scalar field WHEN located THEN its key line', () => {
    expect(lineOf('name')).toBe(1);
    expect(lineOf('containers', 0, 'env', 'A')).toBe(5);
  });

  it('GIVEN a field whose value is a map or list WHEN located THEN the key line, not the line after it', () => {
    expect(lineOf('containers')).toBe(2);
    expect(lineOf('containers', 0, 'env')).toBe(4);
  });

  it('GIVEN a list item WHEN located THEN the line where the item starts', () => {
    expect(lineOf('containers', 0)).toBe(3);
  });

  it('GIVEN a field that does not exist WHEN located THEN the nearest ancestor that does', () => {
    expect(lineOf('containers', 0, 'env', 'B')).toBe(4);
    expect(lineOf('nosuch')).toBe(1);
  });
});
