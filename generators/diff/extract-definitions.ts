/**
 * The definitions of a git commit, written into a temporary folder shaped like the repository,
 * straight from git's object store: the working tree, the index and HEAD are never touched, so a
 * diff can run in a checkout with local changes.
 *
 * What is written: the definition files of projects/ and clusters/ (the loader's rule,
 * definitions/load.ts `isDefinitionFileName`) and every local module a TypeScript definition
 * imports, transitively (definitions/local-imports.ts): `_`-prefixed helpers, helpers in
 * subfolders, and files elsewhere in the repository, each at its own path. Files are only read
 * and parsed here, never run; loading the definitions afterwards runs them as `validate` would.
 */
import { DEFINITION_DIRS } from '../plan/layout.ts';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isDefinitionFileName } from '../definitions/load.ts';
import { localImports } from '../definitions/local-imports.ts';
import { UsageError } from '../util/errors.ts';

/** A definition at the top of projects/ or clusters/ (relative to --root). */
const isDefinition = (path: string) => /^(projects|clusters)\/[^/]+$/.test(path) && isDefinitionFileName(path.slice(path.indexOf('/') + 1));
const isModule = (path: string) => /\.m?ts$/.test(path);

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

export async function extractDefinitionsAt(root: string, ref: string): Promise<ExtractedDefinitions> {
  if (ref === '' || ref.startsWith('-') || /[\s\0]/.test(ref)) throw new UsageError(`--base ${JSON.stringify(ref)}: give a git ref such as origin/main or a commit id`);
  let prefix: string;
  try {
    prefix = execFileSync('git', ['rev-parse', '--show-prefix'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError('git could not be run (is it installed and on PATH?); devfleet diff compares git commits, so install git');
    throw new UsageError(`--root ${root}: is not inside a git repository; devfleet diff compares git commits`);
  }
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).toString().trim();
  } catch {
    throw new UsageError(`--base ${ref}: no such commit in this repository; fetch it first (e.g. git fetch origin main) or give a commit id`);
  }
  // Every file of the commit by its path from the repository's top (--full-tree), so imports that
  // leave --root still resolve; --root is <top>/<prefix>. -z: paths verbatim; the long format
  // gives the mode, so symlinks and submodules are skipped.
  const listing = git(root, ['ls-tree', '-r', '-z', '--full-tree', commit]).toString('utf8');
  const blobs = new Map<string, string>();
  for (const entry of listing.split('\0')) {
    const match = /^(100644|100755) blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (match) blobs.set(`/${match[3]!}`, match[2]!);
  }
  const fromRoot = (path: string) => (path.startsWith(`/${prefix}`) ? path.slice(prefix.length + 1) : undefined);
  const definitions = [...blobs.keys()].filter((path) => {
    const relative = fromRoot(path);
    return relative !== undefined && isDefinition(relative);
  });

  // One git process for every definition: `cat-file --batch` answers "<id> blob <size>\n<bytes>\n" per line asked.
  const texts = readBlobs(root, definitions.map((path) => ({ path, blob: blobs.get(path)! })));
  const read = (path: string): Buffer | undefined => {
    if (!texts.has(path)) {
      const blob = blobs.get(path);
      if (blob === undefined) return undefined;
      texts.set(path, git(root, ['cat-file', 'blob', blob]));
    }
    return texts.get(path);
  };
  const files = new Set([...definitions, ...(await localImports(definitions.filter(isModule), { read: (path) => read(path)?.toString('utf8') }))]);

  const dir = mkdtempSync(join(tmpdir(), 'devfleet-diff-base-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const base = join(dir, ...prefix.split('/').filter(Boolean));
  try {
    // The top of the repository's copy: definitions may import modules up to here, not above
    // (definitions/bundle-definition.ts repositoryTop).
    mkdirSync(join(dir, '.git'));
    for (const folder of Object.values(DEFINITION_DIRS)) mkdirSync(join(base, folder), { recursive: true });
    for (const path of [...files].sort()) {
      const target = join(dir, ...path.split('/').filter(Boolean));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, read(path)!);
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { root: base, commit, remove };
}

function readBlobs(root: string, files: readonly { path: string; blob: string }[]): Map<string, Buffer> {
  const texts = new Map<string, Buffer>();
  const out = files.length > 0 ? git(root, ['cat-file', '--batch'], files.map((f) => `${f.blob}\n`).join('')) : Buffer.alloc(0);
  let at = 0;
  for (const file of files) {
    const headerEnd = out.indexOf(0x0a, at);
    const header = out.subarray(at, headerEnd).toString();
    const size = Number(/^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1] ?? NaN);
    if (!Number.isFinite(size)) throw new Error(`git cat-file answered ${JSON.stringify(header)} for ${file.path}`);
    texts.set(file.path, out.subarray(headerEnd + 1, headerEnd + 1 + size));
    at = headerEnd + 1 + size + 1;
  }
  return texts;
}
