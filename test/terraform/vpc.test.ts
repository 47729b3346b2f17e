/**
 * The subnets of a new VPC (terraform/modules/platform/vpc.tf), as the real Terraform computes
 * them for 2, 3 and 4 availability zones (the range network.azs allows): no two overlap (AWS
 * refuses an overlapping subnet, so the apply would fail), all lie inside the VPC's CIDR, and a
 * 2- or 3-zone VPC keeps exactly the subnets it was created with (a moved subnet is a recreated
 * one, with every node and mount target in it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { blocks, loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { evaluate } from './lib/evaluate.ts';
import { mutate, TERRAFORM } from './lib/fixtures.ts';

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
