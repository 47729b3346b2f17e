/** Which keys of which Secret a project's containers read (their `{ secret, key }` env values). */
import type { ProjectModel } from '../plan/model.ts';

/** The keys the containers read from the Secret `secret`, sorted and without repeats. */
export function secretKeys(project: ProjectModel, secret: string): string[] {
  const keys = new Set<string>();
  for (const container of project.containers) {
    for (const [, value] of container.env) if (typeof value !== 'string' && value.secret === secret) keys.add(value.key);
  }
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
