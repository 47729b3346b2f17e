/**
 * One problem found in the definitions, and the one place problems are formatted.
 *
 * Contract (docs/design-notes.md "CLI contract"): `<file relative to root>: <field path>: <what is wrong; what to do>`.
 * The field path is written as in the definition source: `containers[1].ports[0].port`.
 * Problems about a whole file (syntax errors, a throwing module) use the path `(file)`.
 */
export interface Problem {
  /** Path relative to the root, with forward slashes, e.g. `projects/my-app.ts`. */
  readonly file: string;
  /** Field path inside the definition, or `(file)`. */
  readonly path: string;
  /** What is wrong and what to do. */
  readonly message: string;
  /** 1-based source line of the field, where it is known (YAML/JSON sources). */
  readonly line?: number;
}

export const WHOLE_FILE = '(file)';

export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined ? '' : ` (line ${problem.line})`;
  return `${problem.file}: ${problem.path}: ${problem.message}${where}`;
}

/** Stable order: by file, then by line (when known), then by path and message. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      compare(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      compare(a.path, b.path) ||
      compare(a.message, b.message),
  );
}

/** Thrown when definitions are invalid; carries every problem found, not just the first. */
export class DefinitionError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const sorted = sortProblems(problems);
    super(sorted.map(formatProblem).join('\n'));
    this.name = 'DefinitionError';
    this.problems = sorted;
  }
}

/** `a.b[0].c` from path segments. */
export function joinPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** Code-point order, independent of locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A value as it appears in a message: JSON, cut to a readable length. */
export function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  if (text.length <= 60) return text;
  // A long string keeps its closing quote, so the reader sees where the shown part ends.
  if (typeof value === 'string') return `${JSON.stringify([...value].slice(0, 50).join('')).slice(0, -1)}..."`;
  return `${text.slice(0, 57)}...`;
}
