/**
 * `npm run schema`: writes schema/*.schema.json from the TypeBox sources.
 * test/schema/schema-files.test.ts fails when the committed files differ from what this writes.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaFiles } from './schema-files.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const [name, text] of Object.entries(schemaFiles())) {
  const file = join(root, 'schema', name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote schema/${name}`);
}
