/**
 * The program of the sandbox process that evaluates ONE TypeScript definition (see
 * ./import-typescript.ts, which bundles the file, starts this process with Node's permission model
 * and enforces the time limit).
 *
 * The process gets the definition already bundled into one ES module (./bundle-definition.ts) on
 * its standard input, imports it from a `data:` URL (so it reads no file at all), and writes
 * exactly one JSON reply to file descriptor 3, a pipe only its parent holds. Standard output is
 * the definition's own (console.log) and is discarded by the parent.
 *
 * The program runs as `node -e`: it is built from the functions below with
 * Function.prototype.toString, so they may use only each other, their arguments and globals
 * (and whatever helper a transpiler inserts: see the prelude).
 * Node modules come in through the prelude's static imports (a string, so no bundler or test
 * transform rewrites them).
 *
 * Node 20's permission model refuses reading files, writing, child processes, worker threads,
 * addons and `process.binding`; it has no network switch, so the program also takes away
 * `fetch` and the socket, UDP and DNS entry points before the definition runs (defence in depth:
 * the environment and the file system hold nothing to send). Ref
 * https://nodejs.org/docs/latest-v20.x/api/permissions.html
 */

/** What evaluating one file gave (the parent's view, after it has checked the reply). */
export type ImportResult =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'no-default' }
  | { readonly kind: 'not-data'; readonly path: readonly (string | number)[]; readonly what: string }
  | { readonly kind: 'error'; readonly message: string };

/** A position in the bundled module (1-based), as a stack frame names it. */
export interface BundlePosition {
  readonly line: number;
  readonly column: number;
}

/** The reply the sandbox writes on fd 3: a result, where an error was raised, and what was refused. */
export type SandboxReply =
  | Exclude<ImportResult, { kind: 'error' }>
  | { readonly kind: 'error'; readonly message: string; readonly frames: readonly BundlePosition[]; readonly denied?: { readonly permission: string; readonly resource: string } };

/** The file descriptor of the reply pipe. */
export const REPLY_FD = 3;

/** The first value in `value` that JSON cannot carry faithfully, with its field path. */
export function firstNonData(value: unknown, path: (string | number)[] = [], seen = new Set<object>()): { path: (string | number)[]; what: string } | undefined {
  if (typeof value === 'function') return { path, what: 'a function' };
  if (typeof value === 'symbol') return { path, what: 'a symbol' };
  if (typeof value === 'bigint') return { path, what: 'a bigint (write it as a number or a string)' };
  if (typeof value === 'number' && !Number.isFinite(value)) return { path, what: `${String(value)} (not a finite number)` };
  if (value === null || typeof value !== 'object' || seen.has(value)) return undefined;
  seen.add(value);
  if (value instanceof Promise) return { path, what: 'a Promise (await it before exporting)' };
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) {
    const name = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
    return { path, what: `a ${typeof name === 'string' && name !== '' ? name : 'class instance'} (only plain objects and lists are data)` };
  }
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
  for (const [key, item] of entries) {
    const found = firstNonData(item, [...path, key], seen);
    if (found) return found;
  }
  return undefined;
}

/** The bundle's positions in an error's stack, innermost first (at most ten). */
export function bundleFrames(stack: string): BundlePosition[] {
  const frames: BundlePosition[] = [];
  for (const match of stack.matchAll(/data:text\/javascript;base64,[A-Za-z0-9+/=]*:(\d+):(\d+)/g)) {
    if (frames.length === 10) break;
    frames.push({ line: Number(match[1]), column: Number(match[2]) });
  }
  return frames;
}

/** What the sandbox replies for a thrown value. */
export function errorReply(error: unknown): SandboxReply {
  if (!(error instanceof Error)) return { kind: 'error', message: String(error), frames: [] };
  const { code, permission, resource } = error as Error & { code?: unknown; permission?: unknown; resource?: unknown };
  const denied = code === 'ERR_ACCESS_DENIED' && typeof permission === 'string' ? { permission, resource: typeof resource === 'string' ? resource : '' } : undefined;
  return { kind: 'error', message: String(error.message), frames: bundleFrames(String(error.stack ?? '')), ...(denied ? { denied } : {}) };
}

/** The reply for a module's namespace object. */
export function moduleReply(module: Record<string, unknown>): SandboxReply {
  if (!('default' in module) || module.default === undefined) return { kind: 'no-default' };
  const nonData = firstNonData(module.default);
  if (nonData) return { kind: 'not-data', ...nonData };
  return { kind: 'value', value: module.default };
}

/** What the prelude hands to sandboxMain. */
export interface SandboxIo {
  readonly readFileSync: (fd: number) => Buffer;
  readonly writeSync: (fd: number, buffer: Buffer, offset: number, length: number) => number;
  readonly load: (url: string) => Promise<Record<string, unknown>>;
  readonly net: { Socket: { prototype: object }; Server: { prototype: object } };
  readonly dgram: { Socket: { prototype: object } };
  readonly dns: Record<string, unknown> & { promises: Record<string, unknown>; Resolver: { prototype: object } };
}

/** Runs in the sandbox process: takes away the network, loads the bundle, replies once, exits. */
export async function sandboxMain(io: SandboxIo): Promise<void> {
  const code = io.readFileSync(0).toString('utf8');
  const exit = process.exit.bind(process);
  const stringify = JSON.stringify;
  const refuse = () => {
    throw Object.assign(new Error('Access to this API has been restricted'), { code: 'ERR_ACCESS_DENIED', permission: 'Network', resource: '' });
  };
  const seal = (target: object, name: string) => Object.defineProperty(target, name, { value: refuse, writable: false, configurable: false, enumerable: false });
  for (const name of ['fetch', 'WebSocket', 'EventSource']) seal(globalThis, name);
  for (const name of ['kill', '_kill']) delete (process as unknown as Record<string, unknown>)[name];
  seal(io.net.Socket.prototype, 'connect');
  seal(io.net.Server.prototype, 'listen');
  for (const name of ['send', 'bind', 'connect']) seal(io.dgram.Socket.prototype, name);
  for (const target of [io.dns, io.dns.promises, io.dns.Resolver.prototype, (io.dns.promises.Resolver as { prototype: object }).prototype]) {
    for (const name of Object.getOwnPropertyNames(target)) {
      if (name !== 'constructor' && /^(lookup|resolve|reverse)/.test(name)) seal(target, name);
    }
  }

  let reply: SandboxReply;
  try {
    reply = moduleReply(await io.load(`data:text/javascript;base64,${Buffer.from(code, 'utf8').toString('base64')}`));
  } catch (error) {
    reply = errorReply(error);
  }
  let text: string;
  try {
    text = stringify(reply);
  } catch (error) {
    text = stringify({ kind: 'error', message: `its default export cannot be read as data: ${String(error)}`, frames: [] } satisfies SandboxReply);
  }
  const bytes = Buffer.from(text, 'utf8');
  // The pipe is non-blocking: a full pipe answers EAGAIN until the parent reads on.
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += io.writeSync(3, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EAGAIN') throw error;
    }
  }
  exit(0);
}

// Static imports in a string: the functions above get them as arguments. `__name` is the helper
// esbuild inserts when it keeps function names (tsx does, for the TypeScript sources).
const PRELUDE = `const __name = (target) => target;
import { readFileSync, writeSync } from 'node:fs';
import * as net from 'node:net';
import * as dgram from 'node:dgram';
import dns from 'node:dns';
const load = (url) => import(url);
`;

/** The program the sandbox process runs (`node --input-type=module -e <program>`). */
export function sandboxProgram(): string {
  const functions = [firstNonData, bundleFrames, errorReply, moduleReply, sandboxMain].map(String).join('\n');
  return `${PRELUDE}${functions}\nawait sandboxMain({ readFileSync, writeSync, load, net, dgram, dns });\n`;
}
