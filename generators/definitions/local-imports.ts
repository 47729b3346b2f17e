/**
 * The local modules a TypeScript definition needs to load: the definition files themselves and,
 * transitively, every file they import with a relative specifier (`./_images.ts`,
 * `./shared/images`, `../lib/ports.ts`). Used where definitions are loaded away from their own
 * folder: the base side of `devfleet diff` (files read from git, generators/diff/
 * extract-definitions.ts) and the copy `devfleet new` validates in (generators/scaffold/
 * scaffold-project.ts).
 *
 * esbuild parses the modules (TypeScript included) and follows their imports through a plugin
 * that reads files from the given source, so nothing is resolved on disk behind our back and
 * nothing is executed. Bare specifiers (`devfleet`, npm packages) are left to the loader, and so
 * are relative ones that name no file: loading then reports them as it would for the working
 * tree. Type-only imports are followed too (more files than needed is harmless; fewer is not).
 * Imports computed at run time (`import(name)`, `readFileSync`) cannot be seen and are not
 * supported in definitions. https://esbuild.github.io/plugins/
 */
import { posix } from 'node:path';
import { build, type Loader } from 'esbuild';

/** Where module texts come from. Paths are absolute POSIX paths (`/projects/shop.ts`). */
export interface ModuleSource {
  /** The file's bytes as text, or undefined when no such file exists. */
  read(path: string): string | undefined;
}

/** Extensions tried after a specifier without one, in TypeScript's order, then the `.js` -> `.ts` mapping of ESM TypeScript. */
export const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'];
const JS_TO_TS: Record<string, string> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };
const LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.json': 'json' };

/** Every local file reached from the entries (entries included), sorted. */
export async function localImports(entries: readonly string[], source: ModuleSource): Promise<string[]> {
  const reached = new Set<string>();
  const resolve = (importer: string, specifier: string): string | undefined => {
    const target = posix.resolve(posix.dirname(importer), specifier);
    const ext = posix.extname(target);
    const candidates = [target, ...EXTENSIONS.map((e) => target + e), ...(JS_TO_TS[ext] ? [target.slice(0, -ext.length) + JS_TO_TS[ext]] : []), ...EXTENSIONS.map((e) => `${target}/index${e}`)];
    return candidates.find((path) => source.read(path) !== undefined);
  };
  try {
    await build({
      entryPoints: [...entries],
      bundle: true,
      write: false,
      // Nothing is written; esbuild needs a folder to name its (discarded) outputs when there are several entries.
      outdir: '/devfleet-local-imports',
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      // Keep imports TypeScript would elide as types: their files are copied, never judged.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      plugins: [
        {
          name: 'local-imports',
          setup(on) {
            on.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === 'entry-point') return { path: args.path, namespace: 'local' };
              if (!/^\.\.?(\/|$)/.test(args.path) || args.namespace !== 'local') return { path: args.path, external: true };
              const path = resolve(args.importer, args.path);
              return path === undefined ? { path: args.path, external: true } : { path, namespace: 'local' };
            });
            on.onLoad({ filter: /.*/, namespace: 'local' }, (args) => {
              const contents = source.read(args.path);
              if (contents === undefined) return { contents: '', loader: 'empty' };
              reached.add(args.path);
              return { contents, loader: LOADERS[posix.extname(args.path)] ?? 'empty', resolveDir: posix.dirname(args.path) };
            });
          },
        },
      ],
    });
  } catch (error) {
    // A module that does not parse stops only its own imports; loading it reports the syntax error.
    // Anything else (no location: esbuild itself failed) is a devfleet bug to hear about.
    const errors = (error as { errors?: { location: unknown }[] }).errors;
    if (!errors || errors.some((e) => e.location === null || e.location === undefined)) throw error;
  }
  return [...reached].sort();
}
