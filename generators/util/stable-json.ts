/** JSON with two-space indentation and a final newline; key order is the object's own. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
