/**
 * The control plane of a local cluster: etcd, kube-apiserver and kube-controller-manager, started
 * in order, each waited for until it serves. The API server's flags make it behave as EKS does
 * where devfleet depends on it (scripts/cluster.ts lists how).
 */
import { join } from 'node:path';
import { writeKubeconfig, type Pki } from './certificates.ts';
import { apiGet, httpGet, readyz } from './client.ts';
import { IDENTITIES, type Identity, type LocalCluster } from './local-cluster.ts';
import { start, waitFor } from './processes.ts';

export interface ControlPlanePorts {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
}

/** Starts etcd, then the API server (and writes each identity's kubeconfig), then the controllers. */
export async function startControlPlane(cluster: LocalCluster, pki: Pki, ports: ControlPlanePorts, log: (line: string) => void): Promise<void> {
  const { dir } = cluster;
  const { etcdClient, etcdPeer, apiserver } = ports;
  const gitops = cluster.profile === 'gitops';

  log(`starting etcd on 127.0.0.1:${etcdClient}`);
  const etcd = start(dir, 'etcd', ['--data-dir', join(dir, 'etcd'), `--listen-client-url=http://127.0.0.1:${etcdClient}`, `--listen-peer-url=http://127.0.0.1:${etcdPeer}`]);
  await waitFor('etcd', etcd, dir, 60_000, async () => (await httpGet(`http://127.0.0.1:${etcdClient}/health`)).includes('"health":"true"'));

  log(`starting kube-apiserver on ${cluster.server}`);
  const api = start(dir, 'kube-apiserver', apiserverFlags(dir, pki, etcdClient, apiserver));
  await waitFor('kube-apiserver', api, dir, 180_000, async () => (await readyz(cluster)) === 'ok');

  for (const id of Object.keys(IDENTITIES) as Identity[]) writeKubeconfig(cluster, id);

  log('starting kube-controller-manager');
  const kcm = start(dir, 'kube-controller-manager', [
    `--kubeconfig=${cluster.kubeconfigs.admin}`,
    '--leader-elect=false',
    // No HTTPS endpoint: several clusters (parallel test runs) share this machine.
    '--secure-port=0',
    `--root-ca-file=${pki.ca}`,
    `--service-account-private-key-file=${pki.saKey}`,
    // Without nodes (control-plane profile) the CronJob controller would only add Jobs whose Pods
    // stay Pending to the namespaces tests look at; test/integration/lifecycle.test.ts runs the
    // jobs' command instead. With kwok's nodes (gitops) the jobs run as on EKS.
    ...(gitops ? [] : ['--controllers=*,-cronjob-controller']),
    '--concurrent-deployment-syncs=10',
  ]);
  // The serviceaccount controller creating `default` proves the controllers are running.
  await waitFor('kube-controller-manager', kcm, dir, 120_000, async () => (await apiGet(cluster, '/api/v1/namespaces/default/serviceaccounts/default')).status === 200);
}

export function apiserverFlags(dir: string, pki: Pki, etcdPort: number, port: number): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    `--cert-dir=${join(dir, 'pki')}`,
    `--tls-cert-file=${pki.serverCert}`,
    `--tls-private-key-file=${pki.serverKey}`,
    `--client-ca-file=${pki.ca}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    // The defaults of 1.32 plus the ones EKS turns on; PodSecurity enforces the namespace labels.
    '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota,PodSecurity,Priority,StorageObjectInUseProtection,PersistentVolumeClaimResize,RuntimeClass,CertificateApproval,CertificateSigning,CertificateSubjectRestriction,DefaultIngressClass,ValidatingAdmissionPolicy',
    // As on EKS: the server itself allows privileged containers, Pod Security decides per namespace.
    '--allow-privileged=true',
    // Signing keys enable the TokenRequest API (`kubectl create token`).
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    // The `kubernetes` Service's endpoints cannot be a loopback address; nothing here needs them.
    '--endpoint-reconciler-type=none',
    '--profiling=false',
    '--v=1',
  ];
}
