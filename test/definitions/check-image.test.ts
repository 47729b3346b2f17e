import { describe, expect, it } from 'vitest';
import { explainImage } from '../../generators/definitions/check-image.ts';
import { ProjectSchema } from '../../generators/schema/project.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defective, expectRefused, lineNumberOf, S, SHOP, W, WEB, type BadInputCase } from '../helpers/bad-input.ts';
import { runCli } from '../helpers/cli.ts';
import { tempRoot } from '../helpers/fixtures.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const schemaPattern = new RegExp((ProjectSchema.properties.containers.items.properties.image as { pattern: string }).pattern, 'u');

const valid = [
  'nginx:1.27',
  'library/nginx:1.27-alpine',
  `nginx@${DIGEST}`,
  `nginx:1.27@${DIGEST}`,
  'ghcr.io/acme/api:1.0',
  'registry.example.com:5000/team/web_app__x:v2',
  'localhost:5000/app:dev',
  'Registry.Example.com/app:1',
  'nginx:latest-1.27',
  'nginx:Latest',
];

/** Tagged latest without a digest: the pattern accepts them, the container's imagePullPolicy decides (checkLatestTags). */
const moving: [string, string][] = [
  ['nginx:latest', 'the tag "latest" moves'],
  ['ghcr.io/acme/api:latest', 'pin a version tag ("ghcr.io/acme/api:<version>", one its registry lists)'],
  // The hint names no version it cannot know: nginx's 1.27 is not a Python release.
  ['python:latest', 'pin a version tag ("python:<version>", one its registry lists) or a digest ("python@sha256:<64 hex characters>")'],
];

const invalid: [string, string][] = [
  // A digest pins it, so "latest" beside it can only mislead: refused whatever the pull policy, with no opt-in offered.
  [`nginx:latest@${DIGEST}`, 'the tag "latest" moves'],
  ['python', 'give the image a tag or a digest: "python:<version>" (one its registry lists) or "python@sha256:<64 hex characters>"'],
  ['Nginx:1.27', 'the repository name "Nginx" has upper-case letters; repository names are lower-case: write "nginx:1.27"'],
  ['ghcr.io/Acme/api:1.0', 'write "ghcr.io/acme/api:1.0"'],
  ['nginx: 1.27', 'it contains a space at position 7; an image reference has no spaces: write "nginx:1.27"'],
  [' nginx:1.27', 'it contains a space at position 1'],
  ['nginx@sha256:abc', 'the digest "sha256:abc" has 3 hex characters; a sha256 digest is exactly 64 lower-case hex characters'],
  [`nginx@sha256:${'A'.repeat(64)}`, 'has upper-case letters'],
  [`nginx@sha256:${'g'.repeat(64)}`, 'has characters other than 0-9 and a-f'],
  [`nginx@md5:${'a'.repeat(32)}`, 'must start with "sha256:"'],
  ['nginx', 'give the image a tag or a digest: "nginx:<version>" (one its registry lists) or "nginx@sha256:<64 hex characters>" (without one'],
  ['ghcr.io/acme/api', 'give the image a tag or a digest: "ghcr.io/acme/api:<version>"'],
  ['nginx:.1', 'the tag ".1" is not valid'],
  ['acme//api:1', 'the repository name part "" is not valid'],
  ['acme/-api:1', 'the repository name part "-api" is not valid'],
  ['', 'it is empty'],
];

describe('explainImage', () => {
  it.each(valid)('GIVEN the pinned reference %j WHEN explained THEN nothing is wrong, and the schema pattern agrees', (image) => {
    expect(explainImage(image)).toBeUndefined();
    expect(schemaPattern.test(image)).toBe(true);
  });

  it.each(invalid)('GIVEN %j WHEN explained THEN the message says %j, the schema pattern refuses it too, and no example suggests ":latest"', (image, says) => {
    const why = explainImage(image);
    expect(why).toContain(says);
    expect(why).not.toMatch(/e\.g\. "[^"]*:latest"/);
    expect(schemaPattern.test(image)).toBe(false);
    expect(explainImage(image, 'Always')).toBe(why);
  });

  it.each(moving)('GIVEN %j WHEN explained without imagePullPolicy Always THEN the message says %j and names the opt-in; with Always nothing is wrong', (image, says) => {
    for (const policy of [undefined, 'IfNotPresent', 'Never']) {
      const why = explainImage(image, policy);
      expect(why).toContain(says);
      expect(why).toContain(`or follow latest on purpose: keep "${image}" and set imagePullPolicy: Always on the container`);
    }
    expect(explainImage(image, 'Always')).toBeUndefined();
    expect(schemaPattern.test(image)).toBe(true);
  });

  it('GIVEN an image with neither tag nor digest WHEN explained THEN ":latest" with imagePullPolicy Always is named as the third way, after a version and a digest', () => {
    expect(explainImage('acme/web')).toBe(
      'give the image a tag or a digest: "acme/web:<version>" (one its registry lists) or "acme/web@sha256:<64 hex characters>" (without one, the image could change under it); or, to follow latest on purpose, "acme/web:latest" with imagePullPolicy: Always on the container',
    );
    expect(explainImage('acme/web', 'Always')).toBe(explainImage('acme/web'));
  });

  it('GIVEN a version tag or a digest WHEN explained with imagePullPolicy Always THEN nothing is wrong', () => {
    expect(explainImage('nginx:1.27', 'Always')).toBeUndefined();
    expect(explainImage(`nginx@${DIGEST}`, 'Always')).toBeUndefined();
  });

  it('GIVEN an upper-case name, a space and a malformed digest WHEN explained THEN the three messages differ', () => {
    const messages = ['Nginx:1.27', 'nginx :1.27', 'nginx@sha256:abc'].map((image) => explainImage(image));
    expect(new Set(messages).size).toBe(3);
  });

  it('GIVEN the schema hint of the image field WHEN read THEN it asks for a version or a digest first, and names "latest" only with imagePullPolicy Always', () => {
    const hint = (ProjectSchema.properties.containers.items.properties.image as unknown as Record<string, string>)['x-hint']!;
    expect(hint.indexOf('"nginx:1.27"')).toBeLessThan(hint.indexOf('latest'));
    expect(hint).toContain('":latest" with imagePullPolicy: Always');
  });
});

const cases: BadInputCase[] = [
  {
    given: 'nginx:latest (YAML)',
    defect: (d) => (W(d).containers[0].image = 'nginx:latest'),
    file: WEB,
    path: 'containers[0].image',
    says: ['"nginx:latest" is not valid: the tag "latest" moves', 'envs drift apart', 'pin a version tag ("nginx:<version>", one its registry lists) or a digest', 'set imagePullPolicy: Always on the container'],
    lineOf: 'image: nginx:latest',
  },
  {
    given: 'ghcr.io/acme/shop:latest with imagePullPolicy Never (TypeScript)',
    defect: (d) => Object.assign(S(d).containers[0], { image: 'ghcr.io/acme/shop:latest', imagePullPolicy: 'Never' }),
    file: SHOP,
    path: 'containers[0].image',
    says: ['"ghcr.io/acme/shop:latest" is not valid: the tag "latest" moves', 'keep "ghcr.io/acme/shop:latest" and set imagePullPolicy: Always'],
  },
  {
    given: 'an image with no tag (YAML)',
    defect: (d) => Object.assign(W(d).containers[1], { image: 'ghcr.io/acme/api', imagePullPolicy: 'Always' }),
    file: WEB,
    path: 'containers[1].image',
    says: ['"ghcr.io/acme/api" is not valid: give the image a tag or a digest', '"ghcr.io/acme/api:latest" with imagePullPolicy: Always'],
    lineOf: 'image: ghcr.io/acme/api',
  },
  {
    given: 'an upper-case repository name (TypeScript)',
    defect: (d) => (S(d).containers[0].image = 'ghcr.io/Acme/shop:2.3.1'),
    file: SHOP,
    path: 'containers[0].image',
    says: ['the repository name "Acme/shop" has upper-case letters', 'write "ghcr.io/acme/shop:2.3.1"'],
  },
  {
    given: 'a space in the image reference',
    defect: (d) => (W(d).containers[1].image = 'ghcr.io/acme/api: 1.0'),
    file: WEB,
    path: 'containers[1].image',
    says: ['contains a space at position 18', 'write "ghcr.io/acme/api:1.0"'],
  },
  {
    given: 'a digest cut short',
    defect: (d) => (W(d).containers[1].image = 'ghcr.io/acme/api@sha256:0123abcd'),
    file: WEB,
    path: 'containers[1].image',
    says: ['the digest "sha256:0123abcd" has 8 hex characters', 'exactly 64 lower-case hex characters'],
  },
];

describe('image references in definitions', () => {
  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 naming the file and field, and nothing is written', async (_, c) => {
    await expectRefused(c);
  });
});

describe('a container following latest (imagePullPolicy: Always)', () => {
  it('GIVEN nginx:latest with imagePullPolicy Always WHEN validate and synth run THEN both exit 0 and print one warning line naming the file and field, and the Deployment pulls Always', async () => {
    const files = defective({ defect: (d) => Object.assign(W(d).containers[0], { image: 'nginx:latest', imagePullPolicy: 'Always' }) });
    const root = tempRoot(files);
    const line = `devfleet: warning: ${WEB}: containers[0].image: "nginx:latest" follows latest (imagePullPolicy: Always): envs started at different times may run different images; pin a version or a digest (line ${lineNumberOf(files[WEB]!, 'image: nginx:latest')})`;
    for (const command of ['validate', 'synth']) {
      const result = await runCli(command, '--root', root);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(line);
    }
    const deployment = readFileSync(join(root, 'clusters/dev/charts/web/templates/deployment.yaml'), 'utf8');
    expect(deployment).toContain('- image: "{{ .Values.images.nginx }}"\n          imagePullPolicy: Always\n');
    expect(deployment).toContain('image: "{{ .Values.images.api }}"\n          imagePullPolicy: IfNotPresent\n');
  });
});
