/**
 * Writes a project definition as a file whose only content is data.
 *
 * TypeScript: `export default defineProject(<JSON>)`. A JSON literal is an expression with no
 * calls, no identifiers and no template strings, so no text in it can execute; every character
 * outside printable ASCII is written as a \u escape, so the file cannot hide bidirectional or
 * invisible characters from a reviewer. YAML: the `yaml` package's stringify, read back with
 * the loader's own options (YAML 1.2 core, one document) and compared, so no value can turn into
 * another type, a second document or an alias.
 */
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import type { ProjectDefinition } from '../../schema/project.ts';

export type ProjectFormat = 'ts' | 'yaml';

export const PROJECT_EXTENSIONS: Record<ProjectFormat, string> = { ts: '.ts', yaml: '.yaml' };

const HEADER = 'Written by `devfleet new`: plain data, edit freely. Every field: schema/project.schema.json';

export function serializeProject(definition: ProjectDefinition, format: ProjectFormat): string {
  return format === 'ts' ? typescriptText(definition) : yamlText(definition);
}

function typescriptText(definition: ProjectDefinition): string {
  const json = JSON.stringify(definition, null, 2).replace(/[^\x20-\x7e\n]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `// ${HEADER}\nimport { defineProject } from 'devfleet';\n\nexport default defineProject(${json});\n`;
}

function yamlText(definition: ProjectDefinition): string {
  const body = stringify(definition, { version: '1.2', schema: 'core', lineWidth: 0, aliasDuplicateObjects: false });
  const text = `# yaml-language-server: $schema=../schema/project.schema.json\n# ${HEADER}\n${body}`;
  const docs = parseAllDocuments(text, { uniqueKeys: true, schema: 'core', strict: true });
  const [doc] = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs) || docs.length !== 1 || !doc || doc.errors.length > 0 || !isDeepStrictEqual(doc.toJS({ maxAliasCount: 0 }), definition)) {
    throw new Error('the YAML written for this definition does not read back as the same data; report this as a devfleet bug');
  }
  return text;
}
