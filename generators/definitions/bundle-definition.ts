/**
 * Bundles one TypeScript definition, with the helper modules it imports, into one ES module that
 * the sandbox process evaluates without reading a file (./import-sandbox.ts). esbuild transpiles
 * (types stripped, nothing executed) in devfleet's own process, so the sandbox needs no read
 * access, no transpiler and no cache.
 *
 * What a definition may import, checked here with the import's line in the message:
 * - `devfleet` (this package's generators/index.ts: defineProject, defineCluster);
 * - modules in the repository that holds the definitions root (its git work tree; the root itself
 *   outside git), after symbolic links, TypeScript, JavaScript or JSON (projects/README.md "helper
 *   modules"): nothing from elsewhere on the machine ends up in a definition's value;
 * - Node built-ins, except those that start processes or threads or open network connections
 *   (refused here; at run time the permission model refuses the rest).
 *
 * Errors keep the source position: esbuild's own (syntax, unresolved imports) point into the
 * source, and stack frames of the bundle are mapped back through its source map (mapBundlePosition).
 * Ref https://esbuild.github.io/plugins/#resolve-callbacks
 */
import { existsSync, realpathSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, extname, isAbsolute, join, relative, sep } from 'node:path';
import type { Message, Plugin } from 'esbuild';
import { packageRoot } from '../util/package-root.ts';

export type Bundle = { readonly kind: 'bundle'; readonly code: string; readonly map: string } | { readonly kind: 'error'; readonly message: string };

/** The module `import ... from 'devfleet'` names. */
export const DEVFLEET_INDEX = join(packageRoot(), 'generators', 'index.ts');

/** Extensions of modules a definition may import. */
const MODULE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'];

/** Node built-ins a definition may not import, and why. */
const REFUSED_BUILTINS: Readonly<Record<string, string>> = {
  child_process: 'definitions may not start processes',
  cluster: 'definitions may not start processes',
  worker_threads: 'definitions may not start threads',
  net: 'definitions may not open network connections',
  tls: 'definitions may not open network connections',
  http: 'definitions may not open network connections',
  https: 'definitions may not open network connections',
  http2: 'definitions may not open network connections',
  dgram: 'definitions may not open network connections',
  dns: 'definitions may not open network connections',
  'dns/promises': 'definitions may not open network connections',
  inspector: 'definitions may not open the inspector',
};

function inside(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** The top of the git work tree holding `root` (the nearest folder with a `.git`), or `root` itself outside git. */
export function repositoryTop(root: string): string {
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return root;
  }
}

function guard(root: string): Plugin {
  const allowed = [repositoryTop(root), realpathSync(join(packageRoot(), 'generators'))];
  return {
    name: 'devfleet-definition-guard',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'guarded') return undefined;
        if (args.path === 'devfleet') return { path: DEVFLEET_INDEX };
        const builtin = REFUSED_BUILTINS[args.path.replace(/^node:/, '')];
        if (builtin && (args.path.startsWith('node:') || !/^\.|\//.test(args.path))) return { errors: [{ text: `imports ${args.path}, but ${builtin}` }] };
        if (args.kind === 'entry-point') return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'guarded' });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (resolved.external || !isAbsolute(resolved.path)) return resolved;
        let real: string;
        try {
          real = realpathSync(resolved.path);
        } catch {
          return resolved;
        }
        if (!allowed.some((dir) => inside(dir, real))) {
          return { errors: [{ text: `imports '${args.path}', a file outside the repository that holds the definitions, which devfleet does not read; keep helper modules in the repository` }] };
        }
        if (!MODULE_EXTENSIONS.includes(extname(real))) {
          return { errors: [{ text: `imports '${args.path}', which is not a module; definitions import TypeScript, JavaScript or JSON (${MODULE_EXTENSIONS.join(' ')})` }] };
        }
        return resolved;
      });
    },
  };
}

/** Bundles under way in this process. */
let building = 0;

/**
 * Stops esbuild's service process when no bundle is under way (a later bundle starts a new one),
 * so devfleet leaves no process behind when it ends.
 */
export async function stopBundler(): Promise<void> {
  if (building > 0) return;
  const { stop } = await import('esbuild');
  if (building === 0) await stop();
}

/** The definition at `path` (absolute, under `root`) as one ES module with its source map, or why not. */
export async function bundleDefinition(path: string, root: string): Promise<Bundle> {
  building++;
  try {
    return await bundle(path, root);
  } finally {
    building--;
  }
}

async function bundle(path: string, root: string): Promise<Bundle> {
  const { build } = await import('esbuild');
  const realRoot = realpathSync(root);
  try {
    const result = await build({
      entryPoints: [path],
      absWorkingDir: realRoot,
      bundle: true,
      write: false,
      // Never written: names the output so the source map's paths are relative to the root.
      outfile: join(realRoot, 'definition.mjs'),
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: false,
      logLevel: 'silent',
      // No tsconfig.json is read (its `extends` could name any file); definitions need none.
      tsconfigRaw: {},
      plugins: [guard(realRoot)],
    });
    const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!.text;
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'))!.text;
    return { kind: 'bundle', code, map };
  } catch (error) {
    const first = (error as { errors?: Message[] }).errors?.[0];
    if (!first) throw error;
    return { kind: 'error', message: describe(first, path, realRoot) };
  }
}

/** esbuild's message in the loader's words, with its source position. */
function describe(message: Message, definition: string, root: string): string {
  const unresolved = /^Could not resolve "(.*)"$/.exec(message.text);
  const text = unresolved ? `Cannot find module '${unresolved[1]}'` : message.text;
  const at = message.location;
  if (!at) return text;
  const file = join(root, at.file);
  const where = file === definition || file === realPathOr(definition) ? '' : `${relative(root, file).split(sep).join('/')}, `;
  return `${text} (${where}line ${at.line}, column ${at.column + 1})`;
}

function realPathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** " (line L, column C)" of the first bundle position that maps into a file under the root. */
export function mapBundlePosition(map: string, frames: readonly { line: number; column: number }[], definition: string, root: string): string {
  const realRoot = realPathOr(root);
  const sourceMap = new SourceMap(JSON.parse(map));
  for (const frame of frames) {
    const entry = sourceMap.findEntry(frame.line - 1, frame.column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) continue;
    const file = join(realRoot, entry.originalSource);
    if (!inside(realRoot, file)) continue;
    const where = file === realPathOr(definition) ? '' : `${relative(realRoot, file).split(sep).join('/')}, `;
    return ` (${where}line ${entry.originalLine + 1}, column ${entry.originalColumn + 1})`;
  }
  return '';
}
