/**
 * The import itself, shared by `devfleet import compose` (cli/commands/import.ts) and the "New
 * project from compose" bot (bots/import-compose-issue.ts), so both write the same bytes: a compose
 * file read (read-compose.ts), translated (translate-compose.ts) and handed to
 * scaffold/scaffold-project.ts, which validates it with the whole fleet before anything is written.
 */
import type { ProjectDefinition } from '../schema/project.ts';
import { scaffoldProject, type ScaffoldResult } from '../scaffold/scaffold-project.ts';
import type { ProjectFormat } from '../scaffold/serialize-project.ts';
import type { Problem } from '../util/problem.ts';
import { readCompose } from './read-compose.ts';
import { resolveDigests, type RegistryOptions } from './resolve-digest.ts';
import { translateCompose, unversionedImages } from './translate-compose.ts';

/** The command named in the header of every imported file. */
export const IMPORT_COMPOSE_BY = 'devfleet import compose';

export interface ImportComposeOptions {
  /** The project's name (default: the compose `name:`, else the compose file's folder). */
  readonly name?: string | undefined;
  /** Where images of services that only have `build:` are pushed. */
  readonly registry?: string | undefined;
  /** The tag of those images (default: translate-compose.ts BUILT_IMAGE_TAG). */
  readonly tag?: string | undefined;
  /** Images chosen per service, over the compose file's. Every service named must exist. */
  readonly images?: ReadonlyMap<string, string>;
  /** Who gets envs (the bot's form field; the CLI has no flag): absent or "all" leaves the definition as translated. */
  readonly developers?: readonly string[] | 'all';
  /** Ask no registry: an unversioned image the official images' table does not know follows latest (imagePullPolicy: Always), warned of. */
  readonly offline?: boolean;
  /** How registries are asked (resolve-digest.ts): where, and how long to wait. */
  readonly registries?: RegistryOptions;
  /** Today, for the warning of an image pinned to its registry's digest (default: now). */
  readonly now?: Date;
  readonly format: ProjectFormat;
  readonly dryRun?: boolean;
  readonly force?: boolean;
}

export interface ImportComposeResult extends ScaffoldResult {
  /** What did not translate but leaves a working app, each naming its service and feature. */
  readonly warnings: readonly Problem[];
}

/** An image override names a service the compose file does not define. */
export class UnknownServiceError extends Error {
  override name = 'UnknownServiceError';
  constructor(
    readonly service: string,
    readonly services: readonly string[],
  ) {
    super(`no service "${service}"; its services: ${services.join(', ')}`);
  }
}

/** `SERVICE=IMAGE` (`--image`, a line of the bot's "Image overrides" field) as its two parts, or undefined when either is empty. */
export function parseImageOverride(spec: string): { service: string; image: string } | undefined {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) return undefined;
  return { service: spec.slice(0, eq), image: spec.slice(eq + 1) };
}

/** Reads, asks registries for the digests of unversioned images (unless offline), translates, validates with the whole fleet and (unless dryRun) writes. Throws DefinitionError, UnknownServiceError. */
export async function importCompose(root: string, file: string, options: ImportComposeOptions): Promise<ImportComposeResult> {
  const project = readCompose(file);
  for (const service of options.images?.keys() ?? []) {
    if (!project.services.some((s) => s.name === service)) throw new UnknownServiceError(service, project.services.map((s) => s.name));
  }
  const images = options.images ?? new Map<string, string>();
  // An image without a version gets the digest its registry serves for latest today (one lookup per distinct image, all at once).
  const digests = options.offline ? undefined : await resolveDigests(unversionedImages(project, images), options.registries);
  const digestsRead = (options.now ?? new Date()).toISOString().slice(0, 10);
  const translated = translateCompose(project, { name: options.name, registry: options.registry, tag: options.tag, images, digests, digestsRead });
  const developers = options.developers;
  const definition: ProjectDefinition = developers === undefined || developers === 'all' ? translated.definition : { ...translated.definition, developers: [...developers] };
  const result = await scaffoldProject(root, definition, { format: options.format, force: options.force ?? false, dryRun: options.dryRun ?? false, by: IMPORT_COMPOSE_BY });
  return { ...result, warnings: translated.warnings };
}
