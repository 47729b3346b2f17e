/**
 * The one-line container format of `devfleet new --container` and the issue form's "Containers"
 * field: comma-separated `key=value` pairs.
 *
 *   name=web, image=nginx:1.27, port=http:80, port=metrics:9090, cpu=100m, memory=256Mi
 *
 * `name` and `image` are required; `port` (NAME:NUMBER) may repeat; `cpu` and `memory` are the
 * requests. The values are checked by the project schema afterwards; here only the shape.
 */
import type { ContainerDefinition } from '../schema/project.ts';
import { quote } from './input-problem.ts';

export const CONTAINER_SPEC_EXAMPLE = 'name=web,image=nginx:1.27,port=http:80';
const KEYS = ['name', 'image', 'port', 'cpu', 'memory'] as const;
type Key = (typeof KEYS)[number];

export function parseContainerSpec(spec: string): { container?: ContainerDefinition; problems: string[] } {
  const problems: string[] = [];
  const single = new Map<Exclude<Key, 'port'>, string>();
  const ports: { name: string; port: number }[] = [];
  const parts = spec.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length === 0) return { problems: [`is empty; write it as ${CONTAINER_SPEC_EXAMPLE}`] };
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      problems.push(`${quote(part)} is not key=value; write the container as ${CONTAINER_SPEC_EXAMPLE}`);
      continue;
    }
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (value.includes('=')) {
      problems.push(`${quote(part)} holds more than one key=value; separate the pairs with commas, e.g. ${CONTAINER_SPEC_EXAMPLE}`);
      continue;
    }
    if (!(KEYS as readonly string[]).includes(key)) {
      problems.push(`unknown key ${quote(key)}; the keys are ${KEYS.join(', ')} (e.g. ${CONTAINER_SPEC_EXAMPLE})`);
      continue;
    }
    if (key === 'port') {
      const match = /^([^:]+):([0-9]{1,5})$/.exec(value);
      if (!match) problems.push(`port ${quote(value)} must be NAME:NUMBER, e.g. port=http:80`);
      else ports.push({ name: match[1]!, port: Number(match[2]) });
      continue;
    }
    const k = key as Exclude<Key, 'port'>;
    if (single.has(k)) problems.push(`${key} is given twice; give it once (only port may repeat)`);
    else if (value === '') problems.push(`${key} is empty; give a value, e.g. ${CONTAINER_SPEC_EXAMPLE}`);
    else single.set(k, value);
  }
  for (const key of ['name', 'image'] as const) {
    if (!single.has(key) && !problems.some((p) => p.startsWith(`${key} is`))) problems.push(`${key}= is missing; write the container as ${CONTAINER_SPEC_EXAMPLE}`);
  }
  if (problems.length > 0) return { problems };
  const cpu = single.get('cpu');
  const memory = single.get('memory');
  const container: ContainerDefinition = {
    name: single.get('name')!,
    image: single.get('image')!,
    ...(ports.length > 0 ? { ports } : {}),
    ...(cpu !== undefined || memory !== undefined ? { resources: { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) } } : {}),
  };
  return { container, problems };
}
