/**
 * The subnets of a new VPC (terraform/modules/platform/vpc.tf), as the real Terraform computes
 * them for 2, 3 and 4 availability zones (the range network.azs allows): no two overlap (AWS
 * refuses an overlapping subnet, so the apply would fail), all lie inside the VPC's CIDR, and a
 * 2- or 3-zone VPC keeps exactly the subnets it was created with (a moved subnet is a recreated
 * one, with every node and mount target in it). Load balancers have subnets of their own, tagged
 * for the AWS Load Balancer Controller's discovery, inside the range the cluster definition names
 * (`network.loadBalancerCidrs` -> var.load_balancer_cidrs) and apart from every node subnet, whose
 * addresses Pods share: the plan refuses any other layout.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { blocks, loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { body, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { NETWORK_DEFAULTS } from '../../generators/schema/cluster.ts';

let configs: Configuration[];
let platform: Configuration;
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
  platform = configs.find((c) => c.dir === 'modules/platform')!;
});

const AZS = ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d', 'ap-northeast-1b'];

interface Subnets {
  readonly private: string[];
  readonly public: string[];
}

/** The module's subnet locals, evaluated by Terraform for a new VPC of `cidr` over the first `zones` zones. */
function subnets(cidr: string, zones: number, config: Configuration = platform): Subnets {
  const result = evaluate(config, {
    variables: ['network'],
    locals: ['private_subnet_cidrs', 'public_subnet_cidrs'],
    values: { network: { cidr, azs: AZS.slice(0, zones) } },
  });
  if (result.code !== 0) throw new Error(`terraform refused network ${cidr} with ${zones} zones:\n${result.log}`);
  return { private: result.outputs.private_subnet_cidrs as string[], public: result.outputs.public_subnet_cidrs as string[] };
}

/** An IPv4 CIDR block as its first and last address (numbers, so no 32-bit sign trouble). */
function range(cidr: string): { first: number; last: number; prefix: number } {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new Error(`not an IPv4 CIDR block: ${cidr}`);
  const address = [m[1], m[2], m[3], m[4]].reduce((n, octet) => n * 256 + Number(octet), 0);
  const prefix = Number(m[5]);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) throw new Error(`${cidr} is not a network address`);
  return { first: address, last: address + size - 1, prefix };
}

/** Every pair of blocks that share an address, as "a overlaps b". */
function overlaps(cidrs: readonly string[]): string[] {
  const out: string[] = [];
  cidrs.forEach((a, i) =>
    cidrs.slice(i + 1).forEach((b) => {
      const [x, y] = [range(a), range(b)];
      if (x.first <= y.last && y.first <= x.last) out.push(`${a} overlaps ${b}`);
    }),
  );
  return out;
}

/** The blocks that are not wholly inside `vpc`. */
function outside(vpc: string, cidrs: readonly string[]): string[] {
  const v = range(vpc);
  return cidrs.filter((c) => range(c).first < v.first || range(c).last > v.last);
}

/** The subnets each VPC had before the 4-zone fix (private `cidrsubnet(cidr, 4, i)`, public `cidrsubnet(cidr, 8, 48 + i)`): they must never move. */
const TODAY: Record<string, Record<2 | 3, Subnets>> = {
  '10.0.0.0/16': {
    2: { private: ['10.0.0.0/20', '10.0.16.0/20'], public: ['10.0.48.0/24', '10.0.49.0/24'] },
    3: { private: ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'], public: ['10.0.48.0/24', '10.0.49.0/24', '10.0.50.0/24'] },
  },
  '10.1.0.0/18': {
    2: { private: ['10.1.0.0/22', '10.1.4.0/22'], public: ['10.1.12.0/26', '10.1.12.64/26'] },
    3: { private: ['10.1.0.0/22', '10.1.4.0/22', '10.1.8.0/22'], public: ['10.1.12.0/26', '10.1.12.64/26', '10.1.12.128/26'] },
  },
};

describe('the subnets of a new VPC', () => {
  it('GIVEN module "vpc" WHEN its subnet inputs are read THEN they are the locals these tests evaluate', () => {
    const vpc = blocks(platform, 'module', 1).find((b) => b.labels[0] === 'vpc');
    expect(vpc?.body.private_subnets).toBe('${local.private_subnet_cidrs}');
    expect(vpc?.body.public_subnets).toBe('${local.public_subnet_cidrs}');
  });

  describe.each(Object.keys(TODAY))('GIVEN network.cidr %s', (cidr) => {
    it.each([2, 3, 4])('AND %i zones WHEN Terraform computes the subnets THEN there is one private and one public subnet per zone, none overlapping, all inside the VPC', (zones) => {
      const s = subnets(cidr, zones);
      const vpcPrefix = range(cidr).prefix;
      expect(s.private).toHaveLength(zones);
      expect(s.public).toHaveLength(zones);
      expect(s.private.map((c) => range(c).prefix)).toEqual(Array(zones).fill(vpcPrefix + 4));
      expect(s.public.map((c) => range(c).prefix)).toEqual(Array(zones).fill(vpcPrefix + 8));
      expect(overlaps([...s.private, ...s.public])).toEqual([]);
      expect(outside(cidr, [...s.private, ...s.public])).toEqual([]);
    });

    it.each([2, 3] as const)('AND %i zones WHEN Terraform computes the subnets THEN they are exactly those such a VPC was created with', (zones) => {
      expect(subnets(cidr, zones)).toEqual(TODAY[cidr]![zones]);
    });
  });

  it('GIVEN 4 zones in 10.0.0.0/16 WHEN Terraform computes the subnets THEN the 4th private /20 is the next free one after the /20 holding the public /24s', { timeout: 120_000 }, () => {
    expect(subnets('10.0.0.0/16', 4)).toEqual({
      private: ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20', '10.0.64.0/20'],
      public: ['10.0.48.0/24', '10.0.49.0/24', '10.0.50.0/24', '10.0.51.0/24'],
    });
  });

  it('GIVEN the scheme before the fix (private subnet i = /20 number i) WHEN Terraform computes 4 zones THEN the overlap check reports the 4th private subnet against every public one', { timeout: 120_000 }, () => {
    const before = mutate(configs, 'modules/platform', 'vpc.tf', (f) => {
      (f.locals as any)[0].private_subnet_cidrs = '${[for i, _ in var.network.azs : cidrsubnet(var.network.cidr, 4, i)]}';
    }).find((c) => c.dir === 'modules/platform')!;
    const s = subnets('10.0.0.0/16', 4, before);
    expect(overlaps([...s.private, ...s.public])).toEqual(['10.0.48.0/20 overlaps 10.0.48.0/24', '10.0.48.0/20 overlaps 10.0.49.0/24', '10.0.48.0/20 overlaps 10.0.50.0/24', '10.0.48.0/20 overlaps 10.0.51.0/24']);
  });
});

/** The internal load balancers' subnets of a new VPC of `cidr` over the first `zones` zones. */
function loadBalancerSubnets(cidr: string, zones: number): string[] {
  const result = evaluate(platform, { variables: ['network'], locals: ['load_balancer_subnet_cidrs'], values: { network: { cidr, azs: AZS.slice(0, zones) } } });
  if (result.code !== 0) throw new Error(result.log);
  return result.outputs.load_balancer_subnet_cidrs as string[];
}

/** The plan's layout check (vpc.tf `network_layout_problems`) for these node and load-balancer subnets and ranges. */
function layoutProblems(nodes: readonly string[], albs: readonly string[], ranges: readonly string[]): string[] {
  const result = evaluate(platform, {
    variables: ['load_balancer_cidrs'],
    locals: ['network_layout_problems'],
    stubs: { node_cidrs: nodes, alb_cidrs: albs },
    values: { load_balancer_cidrs: ranges },
  });
  if (result.code !== 0) throw new Error(result.log);
  return result.outputs.network_layout_problems as string[];
}

describe('the load balancers\' own subnets', { timeout: 180_000 }, () => {
  describe.each(Object.keys(TODAY))('GIVEN network.cidr %s', (cidr) => {
    it.each([2, 3, 4])('AND %i zones WHEN Terraform computes them THEN one per zone, overlapping nothing, in /20 number 3 with the public subnets and apart from every node subnet', (zones) => {
      const lb = loadBalancerSubnets(cidr, zones);
      const s = subnets(cidr, zones);
      const vpcPrefix = range(cidr).prefix;
      expect(lb).toHaveLength(zones);
      expect(lb.map((c) => range(c).prefix)).toEqual(Array(zones).fill(vpcPrefix + 8));
      expect(overlaps([...s.private, ...s.public, ...lb])).toEqual([]);
      // /20 number 3 of a /16 (the same fraction of other sizes): the range the definition names.
      const third = range(cidr).first + 3 * 2 ** (32 - vpcPrefix - 4);
      const reserved = { first: third, last: third + 2 ** (32 - vpcPrefix - 4) - 1 };
      for (const c of [...s.public, ...lb]) expect(range(c).first >= reserved.first && range(c).last <= reserved.last, c).toBe(true);
      for (const c of s.private) expect(range(c).last < reserved.first || range(c).first > reserved.last, c).toBe(true);
    });
  });

  it('GIVEN the bundled dev cluster (10.40.0.0/16, three zones, network.loadBalancerCidrs 10.40.48.0/20) WHEN the plan checks the layout THEN it holds', () => {
    expect(loadBalancerSubnets('10.40.0.0/16', 3)).toEqual(['10.40.52.0/24', '10.40.53.0/24', '10.40.54.0/24']);
    const s = subnets('10.40.0.0/16', 3);
    expect(layoutProblems(s.private, [...s.public, '10.40.52.0/24', '10.40.53.0/24', '10.40.54.0/24'], ['10.40.48.0/20'])).toEqual([]);
  });

  it('GIVEN a load-balancer range that covers node subnets, or one that misses load-balancer subnets WHEN the plan checks the layout THEN each subnet is reported', () => {
    const s = subnets('10.40.0.0/16', 2);
    const lb = ['10.40.52.0/24', '10.40.53.0/24'];
    expect(layoutProblems(s.private, [...s.public, ...lb], ['10.40.0.0/17'])).toEqual([
      'node subnet 10.40.0.0/20 overlaps network.loadBalancerCidrs ["10.40.0.0/17"]: every Pod there would be admitted as a load balancer',
      'node subnet 10.40.16.0/20 overlaps network.loadBalancerCidrs ["10.40.0.0/17"]: every Pod there would be admitted as a load balancer',
    ]);
    expect(layoutProblems(s.private, [...s.public, ...lb], ['10.40.52.0/22'])).toEqual([
      'load-balancer subnet 10.40.48.0/24 lies outside network.loadBalancerCidrs ["10.40.52.0/22"]',
      'load-balancer subnet 10.40.49.0/24 lies outside network.loadBalancerCidrs ["10.40.52.0/22"]',
    ]);
    // Terraform's default VPC (network.cidr's default) with the definition's default range.
    const d = subnets('10.0.0.0/16', 3);
    expect(layoutProblems(d.private, [...d.public, ...loadBalancerSubnets('10.0.0.0/16', 3)], NETWORK_DEFAULTS.loadBalancerCidrs)).toEqual([]);
    expect(String(body(platform.files.get('variables.tf')!, 'variable', 'network').type)).toMatch(/\bcidr\s*=\s*optional\(string,\s*"10\.0\.0\.0\/16"\)/);
  });

  it('GIVEN vpc.tf WHEN its tags are read THEN only the load-balancer subnets carry the controller\'s role tags (internal-elb on their own, elb on the public ones) and the node subnets none', () => {
    const vpc = blocks(platform, 'module', 1).find((b) => b.labels[0] === 'vpc')!;
    expect(vpc.body.private_subnet_tags).toBe('${local.discovery_tag}');
    expect(vpc.body.public_subnet_tags).toEqual({ '${(var.keys.subnet_role_elb)}': 1 });
    const file = platform.files.get('vpc.tf')!;
    const own = body(file, 'resource', 'aws_subnet', 'load_balancers');
    expect(own.cidr_block).toBe('${local.load_balancer_subnet_cidrs[count.index]}');
    expect(String(own.tags)).toMatch(/\(var\.keys\.subnet_role_internal_elb\)\s*=\s*"1"/);
    expect(String(own.tags)).not.toContain('karpenter.sh/discovery');
    // The layout check stops the plan.
    const check = body(file, 'resource', 'terraform_data', 'network_layout');
    expect(JSON.stringify(check.lifecycle)).toContain('length(local.network_layout_problems) == 0');
  });

  it('GIVEN the front-door Ingress WHEN its annotations are read THEN it names the load balancers\' subnets outright', () => {
    const ingress = blocks(platform, 'resource', 2).find((b) => b.labels.join('.') === 'kubernetes_ingress_v1.front_door')!;
    expect(JSON.stringify(ingress.body)).toMatch(/var\.keys\.alb_subnets\).{0,20}join\(.{0,12}local\.alb_subnet_ids\)/);
  });
});
