/**
 * `npm run tfdocs`: rewrites the input/output tables in terraform/README.md (between the
 * BEGIN_TF_DOCS / END_TF_DOCS markers) from the .tf files.
 * test/terraform/tfdocs.test.ts fails when the committed tables differ from what this writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigurations } from './hcl.ts';
import { replaceDocs, tfdocs } from './tfdocs.ts';

const terraform = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'terraform');
const readme = join(terraform, 'README.md');
const before = readFileSync(readme, 'utf8');
const after = replaceDocs(before, tfdocs(await loadConfigurations(terraform)));
writeFileSync(readme, after);
console.log(after === before ? 'terraform/README.md: tables already up to date' : 'terraform/README.md: tables rewritten');
