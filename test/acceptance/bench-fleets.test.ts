/**
 * The synthetic fleets `npm run bench` measures (bench/make-fleet.ts, 50 x 20 and 100 x 100) stay
 * valid definitions: a new validate rule once made the bench stop at its first synth (the PVCs of
 * 50 projects did not fit the default namespace quota). The bench's timings are not tested here.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { writeFleet } from '../helpers/make-fleet.ts';

describe('the benchmark fleets', () => {
  it.each([
    [50, 20],
    [100, 100],
  ])('GIVEN the bench fleet of %i projects x %i developers WHEN validated THEN it is accepted', async (projects, developers) => {
    const root = tempRoot();
    const { envs } = writeFleet(root, { projects, developers });
    const result = await runCli('validate', '--root', root);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`ok: ${projects} project(s), 1 cluster(s), ${envs} env(s)\n`);
  });
});
