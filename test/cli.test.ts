import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { copyOfExamples } from './helpers/fixtures.ts';

describe('devfleet validate', () => {
  it('GIVEN the bundled examples WHEN validated THEN it exits 0 and counts them', async () => {
    const result = await runCli('validate', '--root', copyOfExamples());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ok: 4 project(s), 1 cluster(s), 18 env(s)\n');
  });
});
