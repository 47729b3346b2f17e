/** The tag latest points at for each official image (generators/compose/official-images.ts), and pinned-images.json derived from the vendored excerpt. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { excerptOf, latestTags, tableOf, tableText, versionOfLatest } from '../../generators/compose/official-images.ts';
import { REPO } from '../helpers/fixtures.ts';

const NGINX = [
  '# this file is generated via https://github.com/nginx/docker-nginx/blob/87f99cd/generate-stackbrew-library.sh',
  '',
  'Maintainers: NGINX Docker Maintainers <docker-maint@nginx.com> (@nginx)',
  'GitRepo: https://github.com/nginx/docker-nginx.git',
  '',
  'Tags: 1.31.4-perl, mainline-perl, 1-perl, 1.31-perl, perl',
  'Directory: mainline/debian-perl',
  '',
  'Tags: 1.31.4, mainline, 1, 1.31, latest, 1.31.4-trixie, mainline-trixie,',
  '  1-trixie, 1.31-trixie, trixie',
  'Directory: mainline/debian',
].join('\n');
// Entries for several platforms share their tags (SharedTags); latest may be there only.
const BUSYBOX = 'Tags: 1.38.0-glibc, 1.38-glibc, 1-glibc, glibc\nSharedTags: 1.38.0, 1.38, 1, stable, latest\nArchitectures: amd64\n';
const MONGO = 'Tags: 8.3.8-noble, 8.3-noble\nSharedTags: 8.3.8, 8.3\n';

describe('latestTags and versionOfLatest', () => {
  it('GIVEN library files WHEN read THEN the tags of the entry holding latest (continuation lines and SharedTags too), none without latest', () => {
    expect(latestTags(NGINX)).toEqual(['1.31.4', 'mainline', '1', '1.31', 'latest', '1.31.4-trixie', 'mainline-trixie', '1-trixie', '1.31-trixie', 'trixie']);
    expect(latestTags(BUSYBOX)).toEqual(['1.38.0', '1.38', '1', 'stable', 'latest']);
    expect(latestTags(MONGO)).toBeUndefined();
  });

  it('GIVEN the tags beside latest WHEN a version is chosen THEN the longest version, the shortest on a tie, a dated one else, none for words', () => {
    expect(versionOfLatest(latestTags(NGINX)!)).toBe('1.31.4');
    expect(versionOfLatest(['25.0.4_7-jdk', '25-jdk', '25', 'latest'])).toBe('25.0.4_7-jdk');
    expect(versionOfLatest(['v3.7.11', '3.7.11', 'v3.7', '3.7', 'langres', 'v3', '3', 'latest'])).toBe('3.7.11');
    expect(versionOfLatest(['12.3.2-noble', '12.3-noble', '12.3.2', '12.3', '12', 'latest'])).toBe('12.3.2');
    expect(versionOfLatest(['latest', 'base', 'base-20260816.0.574111'])).toBe('base-20260816.0.574111');
    expect(versionOfLatest(['trixie', 'nd130', 'latest'])).toBeUndefined();
    expect(versionOfLatest(['latest'])).toBeUndefined();
  });

  it('GIVEN library files WHEN excerpted and tabled THEN the source is recorded and each image with a latest gets its version', () => {
    const source = { repository: 'https://github.com/docker-library/official-images', commit: 'a'.repeat(40), date: '2026-08-21', licence: 'Apache-2.0' };
    const excerpt = excerptOf(source, new Map([['nginx', NGINX], ['mongo', MONGO], ['busybox', BUSYBOX], ['hello-world', 'Tags: latest, linux\n']]));
    expect(excerpt.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      'repository: https://github.com/docker-library/official-images', `commit: ${'a'.repeat(40)}`, 'date: 2026-08-21', 'licence: Apache-2.0',
      'busybox: 1.38.0, 1.38, 1, stable, latest',
      'hello-world: latest, linux',
      'nginx: 1.31.4, mainline, 1, 1.31, latest, 1.31.4-trixie, mainline-trixie, 1-trixie, 1.31-trixie, trixie',
      '',
    ]);
    const table = tableOf(excerpt);
    expect(table.source).toEqual(source);
    expect(table.images).toEqual({ busybox: '1.38.0', nginx: '1.31.4' });
    expect(table.withoutVersion).toEqual(['hello-world']);
  });
});

describe('pinned-images.json', () => {
  it('GIVEN the vendored excerpt of docker-library/official-images WHEN derived THEN it is exactly the committed table (npm run pinned-images rewrites it)', () => {
    const compose = join(REPO, 'generators', 'compose');
    const excerpt = readFileSync(join(compose, 'vendor', 'official-images', 'latest-tags.txt'), 'utf8');
    expect(readFileSync(join(compose, 'pinned-images.json'), 'utf8')).toBe(tableText(excerpt));
    expect(tableOf(excerpt).source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(Object.keys(tableOf(excerpt).images).length + tableOf(excerpt).withoutVersion.length).toBe(excerpt.split('\n').filter((l) => /^[a-z0-9][a-z0-9._-]*: .*\blatest\b/.test(l)).length);
  });
});
