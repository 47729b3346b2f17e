/**
 * `devfleet diff --base <git-ref>`: what the working tree's definitions change compared with a
 * commit: envs added, changed and removed, their manifest diffs, validation and ALB usage.
 * Markdown (default, sized for a pull-request comment) or JSON. Exit 1 when the working tree's
 * definitions do not validate (the report is still printed), 0 otherwise.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { validateFleet } from '../../definitions/load-fleet.ts';
import { extractDefinitionsAt } from '../../diff/extract-definitions.ts';
import { diffFleets } from '../../diff/fleet-diff.ts';
import { DEFAULT_MAX_CHARS, formatDiffMarkdown } from '../../diff/format-markdown.ts';
import { GITHUB_BODY_MAX } from '../../util/github-limits.ts';
import { UsageError } from '../../util/errors.ts';
import type { Io } from '../io.ts';

export interface DiffOptions {
  readonly base: string;
  readonly format?: 'markdown' | 'json';
  /** The same as `--format json`, as every other command spells it. */
  readonly json?: boolean;
  readonly maxChars?: string;
  readonly fullOutput?: string;
}

export async function diffCommand(root: string, flags: DiffOptions, io: Io): Promise<number> {
  if (flags.json && flags.format === 'markdown') throw new UsageError('--json and --format markdown ask for different outputs; give one of them');
  const opts = { ...flags, format: flags.json ? 'json' : (flags.format ?? 'markdown') };
  const maxChars = opts.maxChars === undefined ? DEFAULT_MAX_CHARS : Number(opts.maxChars);
  if (!Number.isInteger(maxChars) || maxChars < 1_000 || maxChars >= GITHUB_BODY_MAX) {
    throw new UsageError(`--max-chars ${opts.maxChars}: give a whole number from 1000 to ${GITHUB_BODY_MAX - 1} (GitHub's comment limit is ${GITHUB_BODY_MAX})`);
  }
  const fullOutput = opts.fullOutput === undefined ? undefined : checkedOutputPath(opts.fullOutput);
  const base = await extractDefinitionsAt(root, opts.base);
  let diff;
  try {
    const [before, after] = [await validateFleet(base.root), await validateFleet(root)];
    diff = diffFleets({ ...before, ref: opts.base, commit: base.commit }, after);
  } finally {
    base.remove();
  }
  const full = () => (opts.format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : formatDiffMarkdown(diff, { maxChars: Infinity }).text);
  if (fullOutput !== undefined) {
    try {
      mkdirSync(dirname(fullOutput), { recursive: true });
      writeFileSync(fullOutput, full());
    } catch (error) {
      throw new UsageError(`--full-output ${opts.fullOutput}: could not be written (${(error as NodeJS.ErrnoException).code ?? String(error)}); give a file path you can write`);
    }
  }
  if (opts.format === 'json') io.stdout(full());
  else io.stdout(formatDiffMarkdown(diff, { maxChars, ...(opts.fullOutput !== undefined ? { fullOutputHint: 'the file written by --full-output (in CI: the job summary of the workflow run and its `devfleet-diff` artifact)' } : {}) }).text);
  return diff.head.valid ? 0 : 1;
}

/** The --full-output path, refused before any work when it cannot be a file: a folder, or under a file. */
function checkedOutputPath(option: string): string {
  if (option.trim() === '') throw new UsageError('--full-output "": give a file path, e.g. --full-output diff.md');
  const path = resolve(option);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--full-output ${option}: is a folder; give a file path, e.g. ${join(option, 'diff.md')}`);
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new UsageError(`--full-output ${option}: ${dir} is a file, not a folder; give a file path in a folder`);
      return path;
    }
    if (dirname(dir) === dir) return path;
  }
}
