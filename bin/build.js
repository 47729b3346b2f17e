#!/usr/bin/env node
// Compiles the CLI (generators/cli/main.ts and everything it imports, statically or dynamically)
// into dist/, plain JavaScript that Node loads without a TypeScript loader hook.
//
// - `npm ci` runs it (package.json `prepare`), so a fresh clone starts fast; `npm test` and
//   `npm run bench` run it first. dist/ is git-ignored: build output is never committed.
// - esbuild bundles our modules and splits the bundle at every dynamic import() (one chunk per
//   command, see generators/cli/main.ts), so a command loads only its own code.
// - The small pure-JavaScript packages every start needs (BUNDLED) are bundled too: Node then
//   reads a few files instead of resolving and reading about a hundred (ajv alone is ~80 CommonJS
//   files). Every other package stays external and is loaded from node_modules as usual, when
//   the command that needs it runs (cdk8s and its generated jsii code, the Kubernetes client,
//   octokit, inquirer, esbuild, ...).
// - dist/build.json records every source file that went into the build with its size, mtime and SHA-256;
//   bin/devfleet.js runs dist/ only while those files are unchanged and falls back to the
//   TypeScript sources otherwise, so an edit is never silently ignored.
//
// Ref https://esbuild.github.io/api/#splitting
// Ref https://docs.npmjs.com/cli/v11/using-npm/scripts#life-cycle-scripts (prepare runs on npm ci)
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ENTRY = 'generators/cli/main.ts';
/** The build's stamp inside the output folder. */
export const STAMP = 'build.json';
/**
 * Direct dependencies bundled into dist/ (pure JavaScript, needed by `validate`, small); their own
 * dependencies (ajv's fast-uri, ...) come along. Every other dependency stays external.
 */
export const BUNDLED = ['commander', 'ajv', 'ajv-formats', 'yaml', '@sinclair/typebox', 'fastest-levenshtein'];

/** @param {string} root */
function externals(root) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) => !BUNDLED.includes(name));
  return names.flatMap((name) => [name, `${name}/*`]);
}

/** Builds into `outdir` (default dist/): the folder is replaced whole, never left half-written. */
export async function build({ root = ROOT, outdir = join(root, 'dist') } = {}) {
  const { build: esbuild } = await import('esbuild');
  const staging = `${outdir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const result = await esbuild({
      absWorkingDir: root,
      entryPoints: { main: ENTRY },
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      // package.json engines: node >= 20.11
      target: 'node20.11',
      external: externals(root),
      // Bundled CommonJS packages call require(); in an ES module it has to be made.
      banner: { js: "import { createRequire as __devfleetRequire } from 'node:module'; const require = __devfleetRequire(import.meta.url);" },
      chunkNames: 'chunks/[name]-[hash]',
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'warning',
    });
    // The exact files esbuild read (metafile inputs, relative to root): size, mtime and hash.
    const inputs = Object.fromEntries(
      Object.keys(result.metafile.inputs)
        .sort()
        .map((file) => {
          const path = join(root, file);
          const { size, mtimeMs } = statSync(path);
          return [file, { size, mtimeMs, sha256: sha256(readFileSync(path)) }];
        }),
    );
    writeFileSync(join(staging, STAMP), `${JSON.stringify({ entry: ENTRY, inputs }, null, 2)}\n`);
    rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
    return { outdir, inputs: Object.keys(inputs).length, outputs: outputsOf(result.metafile, relative(root, staging)) };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Whether `outdir` holds a build of the current sources. Cheap on the common path: a file whose
 * size and modification time are the ones recorded at build time is taken as unchanged (one stat
 * per file, as git's index does); any other file (an edit, a checkout, a copy with an older date)
 * is read and hashed, so touching a file without changing it keeps the build.
 */
export function isFresh({ root = ROOT, outdir = join(root, 'dist') } = {}) {
  /** @type {Record<string, { size: number, mtimeMs: number, sha256: string }>} */
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(outdir, STAMP), 'utf8')).inputs ?? {};
  } catch {
    return false;
  }
  const files = Object.entries(inputs);
  if (files.length === 0) return false;
  for (const [file, recorded] of files) {
    const path = join(root, file);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return false;
    }
    if (stat.size === recorded.size && stat.mtimeMs === recorded.mtimeMs) continue;
    if (stat.size !== recorded.size || sha256(readFileSync(path)) !== recorded.sha256) return false;
  }
  return true;
}

/**
 * The built files (paths relative to the output folder) and what each imports: chunks of this
 * build by their path, packages and Node built-ins by their specifier.
 * @param {import('esbuild').Metafile} metafile
 * @param {string} prefix the output folder as esbuild named it (relative to root)
 */
function outputsOf(metafile, prefix) {
  const strip = (/** @type {string} */ path) => (path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : path);
  return Object.fromEntries(
    Object.entries(metafile.outputs)
      .filter(([path]) => path.endsWith('.js'))
      .map(([path, output]) => [strip(path), output.imports.map((i) => ({ path: strip(i.path), kind: i.kind, external: i.external === true }))]),
  );
}

/** @param {Buffer} bytes */
function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { outdir, inputs } = await build();
  console.log(`devfleet: built ${inputs} source files into ${outdir}`);
}
