/**
 * TFLint with every rule of its bundled Terraform ruleset (terraform/.tflint.hcl): documented and
 * typed variables, documented outputs, pinned module versions, required_version and provider
 * versions, the standard module structure, no unused declarations.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyOfTerraform, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { runTool } from '../helpers/terraform-tools.ts';

const tflint = (dir: string) => {
  const run = runTool('tflint', ['--recursive', `--config=${join(dir, '.tflint.hcl')}`, '--format=json', '--no-color'], dir);
  const report = JSON.parse(run.stdout) as { issues: { rule: { name: string }; range: { filename: string } }[]; errors: unknown[] };
  return { code: run.code, issues: report.issues.map((i) => `${i.range.filename}: ${i.rule.name}`), errors: report.errors };
};

describe('tflint', () => {
  it('GIVEN terraform/ WHEN linted with the bundled Terraform ruleset (preset all) THEN there is no issue', () => {
    expect(tflint(TERRAFORM)).toEqual({ code: 0, issues: [], errors: [] });
  });

  it('GIVEN a copy with an undocumented variable and an unused local WHEN linted THEN both are reported', () => {
    const copy = copyOfTerraform();
    const variables = join(copy, 'modules/platform/variables.tf');
    const edit = (file: string, change: (text: string) => string) => {
      const before = readFileSync(file, 'utf8');
      const after = change(before);
      expect(after).not.toBe(before);
      writeFileSync(file, after);
    };
    edit(variables, (t) => t.replace(/(variable "ingress_scheme" \{\n)  description = "[^"]*"\n/, '$1'));
    edit(join(copy, 'modules/platform/main.tf'), (t) => t.replace('locals {\n', 'locals {\n  forgotten = true\n'));
    const result = tflint(copy);
    expect(result.code).not.toBe(0);
    expect(result.issues).toEqual(
      expect.arrayContaining(['modules/platform/main.tf: terraform_unused_declarations', 'modules/platform/variables.tf: terraform_documented_variables']),
    );
  });
});
