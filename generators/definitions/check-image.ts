/**
 * What exactly is wrong with an image reference the schema refused, in words.
 *
 * The schema's pattern (generators/schema/project.ts) is the rule editors show; one message for
 * every failure ("give the image a tag") sent people chasing the wrong fix for an upper-case
 * name, a space or a short digest. This explains the first thing that breaks the grammar of
 * distribution/reference, which container runtimes parse, and how to fix it.
 *
 * The moving tag `latest` (envs started at different times would run different images, and with
 * IfNotPresent a node keeps its old copy) is accepted only on a container that says
 * `imagePullPolicy: Always`, so each Pod start pulls the newest: following latest is then an
 * explicit choice, warned about, not a drift nobody chose. The schema's pattern cannot see that
 * sibling field, so checkLatestTags does, after the schema.
 * Ref https://github.com/distribution/reference/blob/main/reference.go (the grammar)
 * Ref https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
 */
import { ProjectSchema, type ContainerDefinition, type ProjectDefinition } from '../schema/project.ts';
import type { LoadedFile } from './load.ts';
import { problemAt } from './problem-at.ts';
import { joinPath, show, type Problem } from '../util/problem.ts';

/** The pull policy that makes a `latest` image acceptable: each Pod start asks the registry for the newest. */
export const FOLLOW_LATEST_POLICY: NonNullable<ContainerDefinition['imagePullPolicy']> = 'Always';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** An image reference's parts, as distribution/reference splits them (no check of each part). */
export interface ImageParts {
  /** Everything before the tag and digest: `[domain/]path`. */
  readonly name: string;
  /** The registry host (with its port) when the reference names one, e.g. "ghcr.io", "localhost:5000". */
  readonly domain: string | undefined;
  /** The repository path's parts after the domain. */
  readonly path: readonly string[];
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

/** `image` split into its parts by the grammar's separators (explainImage then checks each part). */
export function splitImage(image: string): ImageParts {
  const at = image.indexOf('@');
  const beforeDigest = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? undefined : image.slice(at + 1);
  // A tag follows the last ':' after the last '/' (a ':' before a '/' is a registry port).
  const colon = beforeDigest.lastIndexOf(':');
  const hasTag = colon > beforeDigest.lastIndexOf('/');
  const name = hasTag ? beforeDigest.slice(0, colon) : beforeDigest;
  const tag = hasTag ? beforeDigest.slice(colon + 1) : undefined;
  const parts = name.split('/');
  // distribution/reference: the first part is a registry host if it has "." or ":", is
  // "localhost", or has upper-case letters (repository paths never do).
  const first = parts[0]!;
  const hasDomain = parts.length > 1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  return { name, domain: hasDomain ? first : undefined, path: hasDomain ? parts.slice(1) : parts, tag, digest };
}

/**
 * Why `image` is not a pinned, valid reference, with the fix; undefined when it is fine.
 * `imagePullPolicy` is the container's: with Always, an image tagged `latest` follows it on purpose.
 */
export function explainImage(image: string, imagePullPolicy?: string): string | undefined {
  const space = /\s/u.exec(image);
  if (space) {
    const fixed = image.replace(/\s+/gu, '');
    return `it contains a space at position ${[...image.slice(0, space.index)].length + 1}; an image reference has no spaces${fixed ? `: write "${fixed}"` : ''}`;
  }
  if (image === '') return 'it is empty; name an image with a version tag, e.g. "nginx:1.27"';

  const { name, tag, digest, domain, path } = splitImage(image);
  if (domain !== undefined && !DOMAIN.test(domain)) {
    return `the registry "${domain}" is not a host name (letters, digits, "." and "-", with an optional ":port"); write it like "ghcr.io" or "registry.example.com:5000"`;
  }
  const upper = path.find((p) => p !== p.toLowerCase());
  if (upper !== undefined) {
    const lowered = [domain, ...path.map((p) => p.toLowerCase())].filter(Boolean).join('/');
    return `the repository name "${path.join('/')}" has upper-case letters; repository names are lower-case: write "${lowered}${image.slice(name.length)}"`;
  }
  const badPart = path.find((p) => !COMPONENT.test(p));
  if (badPart !== undefined) {
    return `the repository name part "${badPart}" is not valid: use lower-case letters and digits, separated by ".", "_", "__" or "-" (e.g. "acme/web-api")`;
  }
  if (tag !== undefined) {
    if (tag === 'latest' && (digest !== undefined || imagePullPolicy !== FOLLOW_LATEST_POLICY)) {
      const optIn = digest === undefined ? `, or follow latest on purpose: keep "${image}" and set imagePullPolicy: ${FOLLOW_LATEST_POLICY} on the container (each Pod start then pulls the newest)` : '';
      return `the tag "latest" moves: every env pulls whatever "latest" is when its Pod starts (and a node keeps its old copy), so envs drift apart and a rebuild can change under you; pin a version tag ("${name}:<version>", one its registry lists) or a digest ("${name}@sha256:<64 hex characters>")${optIn}`;
    }
    if (!TAG.test(tag)) {
      return `the tag "${tag}" is not valid: up to 128 letters, digits, "_", "." and "-", not starting with "." or "-" (e.g. "1.27" or "2024-05-01")`;
    }
  }
  if (digest !== undefined) {
    if (!digest.startsWith('sha256:')) return `the digest "${digest}" must start with "sha256:" (e.g. "${name}@sha256:<64 hex characters>", as \`docker buildx imagetools inspect\` prints it)`;
    const hex = digest.slice('sha256:'.length);
    if (!DIGEST.test(digest)) {
      const why = /[^a-fA-F0-9]/.test(hex) ? 'has characters other than 0-9 and a-f' : hex !== hex.toLowerCase() ? 'has upper-case letters' : `has ${hex.length} hex characters`;
      return `the digest "${digest}" ${why}; a sha256 digest is exactly 64 lower-case hex characters (copy it whole from the registry)`;
    }
  }
  if (tag === undefined && digest === undefined) {
    return `give the image a tag or a digest: "${name}:<version>" (one its registry lists) or "${name}@sha256:<64 hex characters>" (without one, the image could change under it); or, to follow latest on purpose, "${name}:latest" with imagePullPolicy: ${FOLLOW_LATEST_POLICY} on the container`;
  }
  return undefined;
}

/**
 * Schema problems about `containers[i].image`, each with the precise explanation instead of the
 * pattern's one hint. Other problems are returned unchanged.
 */
export function explainImageProblems(loaded: LoadedFile, problems: readonly Problem[]): Problem[] {
  if (loaded.kind !== 'project') return [...problems];
  const containers = (loaded.value as Partial<ProjectDefinition> | null)?.containers;
  if (!Array.isArray(containers)) return [...problems];
  const explained = new Map<string, string>();
  containers.forEach((container, c) => {
    const image = (container as { image?: unknown } | null)?.image;
    if (typeof image !== 'string') return;
    const why = explainImage(image, pullPolicyOf(container));
    if (why !== undefined) explained.set(joinPath(['containers', c, 'image']), `${show(image)} is not valid: ${why}`);
  });
  return problems.map((problem) => {
    const message = explained.get(problem.path);
    // Only the pattern's problem is replaced (a length problem stays as it is).
    return message !== undefined && problem.message.includes(' is not valid: ') ? { ...problem, message } : problem;
  });
}

const IMAGE_PATTERN = new RegExp(ProjectSchema.properties.containers.items.properties.image.pattern!, 'u');

/** The containers of a loaded project whose image the schema accepts and that tag `latest` (no digest), with their pull policy. */
function latestTagged(loaded: LoadedFile): { index: number; image: string; policy: string | undefined }[] {
  if (loaded.kind !== 'project') return [];
  const containers = (loaded.value as Partial<ProjectDefinition> | null)?.containers;
  if (!Array.isArray(containers)) return [];
  return containers.flatMap((container, index) => {
    const image = (container as { image?: unknown } | null)?.image;
    if (typeof image !== 'string' || !IMAGE_PATTERN.test(image)) return [];
    const { tag, digest } = splitImage(image);
    return tag === 'latest' && digest === undefined ? [{ index, image, policy: pullPolicyOf(container) }] : [];
  });
}

/** The problems of images tagged `latest` on a container without imagePullPolicy: Always (what the schema's pattern cannot see). */
export function checkLatestTags(loaded: LoadedFile): Problem[] {
  return latestTagged(loaded).flatMap(({ index, image, policy }) => {
    const why = explainImage(image, policy);
    return why === undefined ? [] : [problemAt(loaded, ['containers', index, 'image'], `${show(image)} is not valid: ${why}`)];
  });
}

/** One warning per container that follows latest (imagePullPolicy: Always), for validate and synth to print. */
export function followsLatestWarnings(loaded: LoadedFile): Problem[] {
  return latestTagged(loaded)
    .filter(({ policy }) => policy === FOLLOW_LATEST_POLICY)
    .map(({ index, image }) => problemAt(loaded, ['containers', index, 'image'], `${show(image)} follows latest (imagePullPolicy: ${FOLLOW_LATEST_POLICY}): envs started at different times may run different images; pin a version or a digest`));
}

function pullPolicyOf(container: unknown): string | undefined {
  const policy = (container as { imagePullPolicy?: unknown } | null)?.imagePullPolicy;
  return typeof policy === 'string' ? policy : undefined;
}
