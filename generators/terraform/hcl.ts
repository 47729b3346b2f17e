/**
 * Reading terraform/ as data: every `.tf` file parsed to JSON by HashiCorp's own HCL parser
 * (compiled to WebAssembly in @cdktf/hcl2json), so the convention tests and the README tables
 * see exactly what Terraform sees. Expressions arrive as their source text wrapped in `${...}`.
 *
 * Used by tests and `npm run tfdocs`, never by the devfleet CLI (the parser is a dev dependency).
 * Ref https://github.com/hashicorp/terraform-cdk/tree/main/packages/%40cdktf/hcl2json
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { compare } from '../util/problem.ts';

/** One block body as hcl2json gives it: attributes, and nested blocks as arrays. */
export type HclBody = Record<string, unknown>;

/** A parsed `.tf` file: top-level block type -> (label ->)* array of bodies. */
export type HclFile = Record<string, unknown>;

/** One Terraform configuration (a folder of `.tf` files), file by file. */
export interface Configuration {
  /** Folder relative to the terraform/ root, forward slashes, e.g. `modules/platform`. */
  readonly dir: string;
  readonly files: ReadonlyMap<string, HclFile>;
}

/** Every folder under `root` that holds `.tf` files (skipping `.terraform/`), sorted. */
export function configurationDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => compare(a.name, b.name));
    if (entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) out.push(dir);
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) walk(join(dir, e.name));
  };
  walk(root);
  return out;
}

/** Parses one `.tf` text; throws with the file name and HCL's diagnostic when it is not valid HCL. */
export async function parseHcl(file: string, text: string): Promise<HclFile> {
  try {
    return (await parse(file, text)) as HclFile;
  } catch (error) {
    throw new Error(`${file}: not valid HCL: ${(error as Error).message}`);
  }
}

/** Parses every configuration under `root` (the terraform/ folder). */
export async function loadConfigurations(root: string): Promise<Configuration[]> {
  const configurations: Configuration[] = [];
  for (const dir of configurationDirs(root)) {
    const files = new Map<string, HclFile>();
    const names = readdirSync(dir).filter((f) => f.endsWith('.tf')).sort(compare);
    for (const name of names) files.set(name, await parseHcl(name, readFileSync(join(dir, name), 'utf8')));
    configurations.push({ dir: relative(root, dir).split(sep).join('/'), files });
  }
  return configurations;
}

/** A labelled block, e.g. `variable "names"` or `resource "aws_iam_role" "project"`, with the file it is in. */
export interface Block {
  readonly file: string;
  /** The labels, e.g. `["aws_iam_role", "project"]`. */
  readonly labels: readonly string[];
  readonly body: HclBody;
}

/** Every block of a type in a configuration, e.g. `blocks(config, 'variable', 1)`. */
export function blocks(config: Configuration, type: string, labelCount: number): Block[] {
  const out: Block[] = [];
  for (const [file, parsed] of config.files) {
    const collect = (node: unknown, labels: string[]) => {
      if (labels.length === labelCount) {
        for (const body of node as HclBody[]) out.push({ file, labels, body });
        return;
      }
      for (const [label, child] of Object.entries(node as Record<string, unknown>)) collect(child, [...labels, label]);
    };
    if (parsed[type] !== undefined) collect(parsed[type], []);
  }
  return out;
}

/** The `terraform {}` blocks of a configuration (required_version, required_providers, backend). */
export function terraformBlocks(config: Configuration): HclBody[] {
  return [...config.files.values()].flatMap((f) => (f.terraform as HclBody[] | undefined) ?? []);
}

/** Every `locals` attribute of a configuration, by name. */
export function locals(config: Configuration): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const f of config.files.values()) for (const l of (f.locals as HclBody[] | undefined) ?? []) for (const [k, v] of Object.entries(l)) out.set(k, v);
  return out;
}

/** An expression's source text without the `${...}` wrapper hcl2json adds. */
export function expression(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  const m = /^\$\{([\s\S]*)\}$/.exec(value);
  return m ? m[1]! : value;
}

/** Every string inside a value (attributes, nested blocks, lists), depth first. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
