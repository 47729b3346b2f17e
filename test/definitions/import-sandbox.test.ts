import { describe, expect, it } from 'vitest';
import { bundleFrames, errorReply, firstNonData, moduleReply } from '../../generators/definitions/import-sandbox.ts';

describe('firstNonData', () => {
  it('GIVEN plain data WHEN walked THEN nothing is reported', () => {
    expect(firstNonData({ name: 'a', containers: [{ ports: [{ port: 80 }] }], on: true, none: null })).toBeUndefined();
  });

  it.each([
    ['a function in a list', { containers: [{ command: ['x', () => 1] }] }, ['containers', 0, 'command', 1], 'a function'],
    ['a symbol as a value', { name: Symbol('x') }, ['name'], 'a symbol'],
    ['a Promise (an async value not awaited)', { description: Promise.resolve('x') }, ['description'], 'a Promise (await it before exporting)'],
    ['a function as the whole export', () => ({}), [], 'a function'],
    ['a bigint', { replicas: 1n }, ['replicas'], 'a bigint (write it as a number or a string)'],
    ['NaN', { ports: [{ port: Number.NaN }] }, ['ports', 0, 'port'], 'NaN (not a finite number)'],
    ['a Date (JSON would turn it into a string)', { since: new Date(0) }, ['since'], 'a Date (only plain objects and lists are data)'],
    ['a Map (JSON would turn it into {})', { env: new Map([['A', '1']]) }, ['env'], 'a Map (only plain objects and lists are data)'],
  ])('GIVEN %s WHEN walked THEN its path and kind are reported', (_, value, path, what) => {
    expect(firstNonData(value)).toEqual({ path, what });
  });

  it('GIVEN an object that refers to itself WHEN walked THEN the walk ends', () => {
    const value: Record<string, unknown> = { name: 'a' };
    value.self = value;
    expect(firstNonData(value)).toBeUndefined();
  });
});

describe('moduleReply', () => {
  it('GIVEN module namespaces WHEN replied THEN the default export, its absence, or its first non-data field comes back', () => {
    expect(moduleReply({ default: { name: 'a' } })).toEqual({ kind: 'value', value: { name: 'a' } });
    expect(moduleReply({ other: 1 })).toEqual({ kind: 'no-default' });
    expect(moduleReply({ default: undefined })).toEqual({ kind: 'no-default' });
    expect(moduleReply({ default: { name: () => 'a' } })).toEqual({ kind: 'not-data', path: ['name'], what: 'a function' });
  });
});

describe('errorReply and bundleFrames', () => {
  it('GIVEN an error raised in the bundle WHEN replied THEN its message and the bundle positions of its stack come back', () => {
    const error = new TypeError("Cannot read properties of null (reading 'a')");
    error.stack = `TypeError: x\n    at data:text/javascript;base64,QUJD:12:7\n    at node:internal/modules/esm/module_job:1:1\n    at data:text/javascript;base64,QUJD:30:1`;
    expect(errorReply(error)).toEqual({ kind: 'error', message: "Cannot read properties of null (reading 'a')", frames: [{ line: 12, column: 7 }, { line: 30, column: 1 }] });
    expect(bundleFrames('no frames here')).toEqual([]);
  });

  it('GIVEN a refusal of the permission model WHEN replied THEN what was refused comes along; GIVEN a thrown string THEN the string', () => {
    const denied = Object.assign(new Error('Access to this API has been restricted'), { code: 'ERR_ACCESS_DENIED', permission: 'FileSystemRead', resource: '/etc/passwd' });
    expect(errorReply(denied)).toMatchObject({ kind: 'error', denied: { permission: 'FileSystemRead', resource: '/etc/passwd' } });
    expect(errorReply('plain')).toEqual({ kind: 'error', message: 'plain', frames: [] });
  });
});
