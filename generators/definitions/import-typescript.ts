/**
 * Evaluates TypeScript definition files under a time limit.
 *
 * A definition is code: `while (true) {}` in one would hang `validate`, `synth` and `diff`
 * forever. Each file is evaluated in a worker thread (./import-worker.ts); when one does not
 * finish within the limit, the worker is terminated (which stops even a tight loop) and a new
 * one takes the remaining files. One worker serves a whole batch, so a fleet of definitions pays
 * for one worker start (about a quarter of a second: jiti and its transpiler), not one per file.
 *
 * The limit is 10 s, or DEVFLEET_DEFINITION_TIMEOUT seconds (README "What `validate` refuses").
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../util/errors.ts';
import { packageRoot } from '../util/package-root.ts';
import type { ImportReply, ImportRequest, ImportResult } from './import-worker.ts';

export const DEFAULT_TIMEOUT_SECONDS = 10;
export const TIMEOUT_VARIABLE = 'DEVFLEET_DEFINITION_TIMEOUT';

/** What importing one file gave: its reply, or that it ran out of time. */
export type ImportOutcome = ImportResult | { readonly kind: 'timeout'; readonly seconds: number };

/** The time limit per file, from the environment (seconds), default 10. */
export function definitionTimeoutSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[TIMEOUT_VARIABLE];
  if (raw === undefined || raw === '') return DEFAULT_TIMEOUT_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${TIMEOUT_VARIABLE}=${JSON.stringify(raw)} is not a number of seconds; set it to a positive number such as 30, or unset it for the default ${DEFAULT_TIMEOUT_SECONDS}`);
  }
  return seconds;
}

// The worker runs plain JavaScript: this bootstrap loads jiti, which then evaluates the worker's
// TypeScript (transpiled once into jiti's cache folder, keyed by the file's content). Paths come in
// through workerData, so nothing depends on the current directory. The worker's source is found
// from the package root, not from this module's URL: the CLI runs from a bundle in dist/.
// Only dynamic import(): it works whether the eval'd code is read as CommonJS or as a module.
const BOOTSTRAP = `
import('node:worker_threads').then(({ workerData }) =>
  import(workerData.jiti).then(({ createJiti }) => createJiti(workerData.worker, { fsCache: workerData.cache }).import(workerData.worker)));
`;

const JITI = pathToFileURL(createRequire(import.meta.url).resolve('jiti').replace(/\.cjs$/, '.mjs')).href;
const WORKER = join(packageRoot(), 'generators', 'definitions', 'import-worker.ts');
/** Transpiled TypeScript, by content hash (git-ignored with node_modules/). */
export const TRANSPILE_CACHE = join(packageRoot(), 'node_modules', '.cache', 'devfleet', 'jiti');

/** Imports TypeScript definitions one at a time in a worker thread; `close()` when done. */
export class TypeScriptImporter {
  private worker: Worker | undefined;
  private ready: Promise<Worker> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 0;
  private readonly seconds: number;
  /** Workers started so far (one per batch, plus one after each timeout or crash). */
  workersStarted = 0;

  constructor(seconds = definitionTimeoutSeconds()) {
    this.seconds = seconds;
  }

  /** The default export of the file at `path` (absolute), evaluated in the worker. */
  import(path: string, root: string): Promise<ImportOutcome> {
    const result = this.queue.then(() => this.importNow(path, root));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Stops the worker; a later import starts a new one. */
  async close(): Promise<void> {
    await this.queue;
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Promise<Worker> {
    this.ready ??= new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(BOOTSTRAP, {
        eval: true,
        // Not the parent's flags (e.g. --input-type=module would change how the bootstrap is read).
        execArgv: [],
        workerData: { jiti: JITI, worker: WORKER, cache: TRANSPILE_CACHE },
        // A definition that allocates without end fails alone instead of taking the process down.
        resourceLimits: { maxOldGenerationSizeMb: 1024 },
      });
      this.worker = worker;
      this.workersStarted++;
      const onStartError = (error: Error) => {
        this.forget(worker);
        reject(error);
      };
      worker.once('error', onStartError);
      worker.once('message', (message) => {
        worker.off('error', onStartError);
        // Between files the worker does not keep the process alive (the CLI exits when its work is done).
        worker.unref();
        if (message === 'ready') resolve(worker);
        else reject(new Error(`internal: the definition worker said ${JSON.stringify(message)} before it was ready`));
      });
    });
    return this.ready;
  }

  private async importNow(path: string, root: string): Promise<ImportOutcome> {
    const worker = await this.start();
    const id = this.nextId++;
    return new Promise<ImportOutcome>((resolve) => {
      const done = (outcome: ImportOutcome, dead: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
        if (dead) this.forget(worker);
        resolve(outcome);
      };
      const onMessage = (reply: ImportReply) => {
        if (reply.id !== id) return;
        const { id: _id, ...outcome } = reply;
        done(outcome, false);
      };
      const onError = (error: Error) => {
        const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
        done({ kind: 'error', message: outOfMemory ? 'ran out of memory (over 1 GiB) while loading' : error.message }, true);
      };
      const onExit = (code: number) => done({ kind: 'error', message: `ended the loader (process.exit(${code})) instead of exporting a definition` }, true);
      const timer = setTimeout(() => {
        this.forget(worker);
        void worker.terminate();
        done({ kind: 'timeout', seconds: this.seconds }, true);
      }, this.seconds * 1000);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      // Keep the process alive while a file is being evaluated.
      worker.ref();
      worker.postMessage({ id, path, root } satisfies ImportRequest);
    });
  }

  /** Drops a terminated or crashed worker, so the next file gets a fresh one. */
  private forget(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
  }
}
