import { describe, expect, it } from 'vitest';
import { addQuantities, compareQuantities, formatBytes, formatCpu, parseQuantity } from '../../generators/util/quantity.ts';

const bytes = (text: string) => formatBytes(parseQuantity(text));
const cpu = (text: string) => formatCpu(parseQuantity(text));

describe('parseQuantity', () => {
  it.each([
    ['0', 0n, 1n],
    ['1', 1n, 1n],
    ['500m', 1n, 2n],
    ['0.5', 1n, 2n],
    ['.5', 1n, 2n],
    ['1.', 1n, 1n],
    ['2.25', 9n, 4n],
    ['1Ki', 1024n, 1n],
    ['1.5Gi', 1610612736n, 1n],
    ['1k', 1000n, 1n],
    ['1M', 1000000n, 1n],
    ['2e3', 2000n, 1n],
    ['2E-3', 1n, 500n],
    ['100n', 1n, 10000000n],
    ['3u', 3n, 1000000n],
    ['1Ei', 1n << 60n, 1n],
    ['-1', -1n, 1n],
    ['+1.5', 3n, 2n],
  ])('GIVEN %j WHEN parsed THEN it is exactly %s/%s', (text, numerator, denominator) => {
    expect(parseQuantity(text)).toEqual({ numerator, denominator });
  });

  it.each(['', '1GB', '1 Gi', 'Gi', '1.2.3', '1e', '0x10', 'm', '1mi'])('GIVEN %j WHEN parsed THEN it is refused', (text) => {
    expect(() => parseQuantity(text)).toThrow(`"${text}" is not a Kubernetes quantity`);
  });
});

describe('arithmetic', () => {
  it('GIVEN 1.5Gi and 512Mi WHEN added THEN the sum is exactly 2Gi', () => {
    expect(formatBytes(addQuantities(parseQuantity('1.5Gi'), parseQuantity('512Mi')))).toBe('2Gi');
  });

  it('GIVEN 100m three times WHEN added THEN the sum is exactly 300m (no floating point)', () => {
    expect(formatCpu(addQuantities(parseQuantity('100m'), parseQuantity('100m'), parseQuantity('100m')))).toBe('300m');
  });

  it.each([
    ['1Gi', '1024Mi', 0],
    ['1G', '1Gi', -1],
    ['1.5', '1500m', 0],
    ['999m', '1', -1],
    ['2e3', '1k', 1],
  ])('GIVEN %s and %s WHEN compared THEN the result is %i', (a, b, expected) => {
    expect(compareQuantities(parseQuantity(a), parseQuantity(b))).toBe(expected);
  });

  it('GIVEN nothing WHEN added THEN the sum is 0', () => {
    expect(addQuantities()).toEqual({ numerator: 0n, denominator: 1n });
  });
});

describe('formatting', () => {
  it.each([
    ['2Gi', '2Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['1G', '1000000000'],
    ['1000Ki', '1000Ki'],
    ['0', '0'],
    ['0.5', '0.5'],
  ])('GIVEN %s WHEN formatted as bytes THEN it reads %s', (text, expected) => {
    expect(bytes(text)).toBe(expected);
  });

  it.each([
    ['2', '2'],
    ['2500m', '2500m'],
    ['0.25', '250m'],
    ['100n', '0.0000001'],
  ])('GIVEN %s WHEN formatted as CPU THEN it reads %s', (text, expected) => {
    expect(cpu(text)).toBe(expected);
  });
});
