/**
 * The definitions of a git commit (`projects/*` and `clusters/*.ts|yaml|json`), written into a
 * temporary folder shaped like the repository, straight from git's object store: the working
 * tree, the index and HEAD are never touched, so a diff can run in a checkout with local changes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NotFoundError, UsageError } from '../util/errors.ts';

/** Definition files devfleet loads (generators/definitions/load.ts), at the top of each folder. */
const DEFINITION = /^(projects|clusters)\/(?!\.)[^/]+\.(ts|mts|ya?ml|json)$/;

export interface ExtractedDefinitions {
  /** A folder with projects/ and clusters/ as they were at the commit. */
  readonly root: string;
  /** The full commit id the ref resolved to. */
  readonly commit: string;
  readonly remove: () => void;
}

function git(cwd: string, args: string[], input?: string): Buffer {
  const run = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30 });
  if (run.error) throw new Error(`git could not be run (${run.error.message}); install git`);
  if (run.status !== 0) throw Object.assign(new Error(run.stderr.toString().trim()), { gitFailed: true });
  return run.stdout;
}

export function extractDefinitionsAt(root: string, ref: string): ExtractedDefinitions {
  if (ref === '' || ref.startsWith('-') || /[\s\0]/.test(ref)) throw new UsageError(`--base ${JSON.stringify(ref)}: give a git ref such as origin/main or a commit id`);
  try {
    execFileSync('git', ['rev-parse', '--show-prefix'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    throw new UsageError(`--root ${root}: is not inside a git repository; devfleet diff compares git commits`);
  }
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).toString().trim();
  } catch {
    throw new NotFoundError(`--base ${ref}: no such commit in this repository; fetch it first (e.g. git fetch origin main) or give a commit id`);
  }
  // Paths are relative to --root (ls-tree reads and prints them relative to its working folder),
  // so a fleet in a subfolder of the repository works. -z: paths verbatim; the long format gives
  // the mode, so symlinks and submodules are skipped.
  const listing = git(root, ['ls-tree', '-r', '-z', commit, '--', 'projects', 'clusters']).toString('utf8');
  const files: { path: string; blob: string }[] = [];
  for (const entry of listing.split('\0')) {
    const match = /^(100644|100755) blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (match && DEFINITION.test(match[3]!)) files.push({ path: match[3]!, blob: match[2]! });
  }

  const dir = mkdtempSync(join(tmpdir(), 'devfleet-diff-base-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    mkdirSync(join(dir, 'projects'));
    mkdirSync(join(dir, 'clusters'));
    // One git process for every blob: `cat-file --batch` answers "<id> blob <size>\n<bytes>\n" per line asked.
    const out = files.length > 0 ? git(root, ['cat-file', '--batch'], files.map((f) => `${f.blob}\n`).join('')) : Buffer.alloc(0);
    let at = 0;
    for (const file of files) {
      const headerEnd = out.indexOf(0x0a, at);
      const header = out.subarray(at, headerEnd).toString();
      const size = Number(/^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1] ?? NaN);
      if (!Number.isFinite(size)) throw new Error(`git cat-file answered ${JSON.stringify(header)} for ${file.path}`);
      const target = join(dir, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, out.subarray(headerEnd + 1, headerEnd + 1 + size));
      at = headerEnd + 1 + size + 1;
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { root: dir, commit, remove };
}
