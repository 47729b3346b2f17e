/**
 * `npm run pinned-images [-- OFFICIAL_IMAGES_CHECKOUT]`: with a git checkout of
 * https://github.com/docker-library/official-images, rewrites the vendored excerpt
 * (vendor/official-images/latest-tags.txt: each official image's tags beside `latest`, with the
 * commit and its date); then, always, pinned-images.json from the excerpt.
 * test/compose/official-images.test.ts fails when pinned-images.json differs from what this writes.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { excerptOf, tableText } from './official-images.ts';

const here = dirname(fileURLToPath(import.meta.url));
const excerptFile = join(here, 'vendor', 'official-images', 'latest-tags.txt');
const checkout = process.argv[2];
if (checkout !== undefined) {
  const git = (...args: string[]) => execFileSync('git', ['-C', checkout, ...args], { encoding: 'utf8' }).trim();
  const source = {
    repository: 'https://github.com/docker-library/official-images',
    commit: git('rev-parse', 'HEAD'),
    date: git('log', '-1', '--format=%cs'),
    licence: 'Apache-2.0',
  };
  const library = new Map(readdirSync(join(checkout, 'library')).map((image) => [image, readFileSync(join(checkout, 'library', image), 'utf8')]));
  writeFileSync(excerptFile, excerptOf(source, library));
  console.log(`wrote ${excerptFile} from ${checkout} at ${source.commit}`);
}
writeFileSync(join(here, 'pinned-images.json'), tableText(readFileSync(excerptFile, 'utf8')));
console.log(`wrote ${join(here, 'pinned-images.json')}`);
