/**
 * The only Helm template syntax devfleet emits, and the one renderer that reads it back.
 *
 * Chart rule (docs/design-notes.md "Helm chart rules"): templates hold only `{{ .Values.<key> }}` and
 * `{{ .Release.Name }}` / `{{ .Release.Namespace }}` substitutions; no logic, no functions.
 *
 * While a chart is built, a substitution is a string wrapped in two private-use characters and a
 * random nonce made when this module loads (see `values()` / `release()`): user text cannot forge
 * one, not even with the private-use characters themselves (which `validate` refuses anyway). When
 * the objects are written, every `{{` in user text is escaped to Helm's literal form {{`{{`}} (Helm
 * prints it unchanged) and only then do the writer's markers become real actions; the nonce never
 * reaches the output, which stays deterministic. Every template is then checked once more
 * (`checkTemplateActions`): each `{{` must open an action this module writes, with a values key
 * the chart's values.schema.json defines, or `write`, `synth` and `render` fail.
 * `renderTemplate` performs exactly the substitutions Helm performs on such text, and refuses any
 * other action; test/render/render-env.helm.test.ts holds it to the real Helm binary.
 *
 * Integer values (`integerValue()`, e.g. a ScaledObject's cooldownPeriod, which differs per env)
 * are the one other form: the action is the whole YAML scalar, written unquoted, so Helm prints a
 * number where the API expects one; values.schema.json types the key `integer` with bounds.
 */
import { randomBytes } from 'node:crypto';
import { Document, Scalar, visit } from 'yaml';

const NONCE = randomBytes(12).toString('hex');
const OPEN = `\uE000${NONCE}`;
const CLOSE = `${NONCE}\uE001`;
const MARKERS = /[\uE000\uE001]/;
/** Around a marker whose value is an integer (integerValue()). */
const INTEGER_OPEN = `\uE002${NONCE}`;
const INTEGER_CLOSE = `${NONCE}\uE003`;
const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';
/** A writer's marker, with the action it stands for captured. */
const MARKED = new RegExp(`${OPEN}(\\.Values\\.${IDENTIFIER}(?:\\.${IDENTIFIER})*|\\.Release\\.(?:Name|Namespace))${CLOSE}`, 'g');

/** `{{ .Values.a.b }}` while building a chart. */
export function values(...path: string[]): string {
  for (const key of path) {
    if (!new RegExp(`^${IDENTIFIER}$`).test(key)) throw new Error(`internal: "${key}" is not a Go template identifier`);
  }
  return `${OPEN}.Values.${path.join('.')}${CLOSE}`;
}

/**
 * `{{ .Values.a.b }}` for an integer value, unquoted: the marker must be the whole string of a
 * field (e.g. `cooldownPeriod: integerValue('scaling', 'idleSeconds')`), never part of text.
 */
export function integerValue(...path: string[]): string {
  return `${INTEGER_OPEN}${values(...path)}${INTEGER_CLOSE}`;
}

/** `{{ .Release.Name }}` or `{{ .Release.Namespace }}` while building a chart. */
export function release(field: 'Name' | 'Namespace'): string {
  return `${OPEN}.Release.${field}${CLOSE}`;
}

/** True when a user-supplied string holds a character the writer uses for its markers. */
export function containsMarker(text: string): boolean {
  return MARKERS.test(text);
}

const LITERAL_OPEN = '{{`{{`}}';

/**
 * A template string (with markers) as Helm template text: the writer's markers become actions,
 * everything else (private-use characters included) is literal text with `{{` escaped.
 */
function toTemplateText(text: string): string {
  if (text.includes(INTEGER_OPEN)) {
    const inner = text.slice(INTEGER_OPEN.length, -INTEGER_CLOSE.length);
    if (!text.startsWith(INTEGER_OPEN) || !text.endsWith(INTEGER_CLOSE) || inner.split(MARKED).length !== 3 || inner.split(MARKED)[0] !== '' || inner.split(MARKED)[2] !== '') {
      throw new Error('internal: an integer value must be the whole field, not part of a text');
    }
    // Kept wrapped until the YAML is written (templateYaml), which then drops the wrapper and
    // any quotes YAML put around it.
    return `${INTEGER_OPEN}${toTemplateText(inner)}${INTEGER_CLOSE}`;
  }
  // split() with one capture group alternates literal text and a marker's action.
  return text
    .split(MARKED)
    .map((part, i) => (i % 2 === 1 ? `{{ ${part} }}` : part.replaceAll('{{', LITERAL_OPEN)))
    .join('');
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

/** An integer action as YAML wrote it: plain, or quoted because it starts with `{`. */
const INTEGER_SCALAR = new RegExp(`(["']?)${INTEGER_OPEN}(\\{\\{ \\.Values\\.${IDENTIFIER}(?:\\.${IDENTIFIER})* \\}\\})${INTEGER_CLOSE}\\1`, 'g');

/** One Kubernetes object (built with markers) as the text of a Helm template file. */
export function templateYaml(object: unknown, header: string): string {
  return `${header}${toYaml(mapStrings(object, toTemplateText)).replace(INTEGER_SCALAR, '$2')}`;
}

/** Plain YAML of an object without any template syntax (Argo CD objects, namespaces, values). */
export function plainYaml(object: unknown, header = ''): string {
  return `${header}${toYaml(object)}`;
}

export type TemplateValues = { readonly [key: string]: string | number | TemplateValues };

/** The only actions devfleet writes: a literal `{{`, a values key, the release name or namespace. */
const ACTION = /\{\{(`\{\{`| \.Values\.([A-Za-z_][A-Za-z0-9_.]*) | \.Release\.(Name|Namespace) )\}\}/y;

interface Action {
  readonly at: number;
  readonly text: string;
  readonly valuesPath: string | undefined;
  readonly releaseField: string | undefined;
}

/**
 * Every action of a template text, in order. Helm opens an action at every `{{`, so one that is
 * not of the forms above (another function, a trim marker, an unknown field, an unclosed `{{`)
 * is an internal error: devfleet did not write it and cannot promise what Helm makes of it.
 */
function templateActions(text: string, where: string): Action[] {
  const actions: Action[] = [];
  for (let at = text.indexOf('{{'); at >= 0; at = text.indexOf('{{', at)) {
    ACTION.lastIndex = at;
    const m = ACTION.exec(text);
    if (!m) {
      const line = text.slice(0, at).split('\n').length;
      throw new Error(
        `internal: ${where}: line ${line}: ${JSON.stringify(text.slice(at, at + 60).split('\n')[0])} is not a template action devfleet writes (only {{ .Values.<key> }}, {{ .Release.Name }}, {{ .Release.Namespace }} and {{\`{{\`}}); nothing was written`,
      );
    }
    actions.push({ at, text: m[0], valuesPath: m[2], releaseField: m[3] });
    at += m[0].length;
  }
  return actions;
}

/**
 * Fails unless every action of a template is one devfleet writes and every values key it reads is
 * one of `knownValues` (the string leaves of the chart's values.schema.json, e.g. "hosts.web").
 */
export function checkTemplateActions(text: string, knownValues: ReadonlySet<string>, where: string): void {
  for (const action of templateActions(text, where)) {
    if (action.valuesPath !== undefined && !knownValues.has(action.valuesPath)) {
      throw new Error(`internal: ${where}: ${action.text} reads a value the chart's values.schema.json does not define (known: ${[...knownValues].sort().join(', ')}); nothing was written`);
    }
  }
}

/**
 * A number as Helm prints it. Helm reads values files into float64 (sigs.k8s.io/yaml) and Go's
 * text/template prints those with %v, which writes 1000000 as "1e+06"; devfleet's integer values
 * stay far below that (values.schema.json bounds them), and anything else is refused rather than
 * guessed.
 */
function helmNumber(n: number, path: string): string {
  if (!Number.isSafeInteger(n) || Math.abs(n) >= 1e6) throw new Error(`values: .Values.${path} is ${n}; devfleet writes integers below 1,000,000 only`);
  return String(n);
}

/**
 * Substitutes a template file's actions as Helm does. Values are strings, whose patterns in
 * values.schema.json keep each substituted value safe inside the YAML scalar it lands in, or
 * integers (integerValue()), which fill a whole unquoted scalar.
 */
export function renderTemplate(text: string, vals: TemplateValues, rel: { name: string; namespace: string }, where = 'template'): string {
  let out = '';
  let from = 0;
  for (const { at, text: whole, valuesPath, releaseField } of templateActions(text, where)) {
    out += text.slice(from, at);
    from = at + whole.length;
    if (releaseField) out += releaseField === 'Name' ? rel.name : rel.namespace;
    else if (valuesPath === undefined) out += '{{';
    else {
      let current: TemplateValues[string] | undefined = vals;
      for (const key of valuesPath.split('.')) current = typeof current === 'object' ? current[key] : undefined;
      if (typeof current === 'number') out += helmNumber(current, valuesPath);
      else if (typeof current !== 'string') throw new Error(`values: .Values.${valuesPath} is not set`);
      else out += current;
    }
  }
  return out + text.slice(from);
}
