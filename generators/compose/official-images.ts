/**
 * The tag `latest` pointed at for each Docker official image, read from the
 * docker-library/official-images repository (https://github.com/docker-library/official-images,
 * Apache-2.0): each `library/<image>` file lists the image's entries, each with its `Tags:` (and
 * `SharedTags:`, tags shared by several platforms' entries). The entry whose tags hold `latest` is
 * what `docker pull <image>` gets; its most specific version tag (`1.31.4` beside `1.31`, `1`,
 * `mainline`, `latest`) names the same build without moving. pinned-images.json is derived from
 * the vendored excerpt (vendor/official-images/latest-tags.txt) by write-pinned-images.ts.
 */

/** The tags of the entry of one `library/<image>` file whose Tags or SharedTags hold `latest`, if any. */
export function latestTags(libraryFile: string): string[] | undefined {
  // RFC 2822-style fields: a line starting with white space continues the field above it.
  const lines = libraryFile.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ').split('\n');
  for (const line of lines) {
    const field = /^(?:Tags|SharedTags):(.*)$/.exec(line);
    if (!field) continue;
    const tags = field[1]!.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
    if (tags.includes('latest')) return tags;
  }
  return undefined;
}

/** The version a tag starts with (`1.31.4` of `1.31.4-trixie`, `v3.7.11`, `25.0.4_7` of `25.0.4_7-jdk`, `9.0.3-4`). */
const LEADING_VERSION = /^v?\d+(?:[._-]\d+)*/;

/**
 * The version among the tags that `latest` points at: the tag starting with the longest version
 * (the most parts: `1.31.4` over `1.31` and `1`), on a tie the shortest (`1.31.4` over
 * `1.31.4-trixie`), then the first. Without a tag starting with a version, one ending with a
 * dated or dotted version (`base-20260816.0.574111`); none when the tags are words that move like
 * latest does (`trixie`, `lyrical`, `full`, `p11`).
 */
export function versionOfLatest(tags: readonly string[]): string | undefined {
  const parts = (tag: string) => LEADING_VERSION.exec(tag)?.[0].split(/[._-]/).length ?? 0;
  let best: string | undefined;
  for (const tag of tags) {
    if (parts(tag) === 0) continue;
    if (best === undefined || parts(tag) > parts(best) || (parts(tag) === parts(best) && tag.length < best.length)) best = tag;
  }
  return best ?? tags.find((tag) => /\d+(?:[._]\d+)+$/.test(tag));
}

/** The excerpt's header: where and when it was read. */
export interface OfficialImagesSource {
  readonly repository: string;
  readonly commit: string;
  readonly date: string;
  readonly licence: string;
}

/**
 * The excerpt vendored from a checkout: a header naming the source, then one line per official
 * image that has a `latest`: `<image>: <the tags of its latest entry>`.
 */
export function excerptOf(source: OfficialImagesSource, libraryFiles: ReadonlyMap<string, string>): string {
  const lines = [
    `# The tags of the entry holding "latest" in each library/<image> file of ${source.repository}`,
    `# at commit ${source.commit} (${source.date}), ${source.licence} (LICENSE beside this file).`,
    '# Written by generators/compose/write-pinned-images.ts; images without a latest tag are not listed.',
    `repository: ${source.repository}`,
    `commit: ${source.commit}`,
    `date: ${source.date}`,
    `licence: ${source.licence}`,
  ];
  for (const image of [...libraryFiles.keys()].sort()) {
    const tags = latestTags(libraryFiles.get(image)!);
    if (tags !== undefined) lines.push(`${image}: ${tags.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface PinnedImagesTable {
  readonly about: string;
  readonly source: OfficialImagesSource;
  /** Images whose latest entry has no version tag (untagged, they are treated as any other image: their registry's digest, else following latest). */
  readonly withoutVersion: readonly string[];
  readonly images: Readonly<Record<string, string>>;
}

/** pinned-images.json from the vendored excerpt. */
export function tableOf(excerpt: string): PinnedImagesTable {
  const header: Record<string, string> = {};
  const images: Record<string, string> = {};
  const withoutVersion: string[] = [];
  for (const line of excerpt.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const colon = line.indexOf(':');
    const [key, value] = [line.slice(0, colon), line.slice(colon + 1).trim()];
    if (['repository', 'commit', 'date', 'licence'].includes(key)) header[key] = value;
    else {
      const version = versionOfLatest(value.split(',').map((tag) => tag.trim()));
      if (version === undefined) withoutVersion.push(key);
      else images[key] = version;
    }
  }
  return {
    about: 'The version tag "latest" pointed at for each Docker official image, derived from docker-library/official-images (vendor/official-images/latest-tags.txt) by generators/compose/write-pinned-images.ts; do not edit. devfleet import compose gives it to an official image a compose file leaves untagged or at latest (a definition refuses both: latest moves, so envs would drift apart); --image SERVICE=IMAGE:TAG chooses another. Read by generators/compose/pin-image.ts.',
    source: { repository: header.repository ?? '', commit: header.commit ?? '', date: header.date ?? '', licence: header.licence ?? '' },
    withoutVersion,
    images,
  };
}

/** The table as written to pinned-images.json. */
export function tableText(excerpt: string): string {
  return `${JSON.stringify(tableOf(excerpt), null, 2)}\n`;
}
