/** generators/cli/root.ts: the --root folder, refused with a usage error unless it looks like a devfleet repository. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, resolveRoot } from '../../generators/cli/root.ts';
import { UsageError } from '../../generators/util/errors.ts';
import { REPO, tempRoot } from '../helpers/fixtures.ts';

describe('resolveRoot', () => {
  it('GIVEN no --root WHEN resolved THEN this checkout, the devfleet package', () => {
    expect(REPO_ROOT).toBe(REPO);
    expect(resolveRoot(undefined)).toBe(REPO);
  });

  it('GIVEN a folder with projects/ only, or clusters/ only WHEN resolved THEN its absolute path', () => {
    const projects = tempRoot();
    mkdirSync(join(projects, 'projects'));
    expect(resolveRoot(projects)).toBe(projects);
    const clusters = tempRoot();
    mkdirSync(join(clusters, 'clusters'));
    expect(resolveRoot(clusters)).toBe(clusters);
  });

  it('GIVEN an empty value, a missing folder or a folder of something else WHEN resolved THEN a usage error says what to give', () => {
    const other = tempRoot({ 'notes.txt': 'x' });
    const cases: [string, string][] = [
      ['', '--root "": give a folder, e.g. --root . for the current one'],
      [' ', '--root "": give a folder, e.g. --root . for the current one'],
      [join(other, 'gone'), `--root ${join(other, 'gone')}: no such directory`],
      [other, `--root ${other}: has neither projects/ nor clusters/; point it at a folder shaped like the devfleet repository`],
    ];
    for (const [option, message] of cases) expect(() => resolveRoot(option), JSON.stringify(option)).toThrow(new UsageError(message));
  });
});
