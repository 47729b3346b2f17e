/**
 * Imports a TypeScript definition file and returns its module namespace.
 *
 * jiti transpiles the file whatever folder it is in (ESM or CommonJS package, or none) and maps
 * the bare specifier `devfleet` to this package's generators/index.ts, so definitions under any
 * --root can `import { defineProject } from 'devfleet'`. The module cache is off: a definition
 * edited on disk is read again on the next load. Transpiled files are cached on disk
 * (node_modules/.cache/jiti/, git-ignored with node_modules/), keyed by a hash of each file's
 * source, so an edited definition is transpiled again and an unchanged one loads without Babel
 * (about 0.3 s of every start on a 2-core machine). jiti itself is imported on the first TypeScript definition only: a fleet written in YAML, and
 * every command that reads no definition, never pays for loading it.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Jiti } from 'jiti';
import { packageRoot } from '../util/package-root.ts';

let jiti: Jiti | undefined;

export async function importTypeScript(url: string): Promise<Record<string, unknown>> {
  // require(), not import(): jiti is CommonJS, and import() would first scan its 300 kB for
  // export names (cjs-module-lexer), a measurable part of `validate`'s start-up.
  jiti ??= (createRequire(import.meta.url)('jiti') as typeof import('jiti')).createJiti(import.meta.url, {
    alias: { devfleet: join(packageRoot(), 'generators', 'index.ts') },
    moduleCache: false,
    fsCache: join(packageRoot(), 'node_modules', '.cache', 'jiti'),
    interopDefault: false,
  });
  return (await jiti.import(fileURLToPath(url))) as Record<string, unknown>;
}
