/**
 * Writes a project definition as a file whose only content is data.
 *
 * TypeScript: `export default defineProject({ ... })` written as the bundled examples are
 * (projects/*.ts): identifier keys unquoted, strings in single quotes, the definition and each
 * container one field per line, a list of several objects one object per line, everything else on
 * one line when it fits, trailing commas after every line of a broken-up object or list. The
 * literal holds only object and array literals, string, number and boolean literals and plain
 * property names: no call, no reference, no template, no computed key, so no text in it can
 * execute. Every character outside printable ASCII is written as a \u escape, so the file cannot
 * hide bidirectional or invisible characters from a reviewer. YAML: the `yaml` package's
 * stringify, read back with the loader's own options (YAML 1.2 core, one document) and compared,
 * so no value can turn into another type, a second document or an alias.
 */
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import type { ProjectDefinition } from '../schema/project.ts';

export type ProjectFormat = 'ts' | 'yaml';

export const PROJECT_EXTENSIONS: Record<ProjectFormat, string> = { ts: '.ts', yaml: '.yaml' };

/** The first comment of the file: which command wrote it. */
const header = (by: string) => `Written by \`${by}\`: plain data, edit freely. Every field: schema/project.schema.json`;

/** `by`: the command that writes the file, named in its header. */
export function serializeProject(definition: ProjectDefinition, format: ProjectFormat, by = 'devfleet new'): string {
  return format === 'ts' ? typescriptText(definition, by) : yamlText(definition, by);
}

function typescriptText(definition: ProjectDefinition, by: string): string {
  return `// ${header(by)}\nimport { defineProject } from 'devfleet';\n\nexport default defineProject(${tsValue(definition as Data, [], '')});\n`;
}

/** The longest line the bundled examples have (projects/notes-api.ts): longer values are broken up. */
const LINE_WIDTH = 140;

type Data = string | number | boolean | null | readonly Data[] | { readonly [key: string]: Data | undefined };
type Path = readonly (string | number)[];

/** The definition and each container are always broken up, one field per line, as in projects/*.ts. */
const alwaysBroken = (path: Path) => path.length === 0 || (path.length === 2 && path[0] === 'containers');
const isObject = (value: Data | undefined): value is { readonly [key: string]: Data | undefined } => typeof value === 'object' && value !== null && !Array.isArray(value);

function tsValue(value: Data, path: Path, indent: string, prefixLength = 0): string {
  if (!Array.isArray(value) && !isObject(value)) return tsScalar(value as string | number | boolean | null);
  const entries: [string, string][] = Array.isArray(value)
    ? value.map((item, i) => ['', tsValue(item, [...path, i], `${indent}  `)])
    : Object.entries(value)
        .filter((entry): entry is [string, Data] => entry[1] !== undefined)
        .map(([key, item]) => {
          const name = tsKey(key);
          return [`${name}: `, tsValue(item, [...path, key], `${indent}  `, name.length + 2)];
        });
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const pad = Array.isArray(value) ? '' : ' ';
  const inline = entries.length === 0 ? `${open}${close}` : `${open}${pad}${entries.map(([k, v]) => `${k}${v}`).join(', ')}${pad}${close}`;
  const severalObjects = Array.isArray(value) && value.filter(isObject).length > 1;
  // `indent` + `key: ` + the value + `,` must fit on the line.
  const fits = !inline.includes('\n') && indent.length + prefixLength + inline.length + 1 <= LINE_WIDTH;
  if (entries.length === 0 || (!alwaysBroken(path) && !severalObjects && fits)) return inline;
  return `${open}\n${entries.map(([k, v]) => `${indent}  ${k}${v},\n`).join('')}${indent}${close}`;
}

/** A property name: bare when it is an identifier, else a quoted string. `__proto__` would set the prototype either way. */
function tsKey(key: string): string {
  if (key === '__proto__') throw new Error('a definition key named "__proto__" cannot be written as data; report this as a devfleet bug');
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : tsString(key);
}

function tsScalar(value: string | number | boolean | null): string {
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`the number ${value} cannot be written as data; report this as a devfleet bug`);
  return String(value);
}

/** A single-quoted string literal: backslash and quote escaped, everything outside printable ASCII as \uXXXX (UTF-16 code units). */
function tsString(text: string): string {
  const body = text.replace(/[\\']/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${body}'`;
}

function yamlText(definition: ProjectDefinition, by: string): string {
  const body = stringify(definition, { version: '1.2', schema: 'core', lineWidth: 0, aliasDuplicateObjects: false });
  const text = `# yaml-language-server: $schema=../schema/project.schema.json\n# ${header(by)}\n${body}`;
  const docs = parseAllDocuments(text, { uniqueKeys: true, schema: 'core', strict: true });
  const [doc] = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs) || docs.length !== 1 || !doc || doc.errors.length > 0 || !isDeepStrictEqual(doc.toJS({ maxAliasCount: 0 }), definition)) {
    throw new Error('the YAML written for this definition does not read back as the same data; report this as a devfleet bug');
  }
  return text;
}
