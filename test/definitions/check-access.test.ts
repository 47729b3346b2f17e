import { describe, it } from 'vitest';
import { C, CLUSTER, expectRefused, expectValid, type BadInputCase, type Defs } from '../helpers/bad-input.ts';

const cases: BadInputCase[] = [
  {
    given: 'an internet-facing cluster with neither sourceCidrs nor sso',
    defect: (d) => (C(d).ingress = { scheme: 'internet-facing' }),
    file: CLUSTER,
    path: 'ingress.scheme',
    says: ['"internet-facing" with neither ingress.sourceCidrs nor ingress.sso', 'add sourceCidrs (office/VPN ranges) or sso, or use "internal"'],
    lineOf: 'scheme: internet-facing',
  },
  {
    given: '0.0.0.0/0 among the source CIDRs of an internet-facing cluster',
    defect: (d) => (C(d).ingress = { scheme: 'internet-facing', sourceCidrs: ['203.0.113.0/24', '0.0.0.0/0'] }),
    file: CLUSTER,
    path: 'ingress.sourceCidrs[1]',
    says: ['"0.0.0.0/0" admits every address on the internet', 'list your office and VPN egress ranges instead'],
    lineOf: '0.0.0.0/0',
  },
  {
    given: 'a /0 range written with another address (10.0.0.0/0)',
    defect: (d) => (C(d).ingress = { scheme: 'internet-facing', sourceCidrs: ['10.0.0.0/0'] }),
    file: CLUSTER,
    path: 'ingress.sourceCidrs[0]',
    says: ['"10.0.0.0/0" admits every address'],
  },
  {
    given: 'a load-balancer range as wide as a whole VPC (it would admit every Pod)',
    defect: (d) => (C(d).network = { loadBalancerCidrs: ['10.40.0.0/16'] }),
    file: CLUSTER,
    path: 'network.loadBalancerCidrs[0]',
    says: ['"10.40.0.0/16" is as wide as a whole VPC', 'give the load balancers\' own range, e.g. "10.40.48.0/20"'],
    lineOf: '10.40.0.0/16',
  },
  {
    given: 'a load-balancer range with host bits set',
    defect: (d) => (C(d).network = { loadBalancerCidrs: ['10.40.48.0/20', '10.40.52.7/22'] }),
    file: CLUSTER,
    path: 'network.loadBalancerCidrs[1]',
    says: ['"10.40.52.7/22" has host bits set; write the network address, "10.40.52.0/22"'],
  },
];

describe('the access guard of a cluster', () => {
  it.each([
    ['internal by default (nothing said)', () => undefined],
    ['with its own load-balancer ranges', (d: Defs) => (C(d).network = { loadBalancerCidrs: ['10.40.48.0/20', '10.40.200.0/28'] })],
    ['internet-facing with office ranges', (d: Defs) => (C(d).ingress = { scheme: 'internet-facing', sourceCidrs: ['203.0.113.0/24'] })],
    [
      'internet-facing with OIDC sign-in',
      (d: Defs) =>
        (C(d).ingress = {
          scheme: 'internet-facing',
          sso: { type: 'oidc', issuer: 'https://idp.example.com', authorizationEndpoint: 'https://idp.example.com/auth', tokenEndpoint: 'https://idp.example.com/token', userInfoEndpoint: 'https://idp.example.com/userinfo' },
        }),
    ],
  ])('GIVEN a cluster %s WHEN validated THEN it is valid (control)', async (_, edit) => {
    await expectValid(edit);
  });

  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 naming the file and field, and nothing is written', async (_, c) => {
    await expectRefused(c);
  });
});
