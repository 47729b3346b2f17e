/**
 * A version for a well-known image that a compose file leaves untagged or at `latest`, from ONE
 * curated table (pinned-images.json, with the date its tags were chosen). Images not in the table
 * get none: the translation refuses them, naming the service.
 */
import table from './pinned-images.json' with { type: 'json' };

/** The date the table's tags were chosen (YYYY-MM-DD). */
export const PINNED_IMAGES_CHOSEN: string = table.chosen;
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
  // Docker Hub's official images may be written with their registry and library/ prefix.
  const key = repository.replace(/^(?:(?:index\.)?docker\.io\/)?(?:library\/)?/, '');
  const tag = Object.hasOwn(IMAGES, key) ? IMAGES[key] : undefined;
  return tag === undefined ? undefined : `${repository}:${tag}`;
}
