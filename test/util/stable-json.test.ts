/** generators/util/stable-json.ts: the JSON devfleet writes into files (schemas, tfvars, chart schemas). */
import { describe, expect, it } from 'vitest';
import { stableJson } from '../../generators/util/stable-json.ts';

describe('stableJson', () => {
  it('GIVEN a value WHEN written THEN two-space indented, keys in the order given, one final newline', () => {
    expect(stableJson({ b: 1, a: [true, null], c: { d: 'x' } })).toBe('{\n  "b": 1,\n  "a": [\n    true,\n    null\n  ],\n  "c": {\n    "d": "x"\n  }\n}\n');
    expect(stableJson([])).toBe('[]\n');
  });
});
