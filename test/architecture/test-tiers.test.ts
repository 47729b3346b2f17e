/**
 * The two test tiers (docs/testing.md): `npm test` runs every test file but HEAVY_TESTS
 * (vitest.config.ts), which need the tools `npm run test:e2e` installs. The Terraform files among
 * them are named one by one (TERRAFORM_TOOL_SUITES): exactly the files that run a Terraform tool,
 * so a test that needs none runs in `npm test`, and one that needs one is never run without it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAVY_TESTS, TERRAFORM_TOOL_SUITES } from '../../vitest.config.ts';
import { REPO } from '../helpers/fixtures.ts';

/** The helpers that run terraform, tflint or checkov. */
const TOOL_HELPERS = /from '(?:\.\.\/helpers|\.)\/terraform-(?:tools|evaluate)\.ts'/;

function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return testFiles(path);
      return entry.endsWith('.test.ts') ? [relative(REPO, path).split('\\').join('/')] : [];
    });
}

describe('test tiers', () => {
  it('GIVEN every test file WHEN its imports are read THEN the ones that run a Terraform tool are exactly TERRAFORM_TOOL_SUITES, and HEAVY_TESTS holds them', () => {
    const files = testFiles(join(REPO, 'test'));
    const tools = files.filter((file) => TOOL_HELPERS.test(readFileSync(join(REPO, file), 'utf8')));
    expect(tools.length).toBeGreaterThan(5);
    expect([...TERRAFORM_TOOL_SUITES].sort()).toEqual(tools);
    for (const file of TERRAFORM_TOOL_SUITES) expect(HEAVY_TESTS).toContain(file);
  });

  it('GIVEN the Terraform tests that need no tool WHEN the tiers are read THEN none is left out of `npm test`', () => {
    const files = testFiles(join(REPO, 'test')).filter((f) => /^test\/(hcl|terraform)\//.test(f) && !TERRAFORM_TOOL_SUITES.includes(f));
    expect(files).toContain('test/terraform/tfvars.test.ts');
    expect(files.filter((f) => HEAVY_TESTS.some((glob) => glob === f || (glob.endsWith('/**/*.test.ts') && f.startsWith(glob.slice(0, -'**/*.test.ts'.length)))))).toEqual([]);
  });
});
