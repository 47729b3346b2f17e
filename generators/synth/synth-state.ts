/**
 * What the last `synth` of a cluster left on disk, so that the next one can tell, without
 * generating anything, that it would change nothing: the no-op synth of a 1,000-env fleet then
 * costs loading and validating the definitions plus one stat per generated file.
 *
 * The generated tree is a pure function of the cluster's plan, which is a pure function of the
 * cluster and project models (generators/plan/plan.ts), and of devfleet's own code and packages.
 * The fingerprint hashes exactly those: the models as JSON, every file of generators/ and npm's
 * record of the installed packages. If a generator ever reads another input (a file, the clock,
 * an environment variable), that input belongs in the fingerprint too.
 *
 * After a synth, each generated file's size, modification time and inode are recorded; a file
 * edited, replaced, added or removed since then fails the comparison (as git's index notices
 * changed files), and synth falls back to generating and comparing every file. `synth --check`
 * never uses this shortcut: CI compares content, always.
 *
 * The records live in this package's node_modules/.cache/devfleet/synth/ (git-ignored, outside
 * any --root, so a definition repository never gets files it did not ask for), one per root and
 * cluster, the oldest pruned beyond MAX_RECORDS.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClusterPlan } from '../plan/plan.ts';
import { compare } from '../util/problem.ts';
import { packageRoot } from '../util/package-root.ts';
import { listFiles } from './write-tree.ts';

const FORMAT = 1;
const MAX_RECORDS = 64;

type FileStamp = readonly [size: number, mtimeMs: number, ino: number];

interface SynthRecord {
  readonly format: number;
  readonly fingerprint: string;
  /** Absolute path -> stamp, for every file of the tree and the Terraform inputs. */
  readonly files: Record<string, FileStamp>;
  /** Number of files in the cluster tree (what `synth` reports). */
  readonly treeFiles: number;
}

let code: string | undefined;

/** devfleet's generators and installed packages, as one hash (computed once per process). */
function codeIdentity(): string {
  if (code !== undefined) return code;
  const hash = createHash('sha256');
  const root = packageRoot();
  const generators = join(root, 'generators');
  for (const file of listFiles(generators).sort(compare)) hash.update(`${file}\0`).update(readFileSync(join(generators, file))).update('\0');
  for (const lock of ['node_modules/.package-lock.json', 'package-lock.json']) {
    try {
      hash.update(`${lock}\0`).update(readFileSync(join(root, lock)));
    } catch {
      // A missing lock file only means fewer inputs to hash; the other one still identifies the packages.
    }
  }
  return (code = hash.digest('hex'));
}

/** The inputs of one cluster's generated files: its models and devfleet's code. */
export function synthFingerprint(plan: ClusterPlan): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: FORMAT, code: codeIdentity(), cluster: plan.cluster, projects: plan.projects }, collections))
    .digest('hex');
}

/** JSON of Maps and Sets by their entries (plain JSON would write `{}` and hide a change in them). */
function collections(_key: string, value: unknown): unknown {
  if (value instanceof Map) return { map: [...value] };
  if (value instanceof Set) return { set: [...value] };
  return value;
}

function recordFile(root: string, cluster: string): string {
  const key = createHash('sha256').update(`${resolve(root)}\0${cluster}`).digest('hex').slice(0, 32);
  return join(packageRoot(), 'node_modules', '.cache', 'devfleet', 'synth', `${key}.json`);
}

function stamp(file: string): FileStamp | undefined {
  try {
    const s = statSync(file);
    return [s.size, s.mtimeMs, s.ino];
  } catch {
    return undefined;
  }
}

/**
 * The number of files of the cluster tree when the last synth of this root and cluster had the
 * same fingerprint and nothing it wrote has changed since; undefined otherwise.
 */
export function unchangedTree(root: string, cluster: string, fingerprint: string, target: string, extraFiles: readonly string[]): number | undefined {
  let record: SynthRecord;
  try {
    record = JSON.parse(readFileSync(recordFile(root, cluster), 'utf8')) as SynthRecord;
  } catch {
    return undefined;
  }
  if (record.format !== FORMAT || record.fingerprint !== fingerprint) return undefined;
  const onDisk = [...listFiles(target).map((path) => join(target, path)), ...extraFiles];
  if (onDisk.length !== Object.keys(record.files).length) return undefined;
  for (const file of onDisk) {
    const expected = record.files[file];
    const actual = stamp(file);
    if (!expected || !actual || expected[0] !== actual[0] || expected[1] !== actual[1] || expected[2] !== actual[2]) return undefined;
  }
  return record.treeFiles;
}

/** Records what a synth of this root and cluster left on disk. Best effort: a cache that cannot be written is skipped. */
export function recordTree(root: string, cluster: string, fingerprint: string, target: string, extraFiles: readonly string[]): void {
  const files: Record<string, FileStamp> = {};
  const tree = listFiles(target);
  for (const file of [...tree.map((path) => join(target, path)), ...extraFiles]) {
    const s = stamp(file);
    if (!s) return;
    files[file] = s;
  }
  const record: SynthRecord = { format: FORMAT, fingerprint, files, treeFiles: tree.length };
  const path = recordFile(root, cluster);
  try {
    const dir = join(path, '..');
    mkdirSync(dir, { recursive: true });
    const temp = `${path}.${process.pid}`;
    writeFileSync(temp, JSON.stringify(record));
    renameSync(temp, path);
    prune(dir);
  } catch {
    // Only a cache: the next synth compares every file instead.
  }
}

/** Keeps the MAX_RECORDS most recently written records (temporary roots of tests come and go). */
function prune(dir: string): void {
  const records = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }));
  if (records.length <= MAX_RECORDS) return;
  records.sort((a, b) => b.mtime - a.mtime || compare(a.name, b.name));
  for (const { name } of records.slice(MAX_RECORDS)) rmSync(join(dir, name), { force: true });
}
