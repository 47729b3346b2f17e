/**
 * One source per fact: a fact the generators need in several places (a label key, a GitHub
 * limit, the weekdays) is spelled in one module and imported everywhere else. This reads every
 * file under generators/ and fails on a second spelling, naming the file, the line and the home
 * to import from instead.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/fixtures.ts';

interface Fact {
  readonly what: string;
  readonly spelled: RegExp;
  /** The module that says it. */
  readonly home: string;
  /** Files that still spell it and are being rewritten elsewhere; each must still spell it (so the list shrinks). */
  readonly pending?: readonly string[];
}

const FACTS: readonly Fact[] = [
  {
    what: 'a label or annotation key',
    spelled: /['"`](app\.kubernetes\.io|devfleet\.dev)\/[a-z-]+/,
    home: 'generators/plan/labels.ts',
  },
  { what: "GitHub's body limit", spelled: /\b65_?536\b/, home: 'generators/util/github-limits.ts' },
  { what: 'the weekdays', spelled: /'mon', 'tue', 'wed', 'thu', 'fri'/, home: 'generators/schema/common.ts' },
];

function sources(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? sources(path) : entry.endsWith('.ts') ? [relative(REPO, path).split('\\').join('/')] : [];
    });
}

const files = sources(join(REPO, 'generators')).map((file) => ({ file, lines: readFileSync(join(REPO, file), 'utf8').split('\n') }));

describe('one source per fact', () => {
  it.each(FACTS.map((f) => [f.what, f] as const))('GIVEN %s WHEN generators/ is read THEN only its home spells it', (_, fact) => {
    const spellings = files.flatMap(({ file, lines }) => lines.flatMap((line, i) => (fact.spelled.test(line) ? [{ file, line: i + 1 }] : [])));
    expect(spellings.filter((s) => s.file === fact.home).length).toBeGreaterThan(0);
    const elsewhere = spellings.filter((s) => s.file !== fact.home && !fact.pending?.includes(s.file)).map((s) => `${s.file}:${s.line}: import it from ${fact.home}`);
    expect(elsewhere).toEqual([]);
    for (const file of fact.pending ?? []) expect(spellings.some((s) => s.file === file), `${file} no longer spells ${fact.what}: drop it from pending`).toBe(true);
  });
});
