/** Compose's interpolation (generators/compose/interpolate.ts), case by case from the Compose Specification. */
import { describe, expect, it } from 'vitest';
import { interpolate, InterpolationError } from '../../generators/compose/interpolate.ts';

const vars = new Map([
  ['SET', 'value'],
  ['EMPTY', ''],
  ['PORT', '8080'],
]);
const value = (text: string) => interpolate(text, vars).value;

describe('interpolate', () => {
  it('GIVEN $VAR and ${VAR} WHEN interpolated THEN both take the value, inside other text', () => {
    expect(value('a-$SET-b')).toBe('a-value-b');
    expect(value('${SET}x')).toBe('valuex');
    expect(value('$PORT:80')).toBe('8080:80');
  });

  it('GIVEN :- and - defaults WHEN the variable is unset, empty or set THEN :- covers unset and empty, - only unset', () => {
    expect([value('${NOPE:-d}'), value('${EMPTY:-d}'), value('${SET:-d}')]).toEqual(['d', 'd', 'value']);
    expect([value('${NOPE-d}'), value('${EMPTY-d}'), value('${SET-d}')]).toEqual(['d', '', 'value']);
  });

  it('GIVEN :+ and + WHEN the variable is set or not THEN the replacement is used only when set', () => {
    expect([value('${SET:+yes}'), value('${EMPTY:+yes}'), value('${EMPTY+yes}'), value('${NOPE+yes}')]).toEqual(['yes', '', 'yes', '']);
  });

  it('GIVEN a nested default WHEN interpolated THEN the default is interpolated too', () => {
    expect(value('${NOPE:-${SET}-${PORT}}')).toBe('value-8080');
  });

  it('GIVEN $$ WHEN interpolated THEN it is one literal $, never a variable', () => {
    expect(value('$$SET and $${SET} and cost $$5')).toBe('$SET and ${SET} and cost $5');
  });

  it('GIVEN a required variable WHEN it is unset or empty THEN InterpolationError says which and what to do', () => {
    expect(() => value('${NOPE:?give the database password}')).toThrow(new InterpolationError('variable NOPE is required: give the database password; set it in the .env file next to the compose file'));
    expect(() => value('${EMPTY:?x}')).toThrow(InterpolationError);
    expect(value('${EMPTY?x}')).toBe('');
  });

  it('GIVEN an unset variable without default WHEN interpolated THEN it is empty and reported once', () => {
    expect(interpolate('$NOPE ${NOPE} $OTHER', vars)).toEqual({ value: '  ', unset: ['NOPE', 'OTHER'] });
  });

  it('GIVEN malformed braces WHEN interpolated THEN InterpolationError, not a crash', () => {
    expect(() => value('${SET')).toThrow(/without its closing/);
    expect(() => value('${1X}')).toThrow(/does not start with a variable name/);
    expect(() => value('${SET/x}')).toThrow(/not an interpolation Compose knows/);
  });

  it('GIVEN a lone $ WHEN interpolated THEN it stays', () => {
    expect(value('a $ b $')).toBe('a $ b $');
  });
});
