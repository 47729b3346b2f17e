/**
 * A small evaluator of Kubernetes NetworkPolicy (networking.k8s.io/v1): may a connection from one
 * Pod to another be opened under a set of policies? It follows the API's documented semantics:
 * - a Pod is isolated for ingress (egress) when a policy of ITS namespace selects it and lists
 *   Ingress (Egress) in `policyTypes` (default: Ingress, plus Egress when `egress` is present);
 * - an isolated Pod accepts (opens) a connection only when some rule of some such policy admits
 *   it: a rule without `from` (`to`) admits every peer, one without `ports` every port;
 * - a peer with `podSelector` only means Pods of the policy's own namespace; `namespaceSelector`
 *   only means every Pod of the matching namespaces; both in ONE peer mean those Pods in those
 *   namespaces; `ipBlock` matches by address (`except` excluded). On EKS the VPC CNI applies
 *   ipBlocks to Pod addresses too, which this evaluator does as well;
 * - a connection needs both: the source's egress and the destination's ingress.
 * Traffic from a Pod's own node (kubelet probes) is out of scope: policies never block it.
 * Ref https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * Ref https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
 */
export type Labels = Readonly<Record<string, string>>;

export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }[];
}

export interface Peer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface PolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

export interface NetworkPolicy {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly policyTypes?: readonly ('Ingress' | 'Egress')[];
    readonly ingress?: readonly { readonly from?: readonly Peer[]; readonly ports?: readonly PolicyPort[] }[];
    readonly egress?: readonly { readonly to?: readonly Peer[]; readonly ports?: readonly PolicyPort[] }[];
  };
}

export interface Pod {
  readonly namespace: string;
  readonly labels: Labels;
  readonly ip: string;
}

/** The destination port: its number, protocol (default TCP) and, for named-port rules, its name. */
export interface Port {
  readonly port: number;
  readonly protocol?: string;
  readonly name?: string;
}

export interface World {
  readonly policies: readonly NetworkPolicy[];
  /** Namespace labels by name; `kubernetes.io/metadata.name` is added as the API server does. */
  readonly namespaces: Readonly<Record<string, Labels>>;
}

export function selects(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const ok =
      e.operator === 'Exists' ? has
      : e.operator === 'DoesNotExist' ? !has
      : e.operator === 'In' ? has && (e.values ?? []).includes(labels[e.key]!)
      : !has || !(e.values ?? []).includes(labels[e.key]!);
    if (!ok) return false;
  }
  return true;
}

function ipv4(address: string): number {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${address}`);
  return parts.reduce((n, p) => n * 256 + p, 0);
}

export function inCidr(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipv4(base) / size) * size;
  const ip = ipv4(address);
  return ip >= start && ip < start + size;
}

function namespaceLabels(world: World, name: string): Labels {
  return { ...(world.namespaces[name] ?? {}), 'kubernetes.io/metadata.name': name };
}

/** Does `peer`, written in a policy of `policyNamespace`, describe `pod`? */
function peerMatches(world: World, peer: Peer, policyNamespace: string, pod: Pod): boolean {
  if (peer.ipBlock) return inCidr(pod.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(pod.ip, c));
  if (peer.namespaceSelector) return selects(peer.namespaceSelector, namespaceLabels(world, pod.namespace)) && selects(peer.podSelector, pod.labels);
  if (peer.podSelector) return pod.namespace === policyNamespace && selects(peer.podSelector, pod.labels);
  throw new Error('a NetworkPolicy peer needs podSelector, namespaceSelector or ipBlock');
}

function portMatches(ports: readonly PolicyPort[] | undefined, port: Port): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== (port.protocol ?? 'TCP')) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return p.port === port.name;
    return p.endPort === undefined ? p.port === port.port : port.port >= p.port && port.port <= p.endPort;
  });
}

const types = (p: NetworkPolicy) => p.spec.policyTypes ?? (p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);

function selecting(world: World, pod: Pod, type: 'Ingress' | 'Egress'): NetworkPolicy[] {
  return world.policies.filter((p) => p.metadata.namespace === pod.namespace && types(p).includes(type) && selects(p.spec.podSelector, pod.labels));
}

/** May `source` open a connection to `destination` on `port` under the world's policies? */
export function mayConnect(world: World, source: Pod, destination: Pod, port: Port = { port: 80 }): boolean {
  const egress = selecting(world, source, 'Egress');
  const egressOk =
    egress.length === 0 ||
    egress.some((p) => (p.spec.egress ?? []).some((r) => (!r.to || r.to.length === 0 || r.to.some((peer) => peerMatches(world, peer, p.metadata.namespace, destination))) && portMatches(r.ports, port)));
  const ingress = selecting(world, destination, 'Ingress');
  const ingressOk =
    ingress.length === 0 ||
    ingress.some((p) => (p.spec.ingress ?? []).some((r) => (!r.from || r.from.length === 0 || r.from.some((peer) => peerMatches(world, peer, p.metadata.namespace, source))) && portMatches(r.ports, port)));
  return egressOk && ingressOk;
}
