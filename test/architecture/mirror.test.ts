/**
 * Tests mirror the code they test (generators/README.md "Conventions"): `test/<dir>/<file>.test.ts`
 * tests `generators/<dir>/<file>.ts`, and `test/<dir>/<file>.<aspect>.test.ts` one aspect of it
 * (e.g. `synth/write-tree.atomic.test.ts`). The folders below test something else, and say what.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/fixtures.ts';

/** Test folders that do not mirror generators/, and what each mirrors instead. */
export const NOT_MIRRORED: Readonly<Record<string, string>> = {
  acceptance: 'the product as a whole: generated trees against the real schemas and unseen definition sets',
  architecture: 'generators/README.md: the layers and the conventions',
  bin: 'bin/: the build and the freshness of dist/',
  docs: 'README.md and docs/: the claims a command can check, and the links',
  e2e: 'the real-cluster tier (npm run test:e2e): a real Argo CD syncing the tree',
  integration: 'the real API server tier (npm run test:e2e)',
  hcl: "terraform/'s HCL: test/hcl/<file>.test.ts tests terraform/modules/platform/<file>.tf; conventions, fmt, TFLint, checkov the whole tree",
  workflows: '.github/: workflows and CODEOWNERS',
  helpers: 'shared test helpers (not tests)',
  fixtures: 'definition sets and vendored CRDs (not tests)',
};

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return testFiles(path);
    return entry.endsWith('.test.ts') ? [relative(join(REPO, 'test'), path).split('\\').join('/')] : [];
  });
}

/** The module a mirrored test file tests, or undefined for a test in a folder that mirrors something else. */
export function mirroredModule(testFile: string): string | undefined {
  if (NOT_MIRRORED[testFile.split('/')[0]!] !== undefined) return undefined;
  const base = testFile.replace(/\.test\.ts$/, '');
  const name = base.split('/').pop()!;
  const module = name.includes('.') ? base.slice(0, base.length - name.length) + name.slice(0, name.indexOf('.')) : base;
  return `generators/${module}.ts`;
}

describe('test files mirror generators/', () => {
  it('GIVEN every test file WHEN its path is read THEN it names the module it tests, or sits in a folder that says what it tests instead', () => {
    const orphans = testFiles(join(REPO, 'test')).flatMap((file) => {
      const module = mirroredModule(file);
      return module === undefined || existsSync(join(REPO, module)) ? [] : [`test/${file}: no ${module}; name the test after the module it tests, or move it to one of test/{${Object.keys(NOT_MIRRORED).join(',')}}/`];
    });
    expect(orphans).toEqual([]);
  });

  it('GIVEN names of both kinds WHEN mapped THEN a module test, an aspect of it, and an unmirrored folder are told apart', () => {
    expect(mirroredModule('synth/write-tree.test.ts')).toBe('generators/synth/write-tree.ts');
    expect(mirroredModule('synth/write-tree.atomic.test.ts')).toBe('generators/synth/write-tree.ts');
    expect(mirroredModule('cli/commands/up-down.test.ts')).toBe('generators/cli/commands/up-down.ts');
    expect(mirroredModule('acceptance/fleet-unseen.test.ts')).toBeUndefined();
  });
});
