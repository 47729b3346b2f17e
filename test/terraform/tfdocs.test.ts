/**
 * terraform/README.md carries terraform-docs-style tables of every configuration between the
 * BEGIN_TF_DOCS / END_TF_DOCS markers, written by `npm run tfdocs`; they must match the .tf files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { oneLine, replaceDocs, tfdocs } from '../../generators/terraform/tfdocs.ts';
import { body, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';

let configs: Configuration[];
let readme: string;
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
  readme = readFileSync(join(TERRAFORM, 'README.md'), 'utf8');
});

describe('terraform/README.md tables', () => {
  it('GIVEN the committed README WHEN the tables are rendered again from the .tf files THEN nothing changes (run `npm run tfdocs` otherwise)', () => {
    expect(replaceDocs(readme, tfdocs(configs))).toBe(readme);
    expect(readme).toContain('| <a name="input_names"></a> [names](#input_names) |');
    expect(readme).toContain('| <a name="output_headlamp_url"></a> [headlamp_url](#output_headlamp_url) |');
  });

  it('GIVEN a variable description changed in the HCL only WHEN the tables are rendered THEN the README no longer matches', () => {
    const changed = mutate(configs, 'modules/platform', 'variables.tf', (f) => (body(f, 'variable', 'kubernetes_version').description = 'Changed.'));
    expect(replaceDocs(readme, tfdocs(changed))).not.toBe(readme);
  });

  it('GIVEN a README without its markers WHEN the tables are written THEN it fails saying how to fix it', () => {
    expect(() => replaceDocs('# terraform/\n', 'x')).toThrow(/markers <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS --> are missing/);
  });

  it('GIVEN a multi-line object type WHEN put in a table cell THEN it is one line with commas between attributes', () => {
    expect(oneLine('object({\n    a = string\n    b = optional(list(string), [])\n  })')).toBe('object({ a = string, b = optional(list(string), []) })');
  });
});
