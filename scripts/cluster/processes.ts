/**
 * Process supervision of a local cluster: each component is a detached process started in the
 * cluster's directory, with its pid and log file there. A pid is acted on only while it is still
 * ours (same binary, same first argument, the directory as its working directory), so `down`
 * never signals anybody else's process; a lock directory lets parallel test workers start one
 * cluster per directory.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ARGOCD, BINARY, DEFAULT_DIR, KWOK, type Profile } from './local-cluster.ts';

export type Component =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kwok'
  | 'redis'
  | 'git-http'
  | 'argocd-repo-server'
  | 'argocd-application-controller'
  // The controller of shard 1, when a devfleet cluster asks for 2 (scripts/cluster/argocd.ts useArgocdShards).
  | 'argocd-application-controller-1';

/** How each component is started: its binary and the first argument that names it (if any). */
export const SPECS: Record<Component, { binary: string; sub?: string }> = {
  etcd: { binary: BINARY, sub: 'etcd' },
  'kube-apiserver': { binary: BINARY, sub: 'kube-apiserver' },
  'kube-controller-manager': { binary: BINARY, sub: 'kube-controller-manager' },
  'kube-scheduler': { binary: BINARY, sub: 'kube-scheduler' },
  kwok: { binary: KWOK },
  redis: { binary: ARGOCD, sub: 'redis' },
  'git-http': { binary: ARGOCD, sub: 'git-http' },
  'argocd-repo-server': { binary: ARGOCD, sub: 'repo-server' },
  'argocd-application-controller': { binary: ARGOCD, sub: 'application-controller' },
  'argocd-application-controller-1': { binary: ARGOCD, sub: 'application-controller' },
};
/** Start order; stopped in reverse. */
export const ALL: readonly Component[] = Object.keys(SPECS) as Component[];
export const PROFILE_COMPONENTS: Record<Profile, readonly Component[]> = {
  'control-plane': ['etcd', 'kube-apiserver', 'kube-controller-manager'],
  // The shard controller runs only while a synced cluster has 2 shards.
  gitops: ALL.filter((c) => c !== 'argocd-application-controller-1'),
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pidFile = (dir: string, c: Component) => join(dir, `${c}.pid`);
/** Where a component's output goes (appended across restarts). */
export const logFile = (dir: string, c: Component) => join(dir, `${c}.log`);

export function start(dir: string, component: Component, args: string[], env?: NodeJS.ProcessEnv) {
  const { binary, sub } = SPECS[component];
  const out = openSync(logFile(dir, component), 'a');
  // Detached: the cluster outlives the command (or test worker) that started it. Its working
  // directory is the cluster's: that is how `down` recognises its processes (ourPid).
  const child = spawn(binary, [...(sub ? [sub] : []), ...args], { cwd: dir, detached: true, stdio: ['ignore', out, out], ...(env ? { env } : {}) });
  closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${binary} ${sub ?? ''}`);
  writeFileSync(pidFile(dir, component), `${child.pid}\n`);
  const state = { exited: undefined as number | null | undefined };
  child.on('exit', (code, signal) => (state.exited = code ?? (signal ? -1 : null)));
  return state;
}

export async function waitFor(component: Component, state: { exited: number | null | undefined }, dir: string, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (state.exited !== undefined) throw new Error(`${component} exited (code ${state.exited}) while starting; last lines of ${logFile(dir, component)}:\n${tail(logFile(dir, component))}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${component} not ready after ${timeoutMs / 1000} s; last lines of ${logFile(dir, component)}:\n${tail(logFile(dir, component))}`);
    await sleep(250);
  }
}

export function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * The pid recorded for a component, if that process is still ours: its binary and first argument
 * are the component's and its working directory is this cluster's directory.
 */
function ourPid(dir: string, component: Component): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile(dir, component), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  try {
    // A zombie (exited, not yet reaped by its parent) is gone for our purposes.
    if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const { binary, sub } = SPECS[component];
    // A recycled pid belongs to someone else: never signal it.
    if (cmdline[0] !== binary || (sub !== undefined && cmdline[1] !== sub) || readlinkSync(`/proc/${pid}/cwd`) !== dir) return undefined;
  } catch {
    // No /proc (macOS): the pid file and a live process are all there is to go on.
  }
  return pid;
}

export const alive = (dir: string, c: Component) => ourPid(dir, c) !== undefined;

/** The pids of the components running in `dir`, by component. */
export function runningComponents(dir: string = DEFAULT_DIR): Partial<Record<Component, number>> {
  const d = resolve(dir);
  return Object.fromEntries(ALL.flatMap((c) => {
    const pid = ourPid(d, c);
    return pid === undefined ? [] : [[c, pid]];
  }));
}

/**
 * Every process on this machine that still has something to do with `dir`: its working directory
 * is in it or its command line names it (a component, or a child such as git or helm). `down`
 * leaves none; the e2e teardown and `down` itself check.
 */
export function processesUsing(dir: string): { pid: number; command: string }[] {
  const d = resolve(dir);
  const found: { pid: number; command: string }[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return found; // no /proc (macOS)
  }
  for (const p of pids) {
    const pid = Number(p);
    if (pid === process.pid) continue;
    try {
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // not ours to read
      }
      if (cwd === d || cwd.startsWith(`${d}/`) || command.includes(`${d}/`)) found.push({ pid, command });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** SIGTERM, then SIGKILL after 15 s, in reverse start order. */
export async function stopAll(dir: string, log: (line: string) => void = () => {}): Promise<void> {
  for (const component of [...ALL].reverse()) await stopComponent(dir, component, log);
}

export async function stopComponent(dir: string, component: Component, log: (line: string) => void = () => {}): Promise<void> {
  {
    const pid = ourPid(dir, component);
    if (pid !== undefined) {
      log(`stopping ${component} (pid ${pid})`);
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const deadline = Date.now() + 15_000;
      while (ourPid(dir, component) !== undefined && Date.now() < deadline) await sleep(100);
      if (ourPid(dir, component) !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
        const killDeadline = Date.now() + 10_000;
        while (ourPid(dir, component) !== undefined && Date.now() < killDeadline) await sleep(100);
        if (ourPid(dir, component) !== undefined) throw new Error(`${component} (pid ${pid}) did not stop after SIGKILL`);
      }
    }
    rmSync(pidFile(dir, component), { force: true });
  }
}

/** Resident memory (RSS, KiB) of the running components, from /proc. */
export function memoryKiB(dir: string = DEFAULT_DIR): Partial<Record<Component, number>> {
  return Object.fromEntries(Object.entries(runningComponents(dir)).map(([c, pid]) => {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return [c, rss ? Number(rss[1]) : 0];
  }));
}

// ---- a lock, so parallel test workers start one control plane per directory -----------------

export const LOCK = 'up.lock';

export async function withLock<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const lock = join(dir, LOCK);
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), `${process.pid}\n`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: number;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8').trim());
      } catch {
        // Released meanwhile, or taken and its pid not written yet: look again.
        if (Date.now() > deadline) throw new Error(`${lock} exists without an owner for more than 10 minutes; remove it`);
        await sleep(100);
        continue;
      }
      let ownerAlive = false;
      try {
        process.kill(owner, 0);
        ownerAlive = true;
      } catch {
        ownerAlive = false;
      }
      // A lock whose holder died is stale.
      if (owner > 0 && !ownerAlive) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} is held by pid ${owner} for more than 10 minutes`);
      await sleep(200);
    }
  }
  try {
    return await f();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
