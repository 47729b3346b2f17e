/**
 * What exactly is wrong with an image reference the schema refused, in words.
 *
 * The schema's pattern (generators/schema/project.ts) is the rule editors show; one message for
 * every failure ("give the image a tag") sent people chasing the wrong fix for an upper-case
 * name, a space or a short digest. This explains the first thing that breaks the grammar of
 * distribution/reference, which container runtimes parse, and how to fix it. A moving tag
 * (`latest`) is refused too: envs pulled at different times would run different images.
 * Ref https://github.com/distribution/reference/blob/main/reference.go (the grammar)
 */
import type { ProjectDefinition } from '../schema/project.ts';
import type { LoadedFile } from './load.ts';
import { joinPath, show, type Problem } from '../util/problem.ts';

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

/** Why `image` is not a pinned, valid reference, with the fix; undefined when it is fine. */
export function explainImage(image: string): string | undefined {
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
    if (tag === 'latest') {
      return `the tag "latest" moves: every env pulls whatever "latest" is when its Pod starts (and a node keeps its old copy), so envs drift apart and a rebuild can change under you; pin a version tag ("${name}:<version>", one its registry lists) or a digest ("${name}@sha256:<64 hex characters>")`;
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
    return `give the image a tag or a digest: "${name}:<version>" (one its registry lists) or "${name}@sha256:<64 hex characters>" (without one, the image could change under it)`;
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
    const why = explainImage(image);
    if (why !== undefined) explained.set(joinPath(['containers', c, 'image']), `${show(image)} is not valid: ${why}`);
  });
  return problems.map((problem) => {
    const message = explained.get(problem.path);
    // Only the pattern's problem is replaced (a length problem stays as it is).
    return message !== undefined && problem.message.includes(' is not valid: ') ? { ...problem, message } : problem;
  });
}
