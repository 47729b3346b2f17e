/**
 * Runs parts of the platform module through the real Terraform (the pinned binary of
 * scripts/install-tools.sh), without providers, AWS or a cluster: the chosen variables (with
 * their validations), locals and check blocks are copied, source text unchanged, into a
 * throwaway root configuration, values the locals read from AWS are stubbed, and
 * `terraform apply` computes the locals as outputs. So the access rules, the annotations and
 * the Kubernetes objects Terraform would send are tested as Terraform evaluates them, not as
 * a test re-implements them.
 *
 * The pinned binary is Terraform 1.8 (the newest `go install` can build), which refuses a
 * validation that refers to another variable (allowed since 1.9): such variables are copied
 * without their validations (`withoutValidation`).
 */
import { blocks, locals as localsOf, type Configuration, type HclBody } from '../../generators/terraform/hcl.ts';
import { tempRoot } from './fixtures.ts';
import { runTool } from './terraform-tools.ts';

export interface EvaluateOptions {
  /** Variables to declare, as written in the module (type, default, validations). */
  readonly variables: readonly string[];
  /** Of those, the ones whose validations refer to other variables (Terraform 1.8 refuses them). */
  readonly withoutValidation?: readonly string[];
  /** Locals to copy from the module; each becomes an output of the same name. */
  readonly locals: readonly string[];
  /** Locals replaced by fixed values (what the module reads from AWS data sources). */
  readonly stubs?: Readonly<Record<string, unknown>>;
  /** `check` blocks to copy (their failures are warnings). */
  readonly checks?: readonly string[];
  /** Variable values, as in a .tfvars.json file. */
  readonly values: Readonly<Record<string, unknown>>;
}

export interface Evaluation {
  /** Exit code of `terraform apply` (non-zero: a validation refused the values). */
  readonly code: number;
  /** The locals' values when the apply succeeded. */
  readonly outputs: Record<string, unknown>;
  /** Terraform's messages (stdout and stderr of the apply), colour-free. */
  readonly log: string;
}

/**
 * An hcl2json value as HCL source: `${expr}` wrapping a whole expression gives the expression
 * (multi-line, comments and all), any other string is a quoted template, and the object and
 * tuple literals hcl2json unfolds into JSON are folded back, member by member.
 */
export function hclSource(value: unknown): string {
  if (typeof value === 'string') {
    const m = /^\$\{([\s\S]*)\}$/.exec(value);
    if (m && balanced(m[1]!)) return m[1]!;
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[\n${value.map((v) => `${hclSource(v)}\n,`).join('\n')}\n]`;
  if (value !== null && typeof value === 'object') {
    return `{\n${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)} = ${hclSource(v)}`).join('\n')}\n}`;
  }
  return JSON.stringify(value);
}

/** True when the braces of an expression's source never close more than they opened (so `${a}-${b}` is a template, not one expression). */
function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

function variableSource(name: string, body: HclBody, withValidation: boolean): string {
  const lines = [`variable "${name}" {`, `  type = ${hclSource(body.type)}`];
  if (Object.hasOwn(body, 'default')) lines.push(`  default = ${hclSource(body.default)}`);
  if (withValidation) {
    for (const v of (body.validation as HclBody[] | undefined) ?? []) {
      lines.push('  validation {', `    condition = ${hclSource(v.condition)}`, `    error_message = ${JSON.stringify(v.error_message)}`, '  }');
    }
  }
  lines.push('}');
  return lines.join('\n');
}

/** Evaluates the chosen parts of `platform` with `values`; never throws on a refused value. */
export function evaluate(platform: Configuration, options: EvaluateOptions): Evaluation {
  const variables = new Map(blocks(platform, 'variable', 1).map((b) => [b.labels[0]!, b.body]));
  const moduleLocals = localsOf(platform);
  const checks = new Map(blocks(platform, 'check', 1).map((b) => [b.labels[0]!, b.body]));
  const source: string[] = [];
  for (const name of options.variables) {
    const body = variables.get(name);
    if (!body) throw new Error(`modules/platform has no variable "${name}"`);
    source.push(variableSource(name, body, !(options.withoutValidation ?? []).includes(name)));
  }
  const localLines: string[] = [];
  for (const name of options.locals) {
    if (!moduleLocals.has(name)) throw new Error(`modules/platform has no local "${name}"`);
    localLines.push(`  ${name} = ${hclSource(moduleLocals.get(name))}`);
  }
  for (const [name, value] of Object.entries(options.stubs ?? {})) localLines.push(`  ${name} = ${JSON.stringify(value)}`);
  source.push(`locals {\n${localLines.join('\n')}\n}`);
  for (const name of options.checks ?? []) {
    const body = checks.get(name);
    if (!body) throw new Error(`modules/platform has no check "${name}"`);
    const asserts = ((body.assert as HclBody[] | undefined) ?? []).map((a) => `  assert {\n    condition = ${hclSource(a.condition)}\n    error_message = ${JSON.stringify(a.error_message)}\n  }`);
    source.push(`check "${name}" {\n${asserts.join('\n')}\n}`);
  }
  for (const name of options.locals) source.push(`output "${name}" {\n  value = local.${name}\n}`);

  const dir = tempRoot({ 'main.tf': `${source.join('\n\n')}\n`, 'values.auto.tfvars.json': `${JSON.stringify(options.values)}\n` });
  const init = runTool('terraform', ['init', '-input=false', '-no-color'], dir);
  if (init.code !== 0) throw new Error(`terraform init failed in ${dir}:\n${init.stdout}${init.stderr}`);
  const apply = runTool('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], dir);
  const log = `${apply.stdout}${apply.stderr}`;
  if (apply.code !== 0) return { code: apply.code, outputs: {}, log };
  const output = runTool('terraform', ['output', '-json', '-no-color'], dir);
  if (output.code !== 0) throw new Error(`terraform output failed in ${dir}:\n${output.stderr}`);
  const parsed = JSON.parse(output.stdout) as Record<string, { value: unknown }>;
  return { code: 0, outputs: Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value])), log };
}
