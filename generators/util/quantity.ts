/**
 * Kubernetes resource quantities ("500m", "1.5Gi", "2e3"), parsed exactly and compared.
 *
 * Written here because the npm parsers we checked are not exact: @kubernetes/client-node's
 * quantityToScalar throws on "1.5Gi" (it feeds the number to BigInt) and kubernetes-resource-parser
 * reads "1.5Gi" as 1 byte. A quantity is kept as an exact fraction of base units (cores, bytes),
 * so sums and comparisons never round: "1.5Gi" + "512Mi" is exactly "2Gi".
 * Ref https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/ (the grammar)
 */

/** An exact quantity: numerator / denominator base units (denominator > 0). */
export interface Quantity {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

// <sign><digits>[.<digits>] then a binary suffix, a decimal suffix, or a decimal exponent.
const GRAMMAR = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function reduce(numerator: bigint, denominator: bigint): Quantity {
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}

/** Parses a quantity; throws on text that is not one (callers validate with the schema first). */
export function parseQuantity(text: string): Quantity {
  const match = GRAMMAR.exec(text);
  if (!match) throw new Error(`"${text}" is not a Kubernetes quantity`);
  const [, sign, number, suffix = ''] = match;
  const [whole = '', fraction = ''] = number!.split('.');
  let numerator = BigInt(`${whole}${fraction}` || '0') * (sign === '-' ? -1n : 1n);
  let denominator = 10n ** BigInt(fraction.length);
  if (suffix in BINARY) {
    numerator *= BINARY[suffix]!;
  } else {
    const exponent = suffix in DECIMAL ? DECIMAL[suffix]! : Number(suffix.slice(1));
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  return reduce(numerator, denominator);
}

export function addQuantities(...quantities: readonly Quantity[]): Quantity {
  return quantities.reduce((sum, q) => reduce(sum.numerator * q.denominator + q.numerator * sum.denominator, sum.denominator * q.denominator), { numerator: 0n, denominator: 1n });
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Bytes as people write them: the largest binary suffix that divides exactly ("2Gi", "1536Mi"), else bytes. */
export function formatBytes(q: Quantity): string {
  if (q.denominator !== 1n) return `${decimal(q)}`;
  for (const [suffix, factor] of Object.entries(BINARY).reverse()) {
    if (q.numerator !== 0n && q.numerator % factor === 0n) return `${q.numerator / factor}${suffix}`;
  }
  return `${q.numerator}`;
}

/** CPU as Kubernetes writes it: whole cores ("2"), else millicores ("2500m"), else a decimal. */
export function formatCpu(q: Quantity): string {
  if (q.denominator === 1n) return `${q.numerator}`;
  const milli = q.numerator * 1000n;
  if (milli % q.denominator === 0n) return `${milli / q.denominator}m`;
  return decimal(q);
}

/** A decimal rendering, exact for the fractions quantities produce (denominators of 2s and 5s). */
function decimal(q: Quantity): string {
  const negative = q.numerator < 0n;
  const n = negative ? -q.numerator : q.numerator;
  const whole = n / q.denominator;
  let rest = n % q.denominator;
  let digits = '';
  for (let i = 0; rest !== 0n && i < 30; i++) {
    rest *= 10n;
    digits += `${rest / q.denominator}`;
    rest %= q.denominator;
  }
  return `${negative ? '-' : ''}${whole}${digits ? `.${digits}` : ''}`;
}
