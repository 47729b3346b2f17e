/**
 * Imports a TypeScript definition file and returns its module namespace.
 *
 * jiti transpiles the file whatever folder it is in (ESM or CommonJS package, or none) and maps
 * the bare specifier `devfleet` to this package's generators/index.ts, so definitions under any
 * --root can `import { defineProject } from 'devfleet'`. The module cache is off: a definition
 * edited on disk is read again on the next load, and nothing is written to a cache folder.
 */
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';

const jiti = createJiti(import.meta.url, {
  alias: { devfleet: fileURLToPath(new URL('../index.ts', import.meta.url)) },
  moduleCache: false,
  fsCache: false,
  interopDefault: false,
});

export async function importTypeScript(url: string): Promise<Record<string, unknown>> {
  return (await jiti.import(fileURLToPath(url))) as Record<string, unknown>;
}
