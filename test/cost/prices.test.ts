/**
 * The prices file: the bundled one is complete, dated and sourced; a user's replacement is checked
 * where it enters, with problems that name the file, the field and the fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { BUNDLED_PRICES, bundledPrices, loadPrices, PricesSchema } from '../../generators/cost/prices.ts';
import { DefinitionError, formatProblem } from '../../generators/util/problem.ts';
import { REPO, tempRoot } from '../helpers/fixtures.ts';

async function problems(root: string, file: string): Promise<string[]> {
  try {
    await loadPrices(join(root, file), root);
  } catch (error) {
    if (error instanceof DefinitionError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

describe('the bundled prices', () => {
  it('GIVEN generators/cost/prices.json WHEN checked against the schema THEN it conforms', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(PricesSchema);
    expect(validate(JSON.parse(readFileSync(join(REPO, BUNDLED_PRICES), 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('GIVEN every price WHEN its source is read THEN it is an https page or a file of this repository', () => {
    const { prices } = bundledPrices();
    const sources = Object.values(prices).flatMap((entry) => (entry !== null && typeof entry === 'object' && 'source' in entry ? [(entry as { source: string }).source] : []));
    expect(sources.length).toBe(8);
    for (const source of sources) expect(source.startsWith('https://') || existsSync(join(REPO, source)), source).toBe(true);
  });

  it('GIVEN the bundled file loaded as a user file WHEN loaded THEN it is accepted and equals the bundled prices', async () => {
    const list = await loadPrices(join(REPO, BUNDLED_PRICES), REPO);
    expect(list).toEqual(bundledPrices());
  });
});

describe('a user\'s prices file', () => {
  it('GIVEN a file with a wrong value, an unknown field and a missing one WHEN loaded THEN each is one problem naming the field', async () => {
    const prices = JSON.parse(readFileSync(join(REPO, BUNDLED_PRICES), 'utf8'));
    prices.spotSavings.value = 1.5;
    prices.albPerHourr = prices.albPerHour;
    delete prices.albPerHour;
    const root = tempRoot({ 'my-prices.json': JSON.stringify(prices) });
    expect(await problems(root, 'my-prices.json')).toEqual([
      'my-prices.json: albPerHour: is missing; add it (see generators/cost/prices.json)',
      'my-prices.json: albPerHourr: is not a field of a prices file; remove it or correct its name (see generators/cost/prices.json)',
      'my-prices.json: spotSavings.value: must be < 1, got 1.5; see generators/cost/prices.json for the shape',
    ]);
  });

  it('GIVEN a file that is not JSON, or no file WHEN loaded THEN the problem says what to do', async () => {
    const root = tempRoot({ 'broken.json': '{ "date": ' });
    expect((await problems(root, 'broken.json'))[0]).toMatch(/^broken\.json: \(file\): not valid JSON \(.+\); copy generators\/cost\/prices\.json and edit it$/);
    expect(await problems(root, 'missing.json')).toEqual(['missing.json: (file): no such file; pass the path of a prices file shaped like generators/cost/prices.json']);
  });

  it('GIVEN an env instance type without a price WHEN loaded THEN the problem names it', async () => {
    const prices = JSON.parse(readFileSync(join(REPO, BUNDLED_PRICES), 'utf8'));
    prices.envInstances.value.push('c7i.xlarge');
    const root = tempRoot({ 'p.json': JSON.stringify(prices) });
    expect(await problems(root, 'p.json')).toEqual(['p.json: envInstances.value: "c7i.xlarge" not in instances.value; add their vCPU, memory and price there']);
  });
});
