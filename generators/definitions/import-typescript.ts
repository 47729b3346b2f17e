/**
 * Imports a TypeScript definition file and returns its module namespace.
 *
 * The CLI runs under tsx (bin/devfleet.js registers it together with a resolve hook that maps
 * the bare specifier `devfleet` to generators/index.ts, so definitions outside this package
 * resolve too); vitest transforms TypeScript itself. The content hash in the URL makes a file
 * that changed on disk load again instead of coming from the module cache.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function importTypeScript(url: string): Promise<Record<string, unknown>> {
  const digest = createHash('sha256').update(readFileSync(fileURLToPath(url))).digest('hex').slice(0, 16);
  return (await import(`${url}?v=${digest}`)) as Record<string, unknown>;
}
