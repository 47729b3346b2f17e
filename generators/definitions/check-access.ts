/**
 * The access guard of a cluster: no env may be open to the whole internet.
 *
 * An internet-facing load balancer must restrict who reaches it, by source ranges (office, VPN
 * egress) or by sign-in at the load balancer; otherwise every env, with its predictable host
 * name, is public. "internal" (the default) is reachable only from the VPC and what is connected
 * to it. A CIDR with mask /0 (0.0.0.0/0) admits every address, so it is no restriction at all.
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
  return problems;
}
