/**
 * The worker thread that evaluates TypeScript definitions (see ./import-typescript.ts, which
 * starts it and enforces the time limit by terminating it).
 *
 * jiti transpiles each file wherever it is (ESM or CommonJS package, or none) and maps the bare
 * specifier `devfleet` to this package's generators/index.ts, so definitions under any --root can
 * `import { defineProject } from 'devfleet'` and import helper modules of their own. The module
 * cache is off (an edited file is read again); transpiled code is kept by content hash (below).
 *
 * Positions: jiti's transform strips types, so stack frames point into transpiled code. The
 * transform here keeps each file's code with its inline source map, and an error's first frame in
 * a transpiled file is mapped back to the line and column of the .ts source (node:module's
 * SourceMap). Syntax errors already carry source positions (the parser reads the source).
 */
import { SourceMap } from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { createJiti } from 'jiti';

export type ImportRequest = { readonly id: number; readonly path: string; readonly root: string };

/** What evaluating one file gave. */
export type ImportResult =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'no-default' }
  | { readonly kind: 'not-data'; readonly path: readonly (string | number)[]; readonly what: string }
  | { readonly kind: 'error'; readonly message: string };

export type ImportReply = { readonly id: number } & ImportResult;

/** Transpiled code of every file evaluated for the current request, by file name. */
const transpiled = new Map<string, string>();

const jiti = createJiti(import.meta.url, {
  alias: { devfleet: fileURLToPath(new URL('../index.ts', import.meta.url)) },
  moduleCache: false,
  fsCache: false,
  interopDefault: false,
  sourceMaps: true,
  transform: (options) => {
    const code = cachedTransform(options);
    if (options.filename) transpiled.set(options.filename, code);
    return { code };
  },
});

/**
 * Babel (jiti's transform) costs about 0.3 s to load: an unchanged definition reuses its
 * transpiled code (with its inline source map) from a cache keyed by the file name, the options
 * and a hash of the source, so an edited file is always transpiled again.
 */
function cachedTransform(options: Parameters<typeof plain.transform>[0]): string {
  const cacheDir = (workerData as { cache?: string } | null)?.cache;
  if (!cacheDir || typeof options.source !== 'string') return plain.transform(options);
  const key = createHash('sha256').update(JSON.stringify([options.filename ?? '', options.ts ?? false, options.async ?? false, options.jsx ?? false])).update('\0').update(options.source).digest('hex');
  const file = join(cacheDir, 'definitions', `${key}.js`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const code = plain.transform(options);
    try {
      mkdirSync(dirname(file), { recursive: true });
      // Written whole, then renamed: a parallel run never reads half a file.
      const partial = `${file}.${process.pid}.${threadId}`;
      writeFileSync(partial, code);
      renameSync(partial, file);
    } catch {
      // A read-only cache folder only costs speed.
    }
    return code;
  }
}
/** jiti's own transform (babel), which the wrapper above calls and remembers. */
const plain = createJiti(import.meta.url, { fsCache: false, sourceMaps: true });

/** The first value in `value` that a message cannot carry (functions, symbols), with its field path. */
export function firstNonData(value: unknown, path: (string | number)[] = [], seen = new Set<object>()): { path: (string | number)[]; what: string } | undefined {
  if (typeof value === 'function') return { path, what: 'a function' };
  if (typeof value === 'symbol') return { path, what: 'a symbol' };
  if (value === null || typeof value !== 'object' || seen.has(value)) return undefined;
  seen.add(value);
  if (value instanceof Promise) return { path, what: 'a Promise (await it before exporting)' };
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
  for (const [key, item] of entries) {
    const found = firstNonData(item, [...path, key], seen);
    if (found) return found;
  }
  return undefined;
}

const FRAME = /\(?((?:file:\/\/)?\/[^():\s]+):(\d+):(\d+)\)?/g;

/** " (line L, column C)" of the first stack frame in a transpiled file, mapped to its .ts source. */
function sourcePosition(error: Error, definition: string, root: string): string {
  // A parse error names the source position in its message (the parser read the .ts text).
  const inMessage = new RegExp(`${definition.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`).exec(error.message);
  if (inMessage) return ` (line ${inMessage[1]}, column ${inMessage[2]})`;
  for (const [, rawFile, rawLine, rawColumn] of (error.stack ?? '').matchAll(FRAME)) {
    const file = rawFile!.replace(/^file:\/\//, '');
    const code = transpiled.get(file);
    if (code === undefined) continue;
    const mapped = mapPosition(code, Number(rawLine), Number(rawColumn));
    const where = file === definition ? '' : `${relative(root, file).split(sep).join('/')}, `;
    return mapped ? ` (${where}line ${mapped.line}, column ${mapped.column})` : ` (${where}line ${rawLine})`;
  }
  return '';
}

/** A 1-based position in transpiled code, mapped through its inline source map to the source. */
function mapPosition(code: string, line: number, column: number): { line: number; column: number } | undefined {
  const inline = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (!inline) return undefined;
  const map = new SourceMap(JSON.parse(Buffer.from(inline[1]!, 'base64').toString('utf8')));
  const entry = map.findEntry(line - 1, column - 1) as { originalLine?: number; originalColumn?: number };
  if (entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
  return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? text;
}

async function load({ id, path, root }: ImportRequest): Promise<ImportReply> {
  transpiled.clear();
  let module: Record<string, unknown>;
  try {
    module = (await jiti.import(path)) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof Error)) return { id, kind: 'error', message: String(error) };
    return { id, kind: 'error', message: `${firstLine(error.message)}${sourcePosition(error, path, root)}` };
  }
  if (!('default' in module) || module.default === undefined) return { id, kind: 'no-default' };
  const nonData = firstNonData(module.default);
  if (nonData) return { id, kind: 'not-data', ...nonData };
  return { id, kind: 'value', value: module.default };
}

// Imported outside a worker (its tests), the module only exports its helpers.
if (parentPort) {
  const port = parentPort;
  port.on('message', (request: ImportRequest) => {
    void load(request).then((reply) => {
      try {
        port.postMessage(reply);
      } catch (error) {
        // Anything structured clone refuses that the walk above did not foresee.
        port.postMessage({ id: request.id, kind: 'error', message: `its default export cannot be read as data: ${firstLine(String(error))}` } satisfies ImportReply);
      }
    });
  });
  port.postMessage('ready');
}
