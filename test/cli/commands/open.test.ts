/** `devfleet open`: it says when no browser was opened, instead of printing only the URL. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openInBrowser } from '../../../generators/cli/commands/open.ts';
import { runCli } from '../../helpers/cli.ts';
import { copyOfExamples } from '../../helpers/fixtures.ts';

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('devfleet open', () => {
  it('GIVEN no terminal WHEN open runs without --print THEN it prints the URL and says that no browser was opened', async () => {
    const result = await runCli('open', 'my-app', '--root', copyOfExamples(), '--developer', 'alice');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('https://my-app-com--alice.dev.example.com\n');
    expect(result.stderr).toBe('devfleet: not on a terminal, so no browser was opened; the URL is above (--print says only that)');
  });

  it('GIVEN a machine whose opener cannot run (an empty PATH) WHEN a browser is opened THEN the failure is returned, not lost', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'devfleet-no-browser-'));
    const failure = await openInBrowser('https://example.com');
    expect(failure).toMatch(/ENOENT|exited with code [1-9]/);
  });
});
