/**
 * Comments cite files that exist (generators/README.md "Conventions": comments say why and cite
 * files in this repository or public documentation). This reads the comments of every source,
 * script, Terraform and YAML file, picks out the paths they name and fails on one that names no
 * file or folder, with the file, the line and the path.
 *
 * A path names a file of this repository when it starts with `./` or `../`, with one of the
 * repository's top-level folders, or with a folder of generators/ or test/ (how the code's
 * comments name modules: `plan/names.ts`), or when it is a bare `<name>.ts|.tf|.sh|.md`. It
 * resolves against the repository, the commenting file's folder, generators/, test/ and a
 * generated cluster tree (`apps/appproject.yaml` is a file of `clusters/<cluster>/`). `<name>`,
 * `*` and `{a,b}` match any name, so `projects/<name>.ts` names the project files. Files a test
 * writes into a temporary folder are written as `<root>/...`, which names nothing here; an
 * upstream project's file is cited with its project and version (or a URL), which is not a path
 * of this repository either.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/fixtures.ts';

/** Files whose comments are not ours: vendored upstream files, kept as their authors wrote them. */
const VENDORED = [/^test\/fixtures\//, /^tools\/[^/]+\/vendor-files\//];

/** Folders made when the project runs (build output, linked tools, the local cluster), not committed. */
const MADE_AT_RUN_TIME = new Set(['dist', '.tools', '.cluster', '.vitest']);

/** Path-looking words of comments that are not files of this repository, and what they are instead. */
const NOT_FILES: Readonly<Record<string, string>> = {
  'scaledobjects.keda.sh': "KEDA's ScaledObject resource (its API group), not a shell script",
  '../../modules/platform': 'terraform/.tflint.hcl: relative to terraform/clusters/<cluster>/, where TFLint runs',
  './_images.ts': 'generators/definitions/local-imports.ts: an example of an import specifier',
  './shared/images': 'generators/definitions/local-imports.ts: an example of an import specifier',
  '../lib/ports.ts': 'generators/definitions/local-imports.ts: an example of an import specifier',
};

export interface Comment {
  readonly line: number;
  readonly text: string;
}

/** The comments of a TypeScript or JavaScript file, found by the TypeScript scanner (no `//` inside a string or regex). */
function scriptComments(file: string, text: string): Comment[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found = new Map<number, string>();
  const add = (ranges: ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) found.set(range.pos, text.slice(range.pos, range.end));
  };
  const visit = (node: ts.Node) => {
    add(ts.getLeadingCommentRanges(text, node.pos));
    add(ts.getTrailingCommentRanges(text, node.end));
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  return [...found].map(([pos, comment]) => ({ line: text.slice(0, pos).split('\n').length, text: comment }));
}

/** Line comments opened by `#` (shell, YAML, HCL, CODEOWNERS) and, for HCL and Go, by `//`. */
function lineComments(text: string, openers: RegExp): Comment[] {
  return text.split('\n').flatMap((line, i) => {
    const match = openers.exec(line);
    return match ? [{ line: i + 1, text: match[2]! }] : [];
  });
}

/** The comments of a repository file, or undefined for a kind of file that has none we read. */
export function commentsOf(file: string, text: string): Comment[] | undefined {
  if (/\.(ts|mts|js|mjs)$/.test(file)) return scriptComments(file, text);
  if (/\.go$/.test(file)) return lineComments(text, /(^|\s)\/\/(.*)$/);
  if (/\.(tf|hcl)$/.test(file)) return lineComments(text, /(^|\s)(?:#|\/\/)(.*)$/);
  if (/\.(sh|ya?ml)$|(^|\/)(CODEOWNERS|\.gitignore|run)$/.test(file)) return lineComments(text, /(^|\s)#(?!!)(.*)$/);
  return undefined;
}

const PATH = /(?:\.{1,2}\/)*[\w.<>*{},@-]+(?:\/[\w.<>*{},@-]+)+\/?|[\w.-]+\.(?:ts|tf|sh|md)\b/g;

/** The words of a comment that name a file of this repository (see the top of this file). */
export function citedPaths(comment: string, topFolders: ReadonlySet<string>): string[] {
  const text = comment.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/g, ' ');
  const paths: string[] = [];
  for (const match of text.matchAll(PATH)) {
    const before = text[match.index - 1];
    if (before !== undefined && /[\w/~$.:-]/.test(before)) continue;
    const path = match[0].replace(/[.,;:]+$/, '');
    const head = path.replace(/^(\.{1,2}\/)+/, '').split('/')[0]!;
    if (!/^[\w.]/.test(path) || path.startsWith('<') || MADE_AT_RUN_TIME.has(head)) continue;
    if (!path.includes('/')) {
      if (!path.startsWith('.')) paths.push(path);
    } else if (path.startsWith('./') || path.startsWith('../') || topFolders.has(head)) paths.push(path);
  }
  return paths;
}

function pattern(path: string): RegExp {
  const body = path
    .replace(/\/$/, '')
    .split('')
    .map((c) => (/[.+?^$()|[\]\\]/.test(c) ? `\\${c}` : c))
    .join('')
    .replace(/<[^>/]*>|\*/g, '[^/]+')
    .replace(/\{([^}]*)\}/g, (_, alternatives: string) => `(?:${alternatives.split(',').join('|')})`);
  return new RegExp(`^${body}(?:/.*)?$`);
}

/** Whether `path`, cited in `file`, names a file or folder among `files` (repository paths). */
export function resolves(path: string, file: string, files: readonly string[]): boolean {
  if (!path.includes('/')) return files.some((f) => posix.basename(f) === path || pattern(path).test(posix.basename(f)));
  const bases = ['', posix.dirname(file), 'generators', 'test', 'clusters/<cluster>'];
  return bases.some((base) => {
    const wanted = posix.normalize(posix.join(base, path));
    if (wanted.startsWith('../')) return false;
    const re = pattern(wanted);
    return files.some((f) => re.test(f));
  });
}

function repositoryFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f !== '' && existsSync(join(REPO, f)));
}

describe('comments cite files that exist', () => {
  const files = repositoryFiles();
  const topFolders = new Set([
    ...files.filter((f) => f.includes('/')).map((f) => f.split('/')[0]!),
    ...files.filter((f) => /^(generators|test)\/[^/]+\//.test(f)).map((f) => f.split('/')[1]!),
  ]);

  it('GIVEN every comment in the repository WHEN the paths it names are looked up THEN each names a file or folder that exists', () => {
    const read = files.filter((f) => !VENDORED.some((v) => v.test(f)));
    const missing = read.flatMap((file) => {
      const comments = commentsOf(file, readFileSync(join(REPO, file), 'utf8')) ?? [];
      return comments.flatMap((comment) =>
        citedPaths(comment.text, topFolders)
          .filter((path) => NOT_FILES[path] === undefined && !resolves(path, file, files))
          .map((path) => `${file}:${comment.line + (comment.text.slice(0, comment.text.indexOf(path)).split('\n').length - 1)}: ${path}; cite a file that exists, or say it in docs/`),
      );
    });
    expect(read.length).toBeGreaterThan(300);
    expect(missing).toEqual([]);
  });

  it('GIVEN comments of each kind WHEN read THEN the paths they name are picked out, and looked up as the rules say', () => {
    const ts = commentsOf('a.ts', "const url = 'https://x.dev/a/b.ts'; // see plan/names.ts\n/** design.md section 3 */\n");
    expect(ts?.map((c) => c.line)).toEqual([1, 2]);
    const tops = new Set(['plan', 'generators', 'test']);
    expect(ts?.flatMap((c) => citedPaths(c.text, tops))).toEqual(['plan/names.ts', 'design.md']);
    expect(commentsOf('x.tf', 'a = 1 # see ./vpc.tf\n// and b.tf\n')?.map((c) => c.text.trim())).toEqual(['see ./vpc.tf', 'and b.tf']);
    expect(citedPaths('Ref https://github.com/kedacore/keda/blob/v2.21.0/pkg/scaling/x.go, apps/v1, <root>/projects/x.ts, dist/build.json', tops)).toEqual([]);
    const repo = ['generators/plan/names.ts', 'projects/shop.ts', 'clusters/dev/apps/appproject.yaml', 'test/helpers/cli.ts'];
    expect(resolves('plan/names.ts', 'generators/chart/x.ts', repo)).toBe(true);
    expect(resolves('./names.ts', 'generators/plan/env-id.ts', repo)).toBe(true);
    expect(resolves('../helpers/cli.ts', 'test/cli/main.test.ts', repo)).toBe(true);
    expect(resolves('projects/<name>.ts', 'README.md', repo)).toBe(true);
    expect(resolves('apps/appproject.yaml', 'generators/plan/layout.ts', repo)).toBe(true);
    expect(resolves('names.ts', 'generators/chart/x.ts', repo)).toBe(true);
    expect(resolves('design.md', 'generators/chart/x.ts', repo)).toBe(false);
    expect(resolves('test/k8s', 'generators/chart/x.ts', repo)).toBe(false);
    expect(resolves('../../x/plan/names.ts', 'generators/plan/env-id.ts', repo)).toBe(false);
  });
});
