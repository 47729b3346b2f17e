/**
 * No definition string may hold a private-use code point.
 *
 * The chart writer marks its own Helm substitutions with private-use characters while it builds a
 * chart (generators/chart/helm-text.ts), then turns every marker into a real `{{ ... }}` action.
 * A marker typed into a definition (an env value, a description, an issue form) would become a
 * live Helm action in another developer's namespace, while `devfleet render` showed a literal.
 * Unicode gives these code points no meaning, so no real value needs them: every one is refused,
 * not only today's two markers, in values and object keys alike, before the schema runs.
 * Ref https://www.unicode.org/faq/private_use.html
 */
import type { LoadedFile } from './load.ts';
import { joinPath, type Problem } from '../util/problem.ts';

/** The Basic Multilingual Plane's Private Use Area and the supplementary private-use planes 15 and 16. */
const PRIVATE_USE = /[\u{E000}-\u{F8FF}\u{F0000}-\u{FFFFD}\u{100000}-\u{10FFFD}]/u;
const PRIVATE_USE_ALL = new RegExp(PRIVATE_USE.source, 'gu');

/** `U+E000` for a code point. */
export function codePointName(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first private-use character of `text` and its 1-based position (in characters), if any. */
export function findPrivateUse(text: string): { readonly char: string; readonly position: number; readonly count: number } | undefined {
  const match = PRIVATE_USE.exec(text);
  if (!match) return undefined;
  // Positions count characters (code points), as an editor's column does, not UTF-16 units.
  const position = [...text.slice(0, match.index)].length + 1;
  return { char: match[0], position, count: text.match(PRIVATE_USE_ALL)!.length };
}

/** Text with every private-use character shown as `\uE000` (or `\u{F0000}`), so a problem line stays readable. */
export function escapePrivateUse(text: string): string {
  return text.replace(PRIVATE_USE_ALL, (c) => {
    const hex = c.codePointAt(0)!.toString(16).toUpperCase();
    return c.length === 1 ? `\\u${hex}` : `\\u{${hex}}`;
  });
}

/** Every string (value or key) of a loaded definition that holds a private-use character. */
export function checkPrivateUse(loaded: LoadedFile): Problem[] {
  const problems: Problem[] = [];
  const report = (segments: (string | number)[], what: string, found: NonNullable<ReturnType<typeof findPrivateUse>>) => {
    const more = found.count > 1 ? ` (and ${found.count - 1} more)` : '';
    const line = loaded.lineOf(segments);
    problems.push({
      file: loaded.file,
      path: escapePrivateUse(joinPath(segments)),
      message: `${what} contains the private-use character ${codePointName(found.char)} at position ${found.position}${more}; devfleet reserves private-use characters (U+E000-U+F8FF, U+F0000-U+10FFFD) as markers in the Helm templates it writes, so remove it`,
      ...(line === undefined ? {} : { line }),
    });
  };
  const seen = new Set<object>();
  const walk = (value: unknown, segments: (string | number)[]): void => {
    if (typeof value === 'string') {
      const found = findPrivateUse(value);
      if (found) report(segments, 'the value', found);
      return;
    }
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...segments, i]));
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const found = findPrivateUse(key);
      if (found) report([...segments, key], 'the name', found);
      walk(item, [...segments, key]);
    }
  };
  walk(loaded.value, []);
  return problems;
}
