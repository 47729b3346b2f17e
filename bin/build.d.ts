// Types of bin/build.js (plain JavaScript: bin/devfleet.js imports it before any TypeScript loader
// exists), for the tests and benchmarks written in TypeScript.
export declare const ROOT: string;
export declare const ENTRY: string;
export declare const STAMP: string;
export declare const BUNDLED: readonly string[];
export interface BuildOptions {
  /** The package folder (default: this one). */
  readonly root?: string;
  /** Where the build goes (default: <root>/dist). */
  readonly outdir?: string;
}
export interface BuiltImport {
  /** A chunk of the same build (relative to the output folder), or a package / `node:` specifier. */
  readonly path: string;
  readonly kind: 'import-statement' | 'dynamic-import' | 'require-call' | string;
  readonly external: boolean;
}
export declare function build(options?: BuildOptions): Promise<{
  outdir: string;
  /** Number of source files in the build. */
  inputs: number;
  /** Every built .js file (relative to outdir) with its imports. */
  outputs: Record<string, readonly BuiltImport[]>;
}>;
export declare function isFresh(options?: BuildOptions): boolean;
