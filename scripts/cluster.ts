/**
 * A local Kubernetes cluster for tests and for trying devfleet without a cloud account, on
 * 127.0.0.1 with generated certificates. Two profiles:
 *
 * - `control-plane` (test/integration/): etcd, kube-apiserver and kube-controller-manager from
 *   .tools/bin/kube (scripts/build-apiserver.sh). No nodes: Pods are created (Pending) but never run.
 * - `gitops` (`npm run cluster:up`, test/e2e/): the same plus kube-scheduler, kwok (fake nodes sized
 *   like the platform's, Pods that become Ready, Jobs' Pods that complete, PVCs that bind, Ingresses
 *   that get a load balancer address; tools/kwok/), and Argo CD's repo-server and
 *   application-controller with their Redis (.tools/bin/argocd, scripts/build-argocd.sh), watching
 *   local git repositories served by `argocd git-http` (tools/argocd/main.go explains how Argo CD
 *   sees an Application's real repoURL as the local repository). `npm run cluster:sync`
 *   (scripts/cluster-sync.ts) publishes a generated tree to them.
 *
 *   npm run cluster:up      # .cluster/kubeconfig (admin) and one kubeconfig per test identity
 *   npm run cluster:down    # stops everything, removes .cluster/
 *
 * The API server runs as EKS does where devfleet depends on it: RBAC authorization, the default
 * admission plugins plus PodSecurity, privileged containers allowed by the server (so only Pod
 * Security rejects them), ServiceAccount tokens through the TokenRequest API. Identities come from
 * a static token file:
 *
 *   admin     devfleet-admin             group system:masters
 *   alice     devfleet:developer:alice   group devfleet:developers (what EKS access entries map to)
 *   outsider  outsider                   no group
 *
 * Every `up` of a directory is idempotent: a running, healthy cluster of the same (or a larger)
 * profile is reused, anything else found there is stopped and replaced. Every process runs with
 * the directory as its working directory and is recognised by it (and its binary), so `down` never
 * signals anybody else's process. Tests start their own in a temporary directory, so they never
 * touch .cluster/.
 *
 * The rooms, in scripts/cluster/: what a cluster is and where it lives (local-cluster.ts), process
 * supervision and the directory's lock (processes.ts), certificates and credentials
 * (certificates.ts), the control plane and its flags (control-plane.ts), kwok's nodes (nodes.ts),
 * Argo CD (argocd.ts), `up`/`down` (up-down.ts), HTTP and kubectl (client.ts) and the command line
 * (command.ts). This file is the entry the npm scripts run and the API tests and
 * scripts/cluster-sync.ts import.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clusterCommand } from './cluster/command.ts';

export { HARNESS_SHARDS_MAX, useArgocdNamespace, useArgocdShards } from './cluster/argocd.ts';
export { apiGet, kubectlRun } from './cluster/client.ts';
export { ARGOCD, BINARY, DEFAULT_DIR, IDENTITIES, KWOK, readState, type Identity, type LocalCluster, type Profile } from './cluster/local-cluster.ts';
export { logFile, memoryKiB, processesUsing, runningComponents } from './cluster/processes.ts';
export { clusterDown, clusterUp } from './cluster/up-down.ts';

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  clusterCommand(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`cluster: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
