/**
 * A version for a Docker official image that a compose file leaves untagged or at `latest`: the
 * version tag `latest` pointed at in a snapshot of docker-library/official-images
 * (pinned-images.json, derived by write-pinned-images.ts from the vendored excerpt; see
 * official-images.ts). Other images get none: the translation pins them to their registry's digest
 * (resolve-digest.ts), or else has them follow latest with imagePullPolicy: Always, warning of it.
 */
import table from './pinned-images.json' with { type: 'json' };

/** The date of the docker-library/official-images commit the table was derived from (YYYY-MM-DD). */
export const PINNED_IMAGES_CHOSEN: string = table.source.date;
/** That commit. */
export const PINNED_IMAGES_COMMIT: string = table.source.commit;
const IMAGES: Readonly<Record<string, string>> = table.images;

/**
 * `image` (no tag, or `latest`; no digest) with the table's tag, keeping how it was written
 * (`nginx`, `docker.io/library/nginx:latest`), or undefined when the table does not know it.
 */
export function pinFromTable(image: string): string | undefined {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const hasTag = colon > slash;
  if (image.includes('@') || (hasTag && image.slice(colon + 1) !== 'latest')) return undefined;
  const repository = hasTag ? image.slice(0, colon) : image;
  // Official images live on Docker Hub under library/, which may be written or left out; nothing else is one.
  const official = /^(?:(?:index\.)?docker\.io\/)?(?:library\/)?([a-z0-9]+(?:[._-][a-z0-9]+)*)$/.exec(repository);
  const key = official?.[1];
  const tag = key !== undefined && Object.hasOwn(IMAGES, key) ? IMAGES[key] : undefined;
  return tag === undefined ? undefined : `${repository}:${tag}`;
}
