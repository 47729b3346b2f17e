/**
 * The line of a field in a parsed YAML document, for problem messages that point at the key a user
 * wrote: definitions (definitions/load.ts) and compose files (compose/read-compose.ts) alike.
 */
import { isMap, isNode, isScalar, type Document, type LineCounter } from 'yaml';

/**
 * The 1-based line of the field at `segments` (map keys and list indexes), or of its nearest
 * ancestor that exists; undefined when not even the document has a position. A field's line is its
 * key's: a map or list value starts on the line after `key:`.
 */
export function yamlLineOf(doc: Document, lineCounter: LineCounter, segments: readonly (string | number)[]): number | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const parent = n === 0 ? undefined : doc.getIn(segments.slice(0, n - 1), true);
    const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segments[n - 1])) : undefined;
    if (pair && isNode(pair.key) && pair.key.range) return lineCounter.linePos(pair.key.range[0]).line;
    const node = doc.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
