/**
 * Writing generated trees all-or-nothing, and comparing them with what is on disk.
 *
 * Every tree is first compared with its target folder. A tree equal to the folder is left alone:
 * a no-op synth writes nothing, and every file keeps its modification time. A tree that differs
 * is staged in full in a folder beside its target: files whose text changed are written there,
 * every unchanged file is a hard link to the file already in the target (no data written; same
 * inode, so the same modification time after the swap). Only when every changed tree is staged
 * are they swapped in, each with two renames (old -> backup, staged -> target); the backups are
 * removed last. So a synth that changes one project rewrites that project's files only, and the
 * tree is still replaced whole: a run that fails or is killed while staging leaves the old trees
 * byte-for-byte (the next run deletes its leftovers); a run killed between the two renames of a
 * swap (microseconds) leaves a backup, which the next run restores before anything else. Where
 * hard links are refused (a file system without them), the unchanged file is copied and given
 * its old modification time.
 *
 * A generated file that lives among hand-written ones (terraform/clusters/<cluster>/
 * devfleet.auto.tfvars.json beside the cluster's .tf files) cannot be a swapped folder: when its
 * text changed, it is staged as a temporary file in its own folder together with the trees, and
 * renamed over the old file (rename is atomic within a file system) right after the folders are
 * swapped. A kill before that rename leaves the old file and a staging file, which the next run
 * deletes; `synth` then regenerates both, and `synth --check` reports the stale file until it does.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { compare } from '../util/problem.ts';
import type { Tree } from './cluster-tree.ts';

const STAGING = '.devfleet-staging-';
const BACKUP = '.devfleet-backup-';

/** Restores backups left by a run killed mid-swap and removes abandoned staging folders. */
export function recoverInterrupted(parent: string): void {
  if (!existsSync(parent)) return;
  for (const entry of readdirSync(parent)) {
    if (entry.startsWith(BACKUP)) {
      const target = join(parent, entry.slice(BACKUP.length).replace(/\.[0-9]+$/, ''));
      if (existsSync(target)) rmSync(join(parent, entry), { recursive: true, force: true });
      else renameSync(join(parent, entry), target);
    } else if (entry.startsWith(STAGING)) {
      rmSync(join(parent, entry), { recursive: true, force: true });
    }
  }
}

/** What a write changed: files written (new or different text), removed, and left as they were. */
export interface WriteSummary {
  readonly written: number;
  readonly removed: number;
  readonly unchanged: number;
}

/**
 * Replaces each target folder with exactly the files of its tree, and each of `files` (absolute
 * path -> text) with its text; folders and files already equal to their text are not touched.
 */
export function writeTrees(
  trees: ReadonlyMap<string, Tree>,
  hooks: { beforeSwap?: () => void } = {},
  files: ReadonlyMap<string, string> = new Map(),
): WriteSummary {
  const staged: [target: string, staging: string][] = [];
  const stagedFiles: [file: string, staging: string][] = [];
  let written = 0;
  let removed = 0;
  let unchanged = 0;
  try {
    // Leftovers of an earlier run first, each folder once: recovering while staging would delete
    // this run's own staging folder of an earlier cluster in the same folder.
    for (const parent of new Set([...trees.keys(), ...files.keys()].map((path) => dirname(path)))) {
      mkdirSync(parent, { recursive: true });
      recoverInterrupted(parent);
    }
    for (const [target, tree] of trees) {
      const parent = dirname(target);
      const onDisk = new Set(listFiles(target));
      const same = new Set<string>();
      for (const [path, text] of tree) if (onDisk.has(path) && sameText(join(target, path), text)) same.add(path);
      const extra = [...onDisk].filter((path) => !tree.has(path)).length;
      unchanged += same.size;
      if (same.size === tree.size && extra === 0) continue;
      written += tree.size - same.size;
      removed += extra;
      const staging = join(parent, `${STAGING}${target.slice(parent.length + 1)}.${process.pid}`);
      rmSync(staging, { recursive: true, force: true });
      staged.push([target, staging]);
      const made = new Set<string>();
      for (const [path, text] of tree) {
        const file = join(staging, path);
        const dir = dirname(file);
        if (!made.has(dir)) {
          mkdirSync(dir, { recursive: true });
          made.add(dir);
        }
        if (same.has(path)) linkOrCopy(join(target, path), file);
        else writeFileSync(file, text);
      }
    }
    for (const [file, text] of files) {
      const dir = dirname(file);
      if (sameText(file, text)) {
        unchanged++;
        continue;
      }
      written++;
      const staging = join(dir, `${STAGING}${basename(file)}.${process.pid}`);
      stagedFiles.push([file, staging]);
      writeFileSync(staging, text);
    }
    if (staged.length > 0 || stagedFiles.length > 0) hooks.beforeSwap?.();
  } catch (error) {
    for (const [, staging] of staged) rmSync(staging, { recursive: true, force: true });
    for (const [, staging] of stagedFiles) rmSync(staging, { force: true });
    throw error;
  }
  const backups: string[] = [];
  for (const [target, staging] of staged) {
    const backup = join(dirname(target), `${BACKUP}${target.slice(dirname(target).length + 1)}.${process.pid}`);
    if (existsSync(target)) {
      renameSync(target, backup);
      backups.push(backup);
    }
    renameSync(staging, target);
  }
  for (const [file, staging] of stagedFiles) renameSync(staging, file);
  for (const backup of backups) rmSync(backup, { recursive: true, force: true });
  return { written, removed, unchanged };
}

/** True when `file` exists and holds exactly `text`. */
function sameText(file: string, text: string): boolean {
  try {
    return readFileSync(file, 'utf8') === text;
  } catch {
    return false;
  }
}

/** A second name for an unchanged file; a copy with the same modification time where links are refused. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
    const { atime, mtime } = statSync(from);
    utimesSync(to, atime, mtime);
  }
}

export interface TreeDifference {
  /** Path relative to the root, forward slashes. */
  readonly file: string;
  readonly change: 'changed' | 'missing' | 'unexpected';
}

/** Files whose content on disk differs from the tree, is missing, or is not part of it. */
export function diffTree(root: string, target: string, tree: Tree): TreeDifference[] {
  const rel = (path: string) => relative(root, join(target, path)).split(sep).join('/');
  const differences: TreeDifference[] = [];
  const onDisk = new Set(listFiles(target));
  for (const [path, text] of tree) {
    if (!onDisk.has(path)) differences.push({ file: rel(path), change: 'missing' });
    else if (readFileSync(join(target, path), 'utf8') !== text) differences.push({ file: rel(path), change: 'changed' });
    onDisk.delete(path);
  }
  for (const path of onDisk) differences.push({ file: rel(path), change: 'unexpected' });
  return differences.sort((a, b) => compare(a.file, b.file));
}

/** A single generated file (absolute path) compared with its text: [] when equal. */
export function diffFile(root: string, file: string, text: string): TreeDifference[] {
  const rel = relative(root, file).split(sep).join('/');
  if (!existsSync(file)) return [{ file: rel, change: 'missing' }];
  return readFileSync(file, 'utf8') === text ? [] : [{ file: rel, change: 'changed' }];
}

/** Every file under `dir`, relative to it, forward slashes. */
export function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(join(dir, entry.name), path));
    else out.push(path);
  }
  return out;
}
