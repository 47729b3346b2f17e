import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../generators/cost/quantity.ts';

describe('parseQuantity', () => {
  it('GIVEN CPU quantities WHEN parsed THEN they are cores', () => {
    expect(['500m', '50m', '1', '1.5', '.25', '2000m'].map(parseQuantity)).toEqual([0.5, 0.05, 1, 1.5, 0.25, 2]);
  });

  it('GIVEN byte quantities WHEN parsed THEN binary suffixes are powers of 1024 and decimal ones powers of 1000', () => {
    expect(['128Mi', '1Gi', '5Gi', '1G', '512M', '1Ki', '100'].map(parseQuantity)).toEqual([134_217_728, 1_073_741_824, 5_368_709_120, 1e9, 512e6, 1024, 100]);
  });

  it('GIVEN text the schema refuses WHEN parsed THEN it throws naming the value', () => {
    expect(() => parseQuantity('1 Gi')).toThrow('"1 Gi" is not a Kubernetes quantity');
    expect(() => parseQuantity('1e3')).toThrow('"1e3"');
  });
});
