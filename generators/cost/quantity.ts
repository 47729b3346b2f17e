/**
 * Kubernetes resource quantities as numbers: CPU in cores, memory and storage in bytes. The schema
 * (generators/schema/common.ts, Quantity and ByteQuantity) admits only a decimal number and one
 * suffix, so this covers every value a validated definition holds.
 * Ref https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** `500m` -> 0.5, `2` -> 2, `128Mi` -> 134217728. */
export function parseQuantity(quantity: string): number {
  const match = /^((?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+))(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(quantity);
  if (!match) throw new Error(`"${quantity}" is not a Kubernetes quantity the schema admits`);
  return Number(match[1]) * SUFFIX[match[2] ?? '']!;
}
