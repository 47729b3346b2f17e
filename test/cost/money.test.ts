/** generators/cost/money.ts: cents as dollars for people, the same in every locale. */
import { describe, expect, it } from 'vitest';
import { formatUsd } from '../../generators/cost/money.ts';

describe('formatUsd', () => {
  it('GIVEN integer cents WHEN formatted THEN dollars with thousands separators and two decimals', () => {
    expect([0, 5, 100, 123456, 100000000].map((c) => formatUsd(c))).toEqual(['$0.00', '$0.05', '$1.00', '$1,234.56', '$1,000,000.00']);
    expect(formatUsd(-320)).toBe('-$3.20');
  });

  it('GIVEN a change WHEN formatted with its sign THEN up is +, down is -, none has no sign', () => {
    expect([320, -320, 0].map((c) => formatUsd(c, { sign: true }))).toEqual(['+$3.20', '-$3.20', '$0.00']);
  });
});
