/**
 * terraform/ is in `terraform fmt` canonical style (the real Terraform formatter, pinned and built by
 * scripts/install-tools.sh).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyOfTerraform, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { runTool } from '../helpers/terraform-tools.ts';

describe('terraform fmt', () => {
  it('GIVEN terraform/ WHEN checked with terraform fmt -check -recursive THEN no file needs formatting', () => {
    const run = runTool('terraform', ['fmt', '-check', '-recursive', '-diff'], TERRAFORM);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(0);
  });

  it('GIVEN a copy with one attribute misaligned WHEN checked THEN terraform fmt names that file and fails', () => {
    const copy = copyOfTerraform();
    const file = join(copy, 'modules/platform/dns.tf');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  private_zone = false', '  private_zone=false'));
    const run = runTool('terraform', ['fmt', '-check', '-recursive'], copy);
    expect(run.stdout.trim()).toBe('modules/platform/dns.tf');
    expect(run.code).toBe(3);
  });
});
