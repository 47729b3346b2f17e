/**
 * The nodes of the `gitops` profile: kube-scheduler and kwok (tools/kwok/), whose fake nodes make
 * Pods Ready, complete Jobs' Pods, bind PVCs and give Ingresses a load balancer address.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_LABELS } from '../../generators/plan/labels.ts';
import { version } from '../lib/versions.ts';
import { apiGet, kubectlApply } from './client.ts';
import { REPO, type LocalCluster } from './local-cluster.ts';
import { logFile, start, tail, waitFor } from './processes.ts';

/**
 * The fake nodes of the `gitops` profile, sized like the platform's Karpenter nodes (terraform/
 * modules/platform: c/m/r families with 4-16 vCPUs; the source article ran m4.2xlarge): two
 * m7i.2xlarge spot nodes, 8 vCPUs and 32 GiB each, less what EKS reserves (kube-reserved and
 * eviction threshold), 58 Pods (the VPC CNI's limit for that size), in two zones.
 */
export const NODES = [
  { name: 'kwok-node-a', zone: 'ap-northeast-1a' },
  { name: 'kwok-node-b', zone: 'ap-northeast-1c' },
];

/** Starts kube-scheduler and kwok, creates the nodes and waits until kwok reports them Ready. */
export async function startNodes(cluster: LocalCluster, kwokPort: number, log: (line: string) => void): Promise<void> {
  const { dir } = cluster;
  const kubeconfig = cluster.kubeconfigs.admin;

  log('starting kube-scheduler');
  const scheduler = start(dir, 'kube-scheduler', [`--kubeconfig=${kubeconfig}`, '--leader-elect=false', '--secure-port=0']);

  log(`starting kwok (fake nodes ${NODES.map((n) => n.name).join(', ')})`);
  const stages = join(REPO, 'tools', 'kwok', 'stages');
  const kwok = start(dir, 'kwok', [
    `--kubeconfig=${kubeconfig}`,
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    `--server-address=127.0.0.1:${kwokPort}`,
    '--node-ip=127.0.0.1',
    '--cidr=10.244.0.0/16',
    ...readdirSync(stages).filter((f) => f.endsWith('.yaml')).sort().map((f) => `--config=${join(stages, f)}`),
  ]);
  await kubectlApply(cluster, NODES.map((n) => node(n.name, n.zone)));
  await waitFor('kwok', kwok, dir, 60_000, async () => {
    const nodes = JSON.parse((await apiGet(cluster, '/api/v1/nodes')).body) as { items: { status?: { conditions?: { type: string; status: string }[] } }[] };
    return nodes.items.length === NODES.length && nodes.items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
  if (scheduler.exited !== undefined) throw new Error(`kube-scheduler exited (code ${scheduler.exited}); last lines of ${logFile(dir, 'kube-scheduler')}:\n${tail(logFile(dir, 'kube-scheduler'))}`);
}

/** A kwok-managed Node (kwok's node-initialize stage makes it Ready and fills in its status). */
function node(name: string, zone: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        [NODE_LABELS.hostname]: name,
        [NODE_LABELS.os]: 'linux',
        [NODE_LABELS.arch]: 'amd64',
        [NODE_LABELS.instanceType]: 'm7i.2xlarge',
        [NODE_LABELS.capacityType]: 'spot',
        [NODE_LABELS.zone]: zone,
        type: 'kwok',
      },
    },
    spec: {},
    status: {
      // m7i.2xlarge as EKS reports it: 8 vCPUs / 32 GiB; allocatable less kube-reserved and eviction.
      capacity: { cpu: '8', memory: '32386544Ki', pods: '58', 'ephemeral-storage': '83873772Ki' },
      allocatable: { cpu: '7910m', memory: '31369712Ki', pods: '58', 'ephemeral-storage': '76224326324' },
      nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: `${version('KUBE_VERSION')}-kwok`, containerRuntimeVersion: 'kwok' },
    },
  };
}
