/**
 * One env's identity and its one text form, `<developer>/<project>` (e.g. `alice/my-app`): what
 * the CLI takes (`--env`), what `list` and messages print, and the env's file in the generated
 * tree (`apps/envs/<developer>/<project>.yaml`, see ./layout.ts). It holds the real names, never
 * shortened ones.
 *
 * The Argo CD Application name (`<project>--<developer>`, shortened when long, see ./names.ts) is a
 * derived Kubernetes name, not an identity. `parseEnvId` still accepts it, because people copy it
 * from Argo CD's UI, but resolves it by looking it up among the envs of a plan: a shortened name
 * cannot be split back into its parts.
 */
export interface EnvId {
  readonly developer: string;
  readonly project: string;
}

/** What parseEnvId needs to know of an env to resolve an Application name (a plan's Env is one). */
export interface NamedEnv {
  readonly id: EnvId;
  readonly application: string;
}

export function formatEnvId(id: EnvId): string {
  return `${id.developer}/${id.project}`;
}

/**
 * `alice/my-app`, or the Application name of one of `envs` (e.g. `my-app--alice`); undefined for
 * anything else.
 */
export function parseEnvId(text: string, envs: Iterable<NamedEnv>): EnvId | undefined {
  const slash = /^([^/\s]+)\/([^/\s]+)$/.exec(text);
  if (slash) return { developer: slash[1]!, project: slash[2]! };
  for (const env of envs) if (env.application === text) return env.id;
  return undefined;
}

export function sameEnv(a: EnvId, b: EnvId): boolean {
  return a.developer === b.developer && a.project === b.project;
}
