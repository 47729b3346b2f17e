/**
 * `up` and `down` of a local cluster in a directory: `up` reuses a healthy cluster of the same (or a
 * larger) profile and replaces anything else found there; `down` stops every component and removes
 * the directory. Both hold the directory's lock.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startArgocd } from './argocd.ts';
import { makePki, makeTokens } from './certificates.ts';
import { freePorts, readyz } from './client.ts';
import { startControlPlane } from './control-plane.ts';
import { BUILD_HINT, DEFAULT_DIR, readState, writeState, type ArgocdSettingsChoice, type LocalCluster, type Profile } from './local-cluster.ts';
import { NODES, startNodes } from './nodes.ts';
import { alive, LOCK, PROFILE_COMPONENTS, SPECS, stopAll, withLock } from './processes.ts';

/** Starts the cluster in `dir` (or reuses the healthy one already running there). */
export async function clusterUp(options: { dir?: string; profile?: Profile; log?: (line: string) => void; argocdSettings?: ArgocdSettingsChoice } = {}): Promise<LocalCluster> {
  const dir = resolve(options.dir ?? DEFAULT_DIR);
  const profile = options.profile ?? 'control-plane';
  const log = options.log ?? (() => {});
  mkdirSync(dir, { recursive: true });
  return withLock(dir, async () => {
    const running = readState(dir);
    if (running && (running.profile === profile || running.profile === 'gitops') && (running.argocd?.settings ?? 'fleet') === (options.argocdSettings ?? 'fleet') && PROFILE_COMPONENTS[running.profile].every((c) => alive(dir, c)) && (await readyz(running)) === 'ok') {
      log(`reusing the ${running.profile} cluster already running at ${running.server} (${dir})`);
      return running;
    }
    for (const c of PROFILE_COMPONENTS[profile]) {
      if (!existsSync(SPECS[c].binary)) throw new Error(`${SPECS[c].binary} does not exist (needed for ${c}): ${BUILD_HINT}`);
    }
    await stopAll(dir, log);
    for (const entry of readdirSync(dir)) if (entry !== LOCK) rmSync(join(dir, entry), { recursive: true, force: true });

    const pki = makePki(dir);
    const tokens = makeTokens(dir);

    // Free ports are picked, then bound by another process: retry if one was taken meanwhile.
    for (let attempt = 1; ; attempt++) {
      const [etcdClient, etcdPeer, apiserver, kwokPort, redisPort, gitPort, repoPort, repoMetrics, controllerMetrics] = (await freePorts(9)) as [number, number, number, number, number, number, number, number, number];
      const gitops = profile === 'gitops';
      const cluster: LocalCluster = {
        dir,
        profile,
        server: `https://127.0.0.1:${apiserver}`,
        caFile: pki.ca,
        kubeconfigs: { admin: join(dir, 'kubeconfig'), alice: join(dir, 'kubeconfig-alice'), outsider: join(dir, 'kubeconfig-outsider') },
        tokens,
        ...(gitops
          ? {
              argocd: {
                namespace: 'argocd',
                gitRoot: join(dir, 'git'),
                gitConfig: join(dir, 'argocd', 'gitconfig'),
                repoServer: `127.0.0.1:${repoPort}`,
                redis: `127.0.0.1:${redisPort}`,
                controllerMetricsPort: controllerMetrics,
                ...(options.argocdSettings === 'defaults' ? { settings: 'defaults' as const } : {}),
              },
              nodes: NODES.map((n) => n.name),
            }
          : {}),
      };
      try {
        await startControlPlane(cluster, pki, { etcdClient, etcdPeer, apiserver }, log);
        if (gitops) {
          await startNodes(cluster, kwokPort, log);
          await startArgocd(cluster, { redisPort, gitPort, repoPort, repoMetrics }, log);
        }

        writeState(cluster);
        log(`ready: KUBECONFIG=${cluster.kubeconfigs.admin}`);
        return cluster;
      } catch (error) {
        await stopAll(dir);
        const message = error instanceof Error ? error.message : String(error);
        if (attempt < 3 && /address already in use/.test(message)) {
          log(`a port was taken (${message.split('\n')[0]}); retrying with other ports`);
          rmSync(join(dir, 'etcd'), { recursive: true, force: true });
          continue;
        }
        throw error;
      }
    }
  });
}

/** Stops every component started in `dir` and removes the directory. */
export async function clusterDown(options: { dir?: string; log?: (line: string) => void } = {}): Promise<void> {
  const dir = resolve(options.dir ?? DEFAULT_DIR);
  if (!existsSync(dir)) return;
  await withLock(dir, async () => {
    await stopAll(dir, options.log);
    for (const entry of readdirSync(dir)) if (entry !== LOCK) rmSync(join(dir, entry), { recursive: true, force: true });
  });
  rmSync(dir, { recursive: true, force: true });
}
