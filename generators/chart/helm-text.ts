/**
 * The only Helm template syntax devfleet emits, and the one renderer that reads it back.
 *
 * Chart rule (design.md section 6): templates hold only `{{ .Values.<key> }}` and
 * `{{ .Release.Name }}` / `{{ .Release.Namespace }}` substitutions; no logic, no functions.
 *
 * While a chart is built, a substitution is a string wrapped in two private-use characters
 * (see `values()` / `release()`), so it cannot be confused with user text. When the objects are
 * written, every `{{` in user text is escaped to Helm's literal form {{`{{`}} (Helm prints it
 * unchanged) and then the markers become real actions. `renderTemplate` performs exactly the
 * substitutions Helm performs on such text; test/render/helm-equality.test.ts holds it to the
 * real Helm binary.
 */
import { Document, Scalar, visit } from 'yaml';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKERS = /[\uE000\uE001]/;

/** `{{ .Values.a.b }}` while building a chart. */
export function values(...path: string[]): string {
  for (const key of path) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`internal: "${key}" is not a Go template identifier`);
  }
  return `${OPEN}.Values.${path.join('.')}${CLOSE}`;
}

/** `{{ .Release.Name }}` or `{{ .Release.Namespace }}` while building a chart. */
export function release(field: 'Name' | 'Namespace'): string {
  return `${OPEN}.Release.${field}${CLOSE}`;
}

/** True when a user-supplied string could be mistaken for a substitution marker. */
export function containsMarker(text: string): boolean {
  return MARKERS.test(text);
}

const LITERAL_OPEN = '{{`{{`}}';

/** A template string (with markers) as Helm template text. */
function toTemplateText(text: string): string {
  return text.replaceAll('{{', LITERAL_OPEN).replaceAll(OPEN, '{{ ').replaceAll(CLOSE, ' }}');
}

function mapStrings(value: unknown, f: (text: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [f(k), mapStrings(v, f)]));
  }
  return value;
}

/**
 * Options shared by every YAML file devfleet writes: no line folding (a folded line could split a
 * template action), stable formatting, and YAML 1.1 quoting: Helm and Kubernetes read YAML with
 * YAML 1.1 rules, where an unquoted `yes`, `on` or `0755` is not a string.
 */
export const YAML_OPTIONS = {
  version: '1.1',
  lineWidth: 0,
  minContentWidth: 0,
  indent: 2,
  indentSeq: true,
  aliasDuplicateObjects: false,
  sortMapEntries: true,
} as const;

/**
 * Characters that YAML 1.1 readers (Go's yaml.v2 in Helm and Kubernetes) treat as line breaks or
 * byte-order marks, plus C0/C1 controls: a string holding one is written double-quoted, where
 * the emitter escapes them, instead of plain or as a block.
 */
const NEEDS_ESCAPES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** YAML text of a value, with the shared options and escaping. */
export function toYaml(value: unknown): string {
  const doc = new Document(value, YAML_OPTIONS);
  // Scanning the JSON text first keeps the common case (nothing to escape) fast.
  if (!NEEDS_ESCAPES.test(JSON.stringify(value) ?? '')) return doc.toString(YAML_OPTIONS);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && NEEDS_ESCAPES.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString(YAML_OPTIONS);
}

/** One Kubernetes object (built with markers) as the text of a Helm template file. */
export function templateYaml(object: unknown, header: string): string {
  return `${header}${toYaml(mapStrings(object, toTemplateText))}`;
}

/** Plain YAML of an object without any template syntax (Argo CD objects, namespaces, values). */
export function plainYaml(object: unknown, header = ''): string {
  return `${header}${toYaml(object)}`;
}

export type TemplateValues = { readonly [key: string]: string | TemplateValues };

const ACTION = /\{\{(`\{\{`| \.Values\.([A-Za-z_][A-Za-z0-9_.]*) | \.Release\.(Name|Namespace) )\}\}/g;

/**
 * Substitutes a template file's actions as Helm does. Values are strings: every value key is a
 * string in values.schema.json, whose patterns keep each substituted value safe inside the
 * YAML scalar it lands in.
 */
export function renderTemplate(text: string, vals: TemplateValues, rel: { name: string; namespace: string }): string {
  return text.replace(ACTION, (_whole, inner: string, valuesPath: string | undefined, releaseField: string | undefined) => {
    if (inner === '`{{`') return '{{';
    if (releaseField) return releaseField === 'Name' ? rel.name : rel.namespace;
    let current: string | TemplateValues | undefined = vals;
    for (const key of valuesPath!.split('.')) current = typeof current === 'object' ? current[key] : undefined;
    if (typeof current !== 'string') throw new Error(`values: .Values.${valuesPath} is not set`);
    return current;
  });
}
