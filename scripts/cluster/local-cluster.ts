/**
 * What a local cluster is (scripts/cluster.ts describes the two profiles): where it lives, the
 * binaries it runs, the identities it knows, and the record `up` leaves in its directory
 * (cluster.json) for `status`, `down`, scripts/cluster-sync.ts and the tests.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVELOPERS_GROUP, developerUserName } from '../../generators/plan/names.ts';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_DIR = join(REPO, '.cluster');
export const TOOLS = join(REPO, '.tools', 'bin');
export const BINARY = join(TOOLS, 'kube');
export const KWOK = join(TOOLS, 'kwok');
export const ARGOCD = join(TOOLS, 'argocd');
export const BUILD_HINT = 'build it with `bash scripts/install-tools.sh --all` (also run by `npm run cluster:up` and `npm run test:e2e`)';

export const IDENTITIES = {
  admin: { user: 'devfleet-admin', groups: ['system:masters'] },
  alice: { user: developerUserName('alice'), groups: [DEVELOPERS_GROUP] },
  outsider: { user: 'outsider', groups: [] as string[] },
} as const;
export type Identity = keyof typeof IDENTITIES;

/** `control-plane`: API server and controllers only (no nodes). `gitops`: also scheduler, kwok nodes, git, Redis and Argo CD. */
export type Profile = 'control-plane' | 'gitops';

/** Which Argo CD settings a local cluster runs with (LocalCluster.argocd.settings). */
export type ArgocdSettingsChoice = 'fleet' | 'defaults';

export interface LocalCluster {
  readonly dir: string;
  readonly profile: Profile;
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** PEM file of the CA that signed the serving certificate. */
  readonly caFile: string;
  /** One kubeconfig per identity; `admin` is `<dir>/kubeconfig`. */
  readonly kubeconfigs: Readonly<Record<Identity, string>>;
  readonly tokens: Readonly<Record<Identity, string>>;
  /** The `gitops` profile's Argo CD and git. */
  readonly argocd?: {
    readonly namespace: string;
    /** Bare repositories, one per repoURL: <gitRoot>/<host>/<path> (scripts/cluster-sync.ts makes them). */
    readonly gitRoot: string;
    /** The repo-server's global git config (its `url.<local>.insteadOf` lines). */
    readonly gitConfig: string;
    readonly repoServer: string;
    readonly redis: string;
    /** The application-controller's metrics and health port (shard 0's, with more than one). */
    readonly controllerMetricsPort: number;
    /** Application controllers running (the synced cluster's shards; absent: 1). */
    readonly shards?: number;
    /** The metrics and health port of shard 1's controller, once it has run. */
    readonly shardMetricsPort?: number;
    /**
     * Argo CD's settings: the platform's fleet settings (generators/cluster/argocd-settings.ts, the
     * default, what Terraform installs) or Argo CD's own defaults (`bench:gitops --argocd-settings
     * defaults`, to measure what the fleet settings change).
     */
    readonly settings?: ArgocdSettingsChoice;
  };
  /** The `gitops` profile's fake nodes. */
  readonly nodes?: readonly string[];
}

/** The control plane recorded in `dir` by a completed `clusterUp`, if any. */
export function readState(dir: string = DEFAULT_DIR): LocalCluster | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as LocalCluster;
  } catch {
    return undefined;
  }
}

/** Records a started (or changed) cluster for readState. */
export function writeState(cluster: LocalCluster): void {
  writeFileSync(join(cluster.dir, 'cluster.json'), `${JSON.stringify(cluster, null, 2)}\n`);
}
