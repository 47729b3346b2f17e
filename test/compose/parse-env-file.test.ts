/** Env files as Compose reads them (generators/compose/parse-env-file.ts). */
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../generators/compose/parse-env-file.ts';

describe('parseEnvFile', () => {
  it('GIVEN assignments, quotes, export, comments and blank lines WHEN parsed THEN the values are what Compose reads', () => {
    const parsed = parseEnvFile('# comment\n\nA=1\nexport B = two words # note\nC=\'$NOT #interpolated\'\nD="line\\nbreak \\"q\\""\nE=\nweb.port=80\r\n');
    expect(Object.fromEntries(parsed.values)).toEqual({ A: '1', B: 'two words', C: '$NOT #interpolated', D: 'line\nbreak "q"', E: '', 'web.port': '80' });
    expect(parsed.badLines).toEqual([]);
  });

  it('GIVEN a name without a value and a broken line WHEN parsed THEN the name is listed as from the shell and the line as bad', () => {
    const parsed = parseEnvFile('FROM_SHELL\n=nope\nQ="unterminated\n');
    expect(parsed.fromShell).toEqual(['FROM_SHELL']);
    expect(parsed.badLines).toEqual([2, 3]);
    expect(parsed.values.size).toBe(0);
  });
});
