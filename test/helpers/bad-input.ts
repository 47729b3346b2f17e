/**
 * Bad-input cases for one check, in the style of test/definitions/load-fleet.test.ts: start from
 * one small VALID baseline (a YAML cluster, a YAML project, a TypeScript project), introduce ONE
 * defect, then
 *
 * 1. `devfleet validate` exits 1 and prints a problem line that starts with exactly
 *    `<file>: <field path>: ` and contains the given fragments (value, rule, fix);
 * 2. `devfleet synth` on a root that already holds the baseline's generated `clusters/dev/`
 *    exits 1 with the same problems and writes, deletes and leaves behind nothing.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { runCli, type CliResult } from './cli.ts';
import { snapshotTree, tempRoot } from './fixtures.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- definitions are edited as loose data on purpose */
export type Data = any;
/** Definitions by file path; `.yaml`/`.json` are written as data, `.ts` as a defineProject/defineCluster module. */
export type Defs = Record<string, Data>;
/** File texts by path. */
export type Files = Record<string, string>;

export const CLUSTER = 'clusters/dev.yaml';
export const WEB = 'projects/web.yaml';
export const SHOP = 'projects/shop.ts';

export const C = (defs: Defs) => defs[CLUSTER];
export const W = (defs: Defs) => defs[WEB];
export const S = (defs: Defs) => defs[SHOP];

export function baseline(): Defs {
  return {
    [CLUSTER]: {
      name: 'dev',
      domain: 'dev.example.com',
      timeZone: 'Asia/Tokyo',
      schedule: { sleep: '22:00' },
      developers: [{ name: 'alice', email: 'alice@example.com' }, { name: 'bob', email: 'bob@example.com' }, { name: 'carol' }],
      argocd: { repoURL: 'https://github.com/example/devfleet.git' },
    },
    [WEB]: {
      name: 'web',
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          ports: [{ name: 'http', port: 8080 }],
          readiness: { port: 'http', path: '/' },
          resources: { cpu: '100m', memory: '128Mi' },
          volumes: [{ path: '/var/cache/nginx' }],
        },
        {
          name: 'api',
          image: 'ghcr.io/acme/api:1.0',
          env: { APP_ENV: 'development', DB_PASSWORD: { secret: 'web-db', key: 'password' } },
          ports: [{ name: 'api', port: 9090 }],
          volumes: [{ path: '/data', persistent: true, size: '2Gi' }],
        },
      ],
      routes: [
        { host: 'web.com', port: 'http' },
        { host: 'api.web.com', port: 'api' },
      ],
      developers: ['alice', 'bob'],
      schedule: { wake: '09:00' },
      swap: { container: 'api' },
    },
    [SHOP]: {
      name: 'shop',
      description: 'A one-container shop',
      containers: [{ name: 'app', image: 'ghcr.io/acme/shop:2.3.1', ports: [{ name: 'http', port: 3000 }] }],
      routes: [{ host: 'shop.com', port: 'http' }],
    },
  };
}

export function render(defs: Defs): Files {
  const files: Files = {};
  for (const [path, data] of Object.entries(defs)) {
    if (path.endsWith('.ts')) {
      const define = path.startsWith('clusters/') ? 'defineCluster' : 'defineProject';
      files[path] = `import { ${define} } from 'devfleet';\n\nexport default ${define}(${JSON.stringify(data, null, 2)});\n`;
    } else if (path.endsWith('.json')) {
      files[path] = `${JSON.stringify(data, null, 2)}\n`;
    } else {
      files[path] = stringify(data);
    }
  }
  return files;
}

/** Writes `next` over a root that holds `previous`: changed files rewritten, dropped files deleted. */
export function applyFiles(root: string, previous: Files, next: Files): void {
  for (const path of Object.keys(previous)) if (!(path in next)) rmSync(join(root, path));
  for (const [path, text] of Object.entries(next)) {
    if (previous[path] === text) continue;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

export interface BadInputCase {
  /** What the one defect is, for the test name. */
  readonly given: string;
  /** Edits the baseline definitions (data level). */
  readonly defect?: (defs: Defs) => void;
  /** Edits the rendered file texts (for defects data cannot express). */
  readonly text?: (files: Files) => void;
  /** Changes the root after the files are written (symbolic links, files outside the root). */
  readonly root?: (root: string) => void;
  readonly file: string;
  readonly path: string;
  /** Fragments the problem line must contain: the offending value and the fix. */
  readonly says: readonly (string | RegExp)[];
  /** Fragments no line of stderr may contain (e.g. the content of a file that must not be read). */
  readonly never?: readonly string[];
  /** YAML/JSON sources: the problem line ends with ` (line N)`, N being the line of the file that contains this text. */
  readonly lineOf?: string;
  /** How many problems the one defect causes in total (default 1). */
  readonly problems?: number;
}

export function defective(c: Pick<BadInputCase, 'defect' | 'text'>): Files {
  const defs = baseline();
  c.defect?.(defs);
  const files = render(defs);
  c.text?.(files);
  return files;
}

const SUMMARY = /^devfleet: (\d+) problem\(s\) in (\d+) file\(s\); nothing was written$/;
/** `<file>: <field path>: <message>` with an optional ` (line N)`. */
const CONTRACT = /^(?:projects|clusters)\/[^\s:]*: \S+: \S.*$/;

/** The one line for (file, path) that contains every fragment; fails with the whole stderr otherwise. */
export function problemLine(result: CliResult, c: Pick<BadInputCase, 'file' | 'path' | 'says'>): string {
  const prefix = `${c.file}: ${c.path}: `;
  const lines = result.stderr.split('\n').filter((line) => line.startsWith(prefix));
  expect(lines, `no problem line starts with "${prefix}"; stderr was:\n${result.stderr}`).not.toHaveLength(0);
  const matching = lines.filter((line) => c.says.every((f) => (typeof f === 'string' ? line.includes(f) : f.test(line))));
  expect(matching, `no "${prefix}" line contains ${c.says.map(String).join(' + ')}; stderr was:\n${result.stderr}`).toHaveLength(1);
  return matching[0]!;
}

export function expectWellFormed(result: CliResult, problems: number): void {
  expect(result.stderr).not.toContain('unexpected error');
  const lines = result.stderr.split('\n');
  const summary = SUMMARY.exec(lines.at(-1) ?? '');
  expect(summary, `last stderr line is not the summary; stderr was:\n${result.stderr}`).not.toBeNull();
  expect(Number(summary![1]), `problem count; stderr was:\n${result.stderr}`).toBe(problems);
  expect(lines).toHaveLength(problems + 1);
  for (const line of lines.slice(0, -1)) expect(line).toMatch(CONTRACT);
}

/** The 1-based line of `text` holding `needle` (its first occurrence, or the n-th with [needle, n]). */
export function lineNumberOf(text: string, where: string | readonly [string, number]): number {
  const [needle, nth] = typeof where === 'string' ? [where, 1] : where;
  const lines = text.split('\n').flatMap((line, i) => (line.includes(needle) ? [i + 1] : []));
  if (lines.length < nth) throw new Error(`test bug: "${needle}" is not ${nth} time(s) in\n${text}`);
  return lines[nth - 1]!;
}

/** Files that are not definitions nor the generated tree: staging or backup leftovers of a synth. */
export function leftovers(root: string): string[] {
  return existsSync(join(root, 'clusters')) ? readdirSync(join(root, 'clusters')).filter((e) => e.startsWith('.devfleet-')) : [];
}

/** A root with the baseline definitions (optionally edited) and its generated clusters/dev/ tree. */
export async function synthesizedBaseline(edit?: (defs: Defs) => void): Promise<{ root: string; files: Files; generated: Record<string, string> }> {
  const files = defective({ defect: edit });
  const root = tempRoot(files);
  const first = await runCli('synth', '--root', root);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const generated = snapshotTree(join(root, 'clusters', 'dev'));
  expect(Object.keys(generated).length).toBeGreaterThan(10);
  return { root, files, generated };
}

/**
 * Runs one case against a synthesised baseline (or `start`, a valid edit of it whose tree is
 * generated first): validate and synth both refuse it, naming the file and field, and nothing
 * is written.
 */
export async function expectRefused(c: BadInputCase, start?: (defs: Defs) => void): Promise<CliResult> {
  const { root, files, generated } = await synthesizedBaseline(start);
  const broken = defective({
    defect: (d) => {
      start?.(d);
      c.defect?.(d);
    },
    text: c.text,
  });
  applyFiles(root, files, broken);
  c.root?.(root);
  const before = snapshotTree(root);

  const validate = await runCli('validate', '--root', root);
  expect(validate.code, validate.stderr).toBe(1);
  expect(validate.stdout).toBe('');
  expectWellFormed(validate, c.problems ?? 1);
  const line = problemLine(validate, c);
  if (c.lineOf !== undefined) expect(line.endsWith(` (line ${lineNumberOf(broken[c.file]!, c.lineOf)})`), line).toBe(true);
  for (const text of c.never ?? []) expect(validate.stderr).not.toContain(text);

  const synth = await runCli('synth', '--root', root);
  expect(synth.code, synth.stderr).toBe(1);
  expect(synth.stdout).toBe('');
  expect(synth.stderr).toBe(validate.stderr);
  expect(snapshotTree(root)).toEqual(before);
  expect(snapshotTree(join(root, 'clusters', 'dev'))).toEqual(generated);
  expect(leftovers(root)).toEqual([]);
  return validate;
}

/** The baseline (optionally edited) validates: the control that shows a case's one defect is what fails. */
export async function expectValid(edit?: (defs: Defs) => void): Promise<void> {
  const result = await runCli('validate', '--root', tempRoot(defective({ defect: edit })));
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}
