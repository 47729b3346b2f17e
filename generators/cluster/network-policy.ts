/**
 * Network isolation of one developer namespace: what may open a connection to its Pods.
 *
 * Every Pod in the namespace is isolated for ingress (a policy selects it), and exactly these
 * sources are admitted (the first three on any port):
 * - Pods of the same namespace: one env's containers talk to each other and to the envs next to
 *   them (a developer's own envs may share a database);
 * - the front door: the KEDA HTTP add-on's interceptor Pods (namespace `keda`, installed by
 *   terraform/modules/platform/front-door.tf), which proxy every env request and wake sleeping
 *   envs; the labels are those of the add-on chart's interceptor Deployment (the pinned chart);
 * - the Telepresence traffic manager's Pods (namespace `ambassador`, by the labels of its chart),
 *   which carry `devfleet swap` and `telepresence connect` traffic from a laptop into the
 *   namespace; no other Pod of that namespace. The manager serves only callers it authenticates
 *   (terraform/modules/platform/telepresence-network-policy.tf says who may reach it);
 * - with `ingress.mode: ingress-groups` only: the load balancers' own subnets
 *   (`network.loadBalancerCidrs`, one fact of the cluster definition, which terraform/ creates
 *   the subnets from), on the container ports the env routes name. Per-env ALBs (target type ip)
 *   send requests and health checks from their ENIs in those subnets straight to the Pods.
 * Nothing else: not another developer's namespace, not kube-system, not a Pod that merely copies
 * the interceptor's labels elsewhere. Namespaces are matched by their name label
 * (plan/labels.ts NAMESPACE_NAME_LABEL), which the API server sets and nobody can change.
 *
 * Why a CIDR is safe only for those subnets: on EKS the VPC CNI gives Pods addresses from the
 * VPC's subnets, so a range that covers a node subnet admits every Pod of the cluster. The
 * load-balancer subnets hold no node (terraform/modules/platform/vpc.tf tags only them for the
 * AWS Load Balancer Controller and refuses ranges that overlap a node subnet). Behind the front
 * door no CIDR is needed: the interceptor is admitted by Pod selector, and terraform/ admits the
 * ALB to the interceptor from these same ranges (front-door-network-policy.tf).
 *
 * Egress is open but for two TCP ports. 10250: the External Secrets webhook's and the kubelet's
 * (WEBHOOK_PORT); the webhook must admit the API server, whose addresses Pods share. And NFS
 * (2049), on which the EFS file system behind every PVC answers. Volumes are mounted by the EFS CSI driver on the node (host network, which
 * policies never block), so no env Pod needs it; a root container with a user-space NFS client
 * must not reach the mount targets (terraform/modules/platform/storage.tf also requires IAM and
 * TLS there). NetworkPolicies only allow, so the rule allows every other TCP port and every UDP
 * and SCTP port, as explicit ranges (the EKS network policy agent handles `endPort`). DNS
 * (CoreDNS in kube-system), image pulls and whatever the envs call keep working. Kubelet probes
 * come from the node, which policies never block.
 * Ref https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * Ref https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html
 */
import type { ClusterModel } from '../plan/model.ts';
import type { Env } from '../plan/plan.ts';
import { namespaceName, TELEPRESENCE_NAMESPACE } from '../plan/names.ts';
import { clusterLabels } from './argocd.ts';
import { ARGOCD_ANNOTATIONS, LABELS, NAMESPACE_NAME_LABEL } from '../plan/labels.ts';

/** Namespace of KEDA and the HTTP add-on (`local.keda_namespace` in terraform/modules/platform/front-door.tf). */
export const FRONT_DOOR_NAMESPACE = 'keda';

/**
 * Labels of the traffic manager's Pods in the telepresence-oss chart (`telepresence.selectorLabels`;
 * `local.traffic_manager_pod_labels` in terraform/modules/platform/telepresence-network-policy.tf).
 */
export const TRAFFIC_MANAGER_POD_LABELS = { app: 'traffic-manager', telepresence: 'manager' } as const;

/** Labels of the interceptor Pods in the keda-add-ons-http chart (templates/interceptor/deployment.yaml). */
export const INTERCEPTOR_POD_LABELS = {
  [LABELS.component]: 'interceptor',
  [LABELS.name]: 'http-add-on',
} as const;

export const DEFAULT_DENY_POLICY = 'devfleet-default-deny-ingress';
export const ALLOW_POLICY = 'devfleet-allow-ingress';
export const EGRESS_POLICY = 'devfleet-egress';

/** NFS: the port of the EFS mount targets (terraform/modules/platform/storage.tf). */
export const NFS_PORT = 2049;
/**
 * The External Secrets webhook's port (`local.external_secrets_webhook_port` in
 * terraform/modules/platform/external-secrets.tf) and the kubelet's: the API server calls the
 * webhook from the control plane's ENIs in the node subnets, which Pods share, so the webhook's
 * own policy cannot tell an env Pod from the API server by address; env Pods are kept off here.
 */
export const WEBHOOK_PORT = 10250;
const LAST_PORT = 65535;

/** Every TCP port but these (NetworkPolicies only allow: the rest as ranges). */
function tcpPortsBut(closed: readonly number[]): { protocol: 'TCP'; port: number; endPort: number }[] {
  const out: { protocol: 'TCP'; port: number; endPort: number }[] = [];
  let from = 1;
  for (const port of [...closed].sort((a, b) => a - b)) {
    if (port > from) out.push({ protocol: 'TCP', port: from, endPort: port - 1 });
    from = port + 1;
  }
  if (from <= LAST_PORT) out.push({ protocol: 'TCP', port: from, endPort: LAST_PORT });
  return out;
}
/** With `ingress.mode: ingress-groups`: the load balancers' subnets to the env ports. */
export const LOAD_BALANCER_POLICY = 'devfleet-allow-load-balancers';

const inNamespace = (name: string) => ({ matchLabels: { [NAMESPACE_NAME_LABEL]: name } });

/**
 * The ports a per-env ALB sends to: the container port each route names (the Service's target
 * port; the ALB's health check uses the same "traffic port"), for every env of the namespace.
 */
export function loadBalancerTargetPorts(envs: readonly Env[]): { protocol: string; port: number }[] {
  const ports = new Set<number>();
  for (const { project } of envs) {
    for (const route of project.routes) {
      for (const container of project.containers) for (const p of container.ports) if (p.name === route.port && p.protocol === 'TCP') ports.add(p.port);
    }
  }
  return [...ports].sort((a, b) => a - b).map((port) => ({ protocol: 'TCP', port }));
}

/** The policies of `developer`'s namespace; `envs` are the envs in it (their routes' ports, with ingress-groups). */
export function networkPolicyObjects(cluster: ClusterModel, developer: string, envs: readonly Env[] = []): Record<string, unknown>[] {
  const namespace = namespaceName(cluster.namespacePrefix, developer);
  const labels = { ...clusterLabels(cluster), [LABELS.developer]: developer, [LABELS.component]: 'network-policy' };
  // Before the envs (wave -1, like the namespace's quota): no env Pod ever runs unisolated.
  const annotations = { [ARGOCD_ANNOTATIONS.syncWave]: '-1' };
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: DEFAULT_DENY_POLICY, namespace, labels, annotations },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: ALLOW_POLICY, namespace, labels, annotations },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          // Each peer is its own `from` entry: namespaceSelector and podSelector inside ONE entry
          // mean "these Pods in those namespaces" (AND), which is what the front door needs.
          { from: [{ podSelector: {} }] },
          { from: [{ namespaceSelector: inNamespace(FRONT_DOOR_NAMESPACE), podSelector: { matchLabels: { ...INTERCEPTOR_POD_LABELS } } }] },
          { from: [{ namespaceSelector: inNamespace(TELEPRESENCE_NAMESPACE), podSelector: { matchLabels: { ...TRAFFIC_MANAGER_POD_LABELS } } }] },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: EGRESS_POLICY, namespace, labels, annotations },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            ports: [
              ...tcpPortsBut([NFS_PORT, WEBHOOK_PORT]),
              { protocol: 'UDP', port: 1, endPort: LAST_PORT },
              { protocol: 'SCTP', port: 1, endPort: LAST_PORT },
            ],
          },
        ],
      },
    },
    ...loadBalancerPolicies(cluster, namespace, labels, annotations, envs),
  ];
}

function loadBalancerPolicies(cluster: ClusterModel, namespace: string, labels: Record<string, string>, annotations: Record<string, string>, envs: readonly Env[]): Record<string, unknown>[] {
  const ports = loadBalancerTargetPorts(envs);
  if (cluster.ingress.mode !== 'ingress-groups' || ports.length === 0) return [];
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: LOAD_BALANCER_POLICY, namespace, labels, annotations },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: cluster.network.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports }],
      },
    },
  ];
}
