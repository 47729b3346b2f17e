/**
 * Evaluates TypeScript definition files, each in a sandbox process of its own, under a time limit.
 *
 * A definition is code that anyone who can open a pull request writes, and devfleet runs it on
 * laptops holding cloud and cluster credentials and in the pull-request bot. So each file is
 * bundled here (./bundle-definition.ts: no code runs) and evaluated in a fresh `node` process
 * (./import-sandbox.ts) started with Node's permission model and nothing granted: it reads no
 * file, writes none, starts no process, thread or addon. Its environment holds only TZ and LANG
 * (no tokens, no AWS_*, KUBECONFIG or HOME). It replies once, as JSON, on a pipe of its own; the
 * reply is checked field by field, so only plain data comes back, and only for that file. No
 * process is reused for another file: one definition cannot see or answer for another.
 *
 * Each process leads a process group of its own, which is killed (SIGKILL) when the limit passes
 * (a blocking call or `while (true) {}` cannot outlive it), when the reply is in, and when
 * devfleet exits or is interrupted. Files are evaluated in parallel, at most one per CPU.
 *
 * The limit is 10 s, or DEVFLEET_DEFINITION_TIMEOUT seconds (docs/validation.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { UsageError } from '../util/errors.ts';
import { bundleDefinition, mapBundlePosition, stopBundler } from './bundle-definition.ts';
import { REPLY_FD, sandboxProgram, type ImportResult, type SandboxReply } from './import-sandbox.ts';

export type { ImportResult } from './import-sandbox.ts';

export const DEFAULT_TIMEOUT_SECONDS = 10;
export const TIMEOUT_VARIABLE = 'DEVFLEET_DEFINITION_TIMEOUT';
/** The largest reply accepted (JSON bytes); a real definition is a few kilobytes. */
export const MAX_REPLY_BYTES = 16 * 1024 * 1024;
/** The heap of one sandbox process. */
export const SANDBOX_HEAP_MB = 512;

/** What importing one file gave: its value or problem, or that it ran out of time. */
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

/**
 * Node's arguments for a sandbox: the permission model with nothing allowed (no --allow-fs-read,
 * --allow-fs-write, --allow-child-process, --allow-worker, --allow-addons, --allow-wasi).
 */
export function sandboxArguments(): string[] {
  return ['--experimental-permission', `--max-old-space-size=${SANDBOX_HEAP_MB}`, '--input-type=module', '-e', sandboxProgram()];
}

/** The sandbox's whole environment: fixed, so no secret of the caller's reaches a definition and output does not depend on the caller's zone or locale. */
export const SANDBOX_ENV: Readonly<Record<string, string>> = { TZ: 'UTC', LANG: 'C.UTF-8' };

/** The permission model's warning at every start (Node 20): dropped from the sandbox's stderr, nothing else is. */
const PERMISSION_WARNING = /^\(node:\d+\) ExperimentalWarning: Permission is an experimental feature[^\n]*\n(\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n)?/;
/** What is kept of a sandbox's stderr, to explain a crash. */
const MAX_STDERR_BYTES = 8 * 1024;

/** Process groups of sandboxes still running, killed when devfleet exits or is interrupted. */
const running = new Set<ChildProcess>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function killGroup(child: ChildProcess): void {
  // Only while the child is not reaped: afterwards its number may belong to someone else.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function killAll(): void {
  for (const child of running) killGroup(child);
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  unwatch();
  // The signal's usual effect, unless someone else handles it.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function watch(child: ChildProcess): void {
  if (running.size === 0) {
    process.on('exit', killAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  running.add(child);
}

function unwatch(child?: ChildProcess): void {
  if (child) running.delete(child);
  if (child && running.size > 0) return;
  process.off('exit', killAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Imports TypeScript definitions, each in its own sandbox process, a few at a time. */
export class TypeScriptImporter {
  private readonly seconds: number;
  private readonly parallel: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private bundled = false;
  /** Sandbox processes started so far (one per file). */
  processesStarted = 0;
  /** Their process groups (each sandbox leads its own), for tests that check none is left. */
  readonly processGroups: number[] = [];

  constructor(seconds = definitionTimeoutSeconds(), parallel = availableParallelism()) {
    this.seconds = seconds;
    this.parallel = Math.max(1, parallel);
  }

  /** The default export of the file at `path` (absolute, under `root`), evaluated in a sandbox. */
  import(path: string, root: string): Promise<ImportOutcome> {
    const outcome = this.slot(() => this.importNow(path, root));
    this.pending.add(outcome);
    void outcome.finally(() => this.pending.delete(outcome)).catch(() => undefined);
    return outcome;
  }

  /** Waits for the imports under way (every sandbox is gone when they are), then stops the bundler if it ran. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    if (this.bundled) await stopBundler();
  }

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.parallel) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private async importNow(path: string, root: string): Promise<ImportOutcome> {
    this.bundled = true;
    const bundle = await bundleDefinition(path, root);
    if (bundle.kind === 'error') return { kind: 'error', message: bundle.message };
    const reply = await this.evaluate(bundle.code);
    if (reply.kind !== 'error' || !('frames' in reply)) return reply;
    return { kind: 'error', message: `${errorText(reply, root)}${mapBundlePosition(bundle.map, reply.frames, path, root)}` };
  }

  /** Runs the bundle in a fresh sandbox; the reply, checked, or what went wrong. */
  private evaluate(code: string): Promise<SandboxReply | ImportOutcome> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, sandboxArguments(), {
        env: SANDBOX_ENV,
        // Its own process group, so the group can be killed whole.
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
      this.processesStarted++;
      if (child.pid !== undefined) this.processGroups.push(child.pid);
      watch(child);
      let settled = false;
      const reply: Buffer[] = [];
      let replyBytes = 0;
      let stderr = '';
      let exited = false;
      let outcome: SandboxReply | ImportOutcome | undefined;
      // Resolved once the outcome is known AND the process is gone (a killed one is reaped first).
      const settle = () => {
        if (settled || outcome === undefined || !exited) return;
        settled = true;
        unwatch(child);
        resolve(outcome);
      };
      const finish = (result: SandboxReply | ImportOutcome) => {
        if (outcome !== undefined) return;
        outcome = result;
        clearTimeout(timer);
        killGroup(child);
        settle();
      };
      child.on('exit', () => {
        exited = true;
        settle();
      });
      const timer = setTimeout(() => finish({ kind: 'timeout', seconds: this.seconds }), this.seconds * 1000);

      child.stdout!.resume();
      child.stderr!.on('data', (chunk: Buffer) => {
        if (stderr.length < MAX_STDERR_BYTES) stderr += chunk.toString('utf8');
      });
      const channel = child.stdio[REPLY_FD] as Readable;
      channel.on('data', (chunk: Buffer) => {
        replyBytes += chunk.length;
        if (replyBytes > MAX_REPLY_BYTES) finish({ kind: 'error', message: `its default export is larger than ${MAX_REPLY_BYTES / 1024 / 1024} MiB as JSON, far more than a definition needs` });
        else reply.push(chunk);
      });
      // The stream may fail when the sandbox is killed; the outcome is known by then.
      for (const stream of [child.stdin!, child.stdout!, child.stderr!, channel]) stream.on('error', () => undefined);
      child.on('error', (error) => {
        // Spawning failed: there is no process to wait for.
        exited = true;
        finish({ kind: 'error', message: `the sandbox process could not start (${error.message})` });
      });
      child.on('close', (code, signal) => finish(readReply(Buffer.concat(reply).toString('utf8'), code, signal, stderr.replace(PERMISSION_WARNING, ''))));
      child.stdin!.end(code);
    });
  }
}

/** The outcome of a finished sandbox: exactly one well-formed reply after a clean exit, else an error. */
export function readReply(text: string, code: number | null, signal: NodeJS.Signals | null, stderr: string): SandboxReply | ImportOutcome {
  if (/heap out of memory/.test(stderr)) return { kind: 'error', message: `ran out of memory (over ${SANDBOX_HEAP_MB} MiB) while loading` };
  if (text === '') {
    // Node's exit code for a top-level await that can never settle (nothing left to wait for).
    if (code === 13) return { kind: 'error', message: 'waits at the top level for something that never happens (an await on a promise nothing resolves); a definition is data and loads at once' };
    const why = oneLine(stderr);
    if (code !== null && code !== 0) return { kind: 'error', message: why ? `ended the loader (exit code ${code}): ${why}` : `ended the loader (process.exit(${code})) instead of exporting a definition` };
    return { kind: 'error', message: `ended without exporting a definition${signal ? ` (${signal})` : ''}${why ? `: ${why}` : ''}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const checked = checkReply(parsed);
  if (!checked) return { kind: 'error', message: 'wrote something other than one loader reply on the loader\'s channel; a definition only exports its value' };
  return checked;
}

const text = (value: unknown): value is string => typeof value === 'string';
const position = (value: unknown): value is { line: number; column: number } =>
  typeof value === 'object' && value !== null && Number.isInteger((value as { line?: unknown }).line) && Number.isInteger((value as { column?: unknown }).column);

/** The reply if it has exactly the shape of one (anything else came from the definition, not the loader). */
function checkReply(reply: unknown): SandboxReply | undefined {
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) return undefined;
  const r = reply as Record<string, unknown>;
  const keys = Object.keys(r).sort().join(',');
  switch (r.kind) {
    case 'value':
      return keys === 'kind,value' ? { kind: 'value', value: r.value } : undefined;
    case 'no-default':
      return keys === 'kind' ? { kind: 'no-default' } : undefined;
    case 'not-data':
      if (keys !== 'kind,path,what' || !text(r.what) || !Array.isArray(r.path) || !r.path.every((s) => text(s) || Number.isInteger(s))) return undefined;
      return { kind: 'not-data', path: r.path as (string | number)[], what: oneLine(r.what) };
    case 'error': {
      if (!['frames,kind,message', 'denied,frames,kind,message'].includes(keys) || !text(r.message) || !Array.isArray(r.frames) || !r.frames.every(position)) return undefined;
      const denied = r.denied as { permission?: unknown; resource?: unknown } | undefined;
      if (denied !== undefined && (typeof denied !== 'object' || denied === null || !text(denied.permission) || !text(denied.resource))) return undefined;
      return { kind: 'error', message: oneLine(r.message), frames: r.frames.slice(0, 10) as { line: number; column: number }[], ...(denied ? { denied: { permission: oneLine(denied.permission as string), resource: oneLine(denied.resource as string) } } : {}) };
    }
    default:
      return undefined;
  }
}

/** The error's text; a refusal of the permission model says what a definition may not do. */
function errorText(reply: Extract<SandboxReply, { kind: 'error' }>, root: string): string {
  if (!reply.denied) return reply.message;
  const { permission, resource } = reply.denied;
  const path = resource === '' ? '' : ` ${resource.startsWith(root + sep) ? relative(root, resource).split(sep).join('/') : resource}`;
  switch (permission) {
    case 'FileSystemRead':
      return `reading${path} was refused: definitions may not read files (import helper modules under the root instead)`;
    case 'FileSystemWrite':
      return `writing${path} was refused: definitions may not write files`;
    case 'ChildProcess':
      return 'starting a process was refused: definitions may not start processes';
    case 'WorkerThreads':
      return 'starting a worker thread was refused: definitions may not start threads';
    case 'Network':
      return 'opening a network connection was refused: definitions may not use the network';
    default:
      return `${permission === '' ? 'the call' : `${permission} access`} was refused: definitions may only compute their value (no files, processes, threads, addons, inspector or network)`;
  }
}

/** The first non-empty line, without control characters, at most 500 characters (a reply must not forge more problem lines). */
function oneLine(value: string): string {
  return firstLine(value).replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 500);
}

function firstLine(value: string): string {
  return value.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}
