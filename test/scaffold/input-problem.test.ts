/** generators/scaffold/input-problem.ts: what the user typed, echoed in a message never whole. */
import { describe, expect, it } from 'vitest';
import { quote } from '../../generators/scaffold/input-problem.ts';

describe('quote', () => {
  it('GIVEN short input WHEN quoted THEN it is shown as JSON, escapes included', () => {
    expect(quote('web')).toBe('"web"');
    expect(quote('a"b\n')).toBe('"a\\"b\\n"');
  });

  it('GIVEN long input WHEN quoted THEN it is cut after 56 characters, the cut and the closing quote shown', () => {
    const shown = quote('x'.repeat(1000));
    expect(shown).toBe(`"${'x'.repeat(56)}..."`);
    expect(shown).toHaveLength(61);
  });
});
