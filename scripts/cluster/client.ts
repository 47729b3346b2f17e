/**
 * Talking to a local cluster and its components: free ports, TCP and HTTP probes, GETs on the API
 * server as admin, and kubectl (from PATH) as admin.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createConnection, createServer } from 'node:net';
import { stringify } from 'yaml';
import type { LocalCluster } from './local-cluster.ts';

export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((ok, fail) => {
      const s = createServer();
      s.once('error', fail);
      s.listen(0, '127.0.0.1', () => ok(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export async function httpGet(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return response.text();
}

/** GET on the API server as admin; `timeoutMs` bounds each idle wait on the socket (5 s by default). */
export function apiGet(cluster: LocalCluster, path: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return apiRequest(cluster, 'GET', path, undefined, timeoutMs);
}

/**
 * One keep-alive connection pool per API server and CA file: asking 1,000 Applications to refresh
 * is 1,000 requests, which without it were 1,000 TLS handshakes on the harness's 2 CPUs and as
 * many reads of the CA file. Keyed on the CA file's change time too, so a cluster made again in
 * the same folder (a new CA at the same path) gets a new pool, never a stale CA.
 */
const agents = new Map<string, Agent>();
function agentFor(cluster: LocalCluster): Agent {
  const key = `${cluster.server} ${cluster.caFile} ${statSync(cluster.caFile).mtimeMs}`;
  let agent = agents.get(key);
  if (!agent) {
    for (const [k, old] of agents) {
      if (!k.startsWith(`${cluster.server} `)) continue;
      old.destroy();
      agents.delete(k);
    }
    // Idle sockets are closed after 5 s and do not keep the process alive (Node's keep-alive agent unrefs them).
    agent = new Agent({ keepAlive: true, keepAliveMsecs: 1_000, maxSockets: 32, timeout: 5_000, ca: readFileSync(cluster.caFile) });
    agents.set(key, agent);
  }
  return agent;
}

/** A request on the API server as admin, with a JSON merge patch (RFC 7386) as body when one is given. */
export function apiRequest(cluster: LocalCluster, method: 'GET' | 'PATCH', path: string, mergePatch?: object, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  const body = mergePatch === undefined ? undefined : JSON.stringify(mergePatch);
  return new Promise((ok, fail) => {
    const req = request(
      `${cluster.server}${path}`,
      {
        method,
        agent: agentFor(cluster),
        headers: { authorization: `Bearer ${cluster.tokens.admin}`, ...(body === undefined ? {} : { 'content-type': 'application/merge-patch+json' }) },
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end(body);
  });
}

export async function readyz(cluster: LocalCluster): Promise<string> {
  try {
    const { status, body } = await apiGet(cluster, '/readyz');
    return status === 200 ? body.trim() : `HTTP ${status}: ${body.trim()}`;
  } catch (error) {
    return String(error);
  }
}

export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      ok(true);
    });
    socket.once('error', () => ok(false));
  });
}

/** `kubectl apply --server-side` of objects as admin. */
export async function kubectlApply(cluster: LocalCluster, objects: readonly object[]): Promise<void> {
  await kubectlRun(cluster, ['apply', '--server-side', '--force-conflicts', '--field-manager=devfleet-cluster', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));
}

export async function kubectlApplyFiles(cluster: LocalCluster, files: readonly string[]): Promise<void> {
  await kubectlRun(cluster, ['apply', '--server-side', '--force-conflicts', '--field-manager=devfleet-cluster', ...files.flatMap((f) => ['-f', f])], '');
}

/** kubectl (from PATH) as admin; throws with its output when it fails. */
export function kubectlRun(cluster: LocalCluster, args: readonly string[], input = ''): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: cluster.kubeconfigs.admin }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', (e) => fail(new Error(`kubectl could not run (${e.message}); the local cluster needs kubectl 1.32 on PATH`)));
    child.on('close', (code) => (code === 0 ? ok(out) : fail(new Error(`kubectl ${args.join(' ')} exited ${code}:\n${err}${out}`))));
    child.stdin.end(input);
  });
}
