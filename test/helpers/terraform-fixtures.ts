/** The parsed terraform/ tree, and copies of it to break on purpose. */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Configuration, HclBody, HclFile } from '../../generators/terraform/hcl.ts';
import { terraformKeys } from '../../generators/terraform/tfvars.ts';
import { REPO } from './fixtures.ts';

export const TERRAFORM = join(REPO, 'terraform');

/** `names` of the dev cluster's generated tfvars: what devfleet hands the module (the names the tree relies on). */
export const GENERATED_NAMES: Readonly<Record<string, string>> = JSON.parse(readFileSync(join(TERRAFORM, 'clusters', 'dev', 'devfleet.auto.tfvars.json'), 'utf8')).names;

/** `keys` of the generated tfvars: the label, annotation and tag keys of plan/labels.ts, from the generator. */
export const GENERATED_KEYS: Readonly<Record<string, string>> = terraformKeys();

/** A deep copy of the configurations, with `edit` applied to one file of one of them. */
export function mutate(configs: readonly Configuration[], dir: string, file: string, edit: (parsed: HclFile) => void): Configuration[] {
  const copy = configs.map((c) => ({ dir: c.dir, files: new Map([...c.files].map(([f, parsed]) => [f, structuredClone(parsed)])) }));
  const target = copy.find((c) => c.dir === dir)?.files.get(file);
  if (!target) throw new Error(`no terraform/${dir}/${file} to mutate`);
  edit(target);
  return copy;
}

/** The first body of a labelled block in a parsed file, e.g. body(f, 'variable', 'names'). */
export function body(parsed: HclFile, type: string, ...labels: string[]): HclBody {
  let node: any = parsed[type];
  for (const l of labels) node = node?.[l];
  if (!Array.isArray(node) || !node[0]) throw new Error(`no ${type} ${labels.join('.')} in this file`);
  return node[0] as HclBody;
}

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway copy of terraform/ (without .terraform/ working folders) to run tools on. */
export function copyOfTerraform(): string {
  const dir = mkdtempSync(join(tmpdir(), 'devfleet-terraform-'));
  copies.push(dir);
  cpSync(TERRAFORM, dir, { recursive: true, filter: (src) => !src.split(/[\\/]/).includes('.terraform') });
  return dir;
}
