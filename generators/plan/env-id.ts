/**
 * One env's identity and its one text form, `<developer>/<project>` (e.g. `alice/my-app`): what
 * the CLI takes (`--env`), what `list` and messages print, and the env's file in the generated
 * tree (`apps/envs/<developer>/<project>.yaml`, see ./layout.ts).
 *
 * The Argo CD Application name (`<project>--<developer>`, shortened when long, see ./names.ts) is a
 * derived Kubernetes name, not an identity; `parseEnvId` still accepts it where it is unshortened,
 * because people copy it from Argo CD's UI.
 */
import { SEPARATOR } from './names.ts';

export interface EnvId {
  readonly developer: string;
  readonly project: string;
}

export function formatEnvId(id: EnvId): string {
  return `${id.developer}/${id.project}`;
}

/** `alice/my-app`, or the Application name `my-app--alice`; undefined for anything else. */
export function parseEnvId(text: string): EnvId | undefined {
  const slash = /^([^/\s]+)\/([^/\s]+)$/.exec(text);
  if (slash) return { developer: slash[1]!, project: slash[2]! };
  const parts = text.split(SEPARATOR);
  if (parts.length === 2 && parts.every((p) => /^[a-z0-9][a-z0-9-]*$/.test(p) && !p.endsWith('-'))) return { developer: parts[1]!, project: parts[0]! };
  return undefined;
}

export function sameEnv(a: EnvId, b: EnvId): boolean {
  return a.developer === b.developer && a.project === b.project;
}
