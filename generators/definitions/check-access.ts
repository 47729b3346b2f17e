/**
 * The access guard of a cluster: no env may be open to the whole internet.
 *
 * An internet-facing load balancer must restrict who reaches it, by source ranges (office, VPN
 * egress) or by sign-in at the load balancer; otherwise every env, with its predictable host
 * name, is public. "internal" (the default) is reachable only from the VPC and what is connected
 * to it. A CIDR with mask /0 (0.0.0.0/0) admits every address, so it is no restriction at all.
 *
 * The load balancers' own ranges (`network.loadBalancerCidrs`) are admitted by NetworkPolicies
 * (generators/cluster/network-policy.ts and terraform/'s policies in the front door's namespace):
 * a range that is not a network address would be widened silently, and one as wide as a whole VPC
 * (a /16, the largest AWS allows) would admit every Pod.
 * Ref https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
 */
import type { ClusterModel } from '../plan/model.ts';
import type { LoadedFile } from './load.ts';
import { problemAt } from './problem-at.ts';
import type { Problem } from '../util/problem.ts';

export function checkAccessGuard(loaded: LoadedFile, cluster: ClusterModel): Problem[] {
  const problems: Problem[] = [];
  const report = (segments: (string | number)[], message: string) => problems.push(problemAt(loaded, segments, message));
  const { scheme, sourceCidrs, sso } = cluster.ingress;
  sourceCidrs.forEach((cidr, i) => {
    if (cidr.endsWith('/0')) {
      report(['ingress', 'sourceCidrs', i], `"${cidr}" admits every address on the internet, so it restricts nothing; list your office and VPN egress ranges instead (e.g. "203.0.113.0/24"), or use sso`);
    }
  });
  if (scheme === 'internet-facing' && sourceCidrs.length === 0 && sso === undefined) {
    report(['ingress', 'scheme'], `"internet-facing" with neither ingress.sourceCidrs nor ingress.sso puts every env on the public internet with no sign-in; add sourceCidrs (office/VPN ranges) or sso, or use "internal" (the default: reachable over VPN/VPC only)`);
  }
  cluster.network.loadBalancerCidrs.forEach((cidr, i) => {
    const [address, bits] = cidr.split('/') as [string, string];
    const prefix = Number(bits);
    const value = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
    const size = 2 ** (32 - prefix);
    if (prefix < 17) {
      report(['network', 'loadBalancerCidrs', i], `"${cidr}" is as wide as a whole VPC (AWS allows /16 at most), so it would admit every Pod; give the load balancers' own range, e.g. "10.40.48.0/20" in a 10.40.0.0/16 VPC`);
    } else if (value % size !== 0) {
      const base = value - (value % size);
      const network = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.');
      report(['network', 'loadBalancerCidrs', i], `"${cidr}" has host bits set; write the network address, "${network}/${prefix}"`);
    }
  });
  return problems;
}
