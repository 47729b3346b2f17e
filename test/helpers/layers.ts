/**
 * The layers of generators/, read from the table in generators/README.md (the one place they are
 * written): bottom first, and which folder belongs to which.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Layers {
  /** Layer names, bottom first. */
  readonly order: readonly string[];
  /** Folder (`plan`, `bots/bin`) or top-level file (`index.ts`) -> layer. */
  readonly folders: ReadonlyMap<string, string>;
}

export function readLayers(readme = resolve(import.meta.dirname, '../../generators/README.md')): Layers {
  const order: string[] = [];
  const folders = new Map<string, string>();
  for (const line of readFileSync(readme, 'utf8').split('\n')) {
    const row = /^\| \*\*([a-z]+)\*\* \| ([^|]+) \|/.exec(line);
    if (!row) continue;
    order.push(row[1]!);
    for (const [, folder] of row[2]!.matchAll(/`([^`]+)`/g)) folders.set(folder!.replace(/\/$/, ''), row[1]!);
  }
  return { order, folders };
}

/** `plan/plan.ts` -> `plan`; `bots/bin/<file>.ts` -> `bots/bin` (the longest folder listed); `index.ts` -> `index.ts`. */
export function folderOf(file: string, layers: Layers): string {
  const parts = file.split('/');
  for (let n = parts.length - 1; n >= 1; n--) {
    const folder = parts.slice(0, n).join('/');
    if (layers.folders.has(folder)) return folder;
  }
  return parts.length === 1 ? file : parts[0]!;
}

export function layerOf(file: string, layers: Layers): string | undefined {
  return layers.folders.get(folderOf(file, layers));
}
