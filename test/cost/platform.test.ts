/**
 * The fixed platform the cost estimate charges is the one terraform/ builds: the system node group
 * of the module's defaults and of the bundled cluster, and an env instance mix the NodePool allows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORM } from '../../generators/cost/platform.ts';
import { bundledPrices } from '../../generators/cost/prices.ts';
import { parseHcl } from '../../generators/terraform/hcl.ts';
import { REPO } from '../helpers/fixtures.ts';

/** The default of `name = optional(<type>, <default>)` inside a variable's type expression, as JSON. */
function optionalDefault(typeExpression: string, name: string): unknown {
  const match = new RegExp(`\\b${name}\\s*=\\s*optional\\([a-z()]+,\\s*(.+)\\)\\n`).exec(typeExpression);
  if (!match) throw new Error(`no optional default for ${name} in ${typeExpression}`);
  return JSON.parse(match[1]!);
}

async function variableType(name: string): Promise<string> {
  const parsed = (await parseHcl('variables.tf', readFileSync(join(REPO, 'terraform/modules/platform/variables.tf'), 'utf8'))) as { variable: Record<string, [{ type: string }]> };
  return parsed.variable[name]![0].type;
}

describe('the platform the estimate charges', () => {
  it('GIVEN terraform/modules/platform WHEN its system_nodes defaults are read THEN the estimate charges desired_size nodes of the first instance type', async () => {
    const type = await variableType('system_nodes');
    expect((optionalDefault(type, 'instance_types') as string[])[0]).toBe(PLATFORM.systemNodes.instanceType);
    expect(optionalDefault(type, 'desired_size')).toBe(PLATFORM.systemNodes.count);
  });

  it('GIVEN the bundled cluster\'s terraform.tfvars WHEN read THEN its system nodes are the ones charged', async () => {
    const tfvars = (await parseHcl('terraform.tfvars', readFileSync(join(REPO, 'terraform/clusters/dev/terraform.tfvars'), 'utf8'))) as { system_nodes: { instance_types: string[]; desired_size: number } };
    expect(tfvars.system_nodes.instance_types[0]).toBe(PLATFORM.systemNodes.instanceType);
    expect(tfvars.system_nodes.desired_size).toBe(PLATFORM.systemNodes.count);
  });

  it('GIVEN the Karpenter NodePool defaults WHEN the prices\' env instance mix is checked THEN every type is one the NodePool may launch', async () => {
    const type = await variableType('karpenter');
    const categories = optionalDefault(type, 'instance_categories') as string[];
    const cpus = optionalDefault(type, 'instance_cpus') as string[];
    const minGeneration = optionalDefault(type, 'min_generation') as number;
    const { prices } = bundledPrices();
    for (const name of prices.envInstances.value) {
      const [, category, generation] = /^([a-z]+?)([0-9]+)[a-z]*\./.exec(name)!;
      expect({ name, category: categories.includes(category!), generation: Number(generation) > minGeneration, cpus: cpus.includes(String(prices.instances.value[name]!.vcpu)) }).toEqual({ name, category: true, generation: true, cpus: true });
    }
  });
});
