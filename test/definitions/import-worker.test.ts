import { describe, expect, it } from 'vitest';
import { firstNonData } from '../../generators/definitions/import-worker.ts';

describe('firstNonData', () => {
  it('GIVEN plain data WHEN walked THEN nothing is reported', () => {
    expect(firstNonData({ name: 'a', containers: [{ ports: [{ port: 80 }] }], on: true, none: null })).toBeUndefined();
  });

  it.each([
    ['a function in a list', { containers: [{ command: ['x', () => 1] }] }, ['containers', 0, 'command', 1], 'a function'],
    ['a symbol as a value', { name: Symbol('x') }, ['name'], 'a symbol'],
    ['a Promise (an async value not awaited)', { description: Promise.resolve('x') }, ['description'], 'a Promise (await it before exporting)'],
    ['a function as the whole export', () => ({}), [], 'a function'],
  ])('GIVEN %s WHEN walked THEN its path and kind are reported', (_, value, path, what) => {
    expect(firstNonData(value)).toEqual({ path, what });
  });

  it('GIVEN an object that refers to itself WHEN walked THEN the walk ends', () => {
    const value: Record<string, unknown> = { name: 'a' };
    value.self = value;
    expect(firstNonData(value)).toBeUndefined();
  });
});
