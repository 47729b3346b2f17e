/** Temporary repository-shaped folders for tests. */
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const REPO = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

const made: string[] = [];
// Removed when the test file ends, so folders made in beforeAll live through every test.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder with the given files (path -> text); removed after the test. */
export function tempRoot(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'devfleet-test-'));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A temp copy of the repository's definitions (projects/ and clusters/*.ts), optionally with the generated tree. */
export function copyOfExamples(options: { withGenerated?: boolean } = {}): string {
  const root = tempRoot();
  cpSync(join(REPO, 'projects'), join(root, 'projects'), { recursive: true });
  mkdirSync(join(root, 'clusters'));
  for (const entry of readdirSync(join(REPO, 'clusters'))) {
    const from = join(REPO, 'clusters', entry);
    if (statSync(from).isFile()) cpSync(from, join(root, 'clusters', entry));
    else if (options.withGenerated) cpSync(from, join(root, 'clusters', entry), { recursive: true });
  }
  return root;
}

/**
 * The bundled cluster definition (`clusters/dev.ts` under `root`) switched to per-env Ingresses in
 * ALB IngressGroups (`ingress.mode: ingress-groups`), for the tests of that mode.
 */
export function useIngressGroups(root: string, groups = 1): void {
  const file = join(root, 'clusters', 'dev.ts');
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(/\n  argocd: /, `\n  ingress: { mode: 'ingress-groups', groups: ${groups} },\n  argocd: `);
  if (changed === text) throw new Error(`${file}: no "argocd:" line to put ingress before`);
  writeFileSync(file, changed);
}

/** Every file under a folder with its bytes, for before/after comparisons. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(d, entry);
      const rel = prefix ? `${prefix}/${entry}` : entry;
      // A symbolic link is recorded as its target, never followed (it may lead out of the tree, or nowhere).
      const entryStat = lstatSync(path);
      if (entryStat.isSymbolicLink()) out[rel] = `-> ${readlinkSync(path)}`;
      else if (entryStat.isDirectory()) walk(path, rel);
      else out[rel] = readFileSync(path, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}
