/** The import shared by `devfleet import compose` and the compose bot: overrides checked against the services, developers applied, the header naming the command. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCompose, parseImageOverride, UnknownServiceError } from '../../generators/compose/import-compose.ts';
import { copyOfExamples, snapshotTree, tempRoot } from '../helpers/fixtures.ts';
import { startRegistryStandIn, type RegistryStandIn } from '../helpers/registry-stand-in.ts';

const compose = () => join(tempRoot({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    restart: always\n' }), 'compose.yaml');

describe('importCompose', () => {
  it('GIVEN a compose file and developers WHEN imported THEN projects/<name>.ts names the import command, gives envs to those developers, and the warnings come back', async () => {
    const root = copyOfExamples();
    const result = await importCompose(root, compose(), { name: 'blog', developers: ['alice'], format: 'ts' });
    expect(result.file).toBe('projects/blog.ts');
    expect(result.warnings.map((w) => w.path)).toEqual(['services.web.restart']);
    const text = readFileSync(join(root, 'projects/blog.ts'), 'utf8');
    expect(text).toMatch(/^\/\/ Written by `devfleet import compose`/);
    expect(text).toContain("developers: ['alice'],");
  });

  it('GIVEN an override for a service the file does not define WHEN imported THEN UnknownServiceError names it and the services, and nothing is written', async () => {
    const root = copyOfExamples();
    const before = snapshotTree(root);
    await expect(importCompose(root, compose(), { name: 'blog', images: new Map([['api', 'x:1']]), format: 'ts' })).rejects.toThrow(UnknownServiceError);
    await expect(importCompose(root, compose(), { name: 'blog', images: new Map([['api', 'x:1']]), format: 'ts' })).rejects.toMatchObject({ service: 'api', services: ['web'] });
    expect(snapshotTree(root)).toEqual(before);
  });

  it('GIVEN SERVICE=IMAGE specs WHEN parsed THEN both parts are needed', () => {
    expect(parseImageOverride('proxy=nginx:1.27')).toEqual({ service: 'proxy', image: 'nginx:1.27' });
    expect(parseImageOverride('a=b=c')).toEqual({ service: 'a', image: 'b=c' });
    for (const bad of ['proxy', '=nginx:1.27', 'proxy=']) expect(parseImageOverride(bad)).toBeUndefined();
  });
});

describe('importCompose: an image without a version that is not an official one', () => {
  let registry: RegistryStandIn;
  beforeAll(async () => {
    registry = await startRegistryStandIn();
  });
  afterAll(async () => {
    await registry.close();
  });
  const withImages = (...images: string[]) => join(tempRoot({ 'compose.yaml': `services:\n${images.map((image, i) => `  s${i}:\n    image: ${image}\n    expose: ["${8000 + i}"]\n`).join('')}` }), 'compose.yaml');

  it('GIVEN its registry answers WHEN imported THEN the definition pins the digest latest points at today, with a warning', async () => {
    const root = copyOfExamples();
    const hub = new Map([['docker.io', registry.url]]);
    const result = await importCompose(root, withImages('grafana/grafana', `${registry.host}/acme/web:latest`), { name: 'blog', format: 'ts', registries: { endpoints: hub }, now: new Date('2026-12-05T23:59:00Z') });
    const text = readFileSync(join(root, 'projects/blog.ts'), 'utf8');
    expect(text).toContain(`image: 'grafana/grafana@${registry.manifest('grafana/grafana').digest}'`);
    expect(text).toContain(`image: '${registry.host}/acme/web@${registry.manifest('acme/web').digest}'`);
    expect(result.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      expect.stringMatching(/^services\.s0\.image: "grafana\/grafana" had no tag; pinned to the digest latest pointed at on 2026-12-05 at 127\.0\.0\.1:\d+ \(sha256:[a-f0-9]{12}…\), .* pass --image s0=grafana\/grafana:<version> to choose a version instead$/),
      expect.stringMatching(/^services\.s1\.image: ".*\/acme\/web:latest" had the moving tag latest; pinned to the digest/),
    ]);
  });

  it('GIVEN offline, or a registry that cannot say WHEN imported THEN written: each such image follows latest (imagePullPolicy Always), its warning naming the service and why no digest pinned it', async () => {
    const file = withImages('grafana/grafana', `${registry.host}/nobody/web`);
    const hub = new Map([['docker.io', registry.url]]);
    const offline = await importCompose(copyOfExamples(), file, { name: 'blog', format: 'ts', offline: true, registries: { endpoints: hub }, dryRun: true });
    expect(offline.text).toContain(`image: 'grafana/grafana:latest',\n      imagePullPolicy: 'Always',`);
    expect(offline.text).toContain(`image: '${registry.host}/nobody/web:latest',\n      imagePullPolicy: 'Always',`);
    expect(offline.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      expect.stringMatching(/^services\.s0\.image: "grafana\/grafana" had no tag and no digest could pin it \(the import ran --offline, asking no registry\); it follows latest/),
      expect.stringMatching(/^services\.s1\.image: ".*\/nobody\/web" had no tag and no digest could pin it \(the import ran --offline, asking no registry\); it follows latest/),
    ]);
    const asked = await importCompose(copyOfExamples(), file, { name: 'blog', format: 'ts', registries: { endpoints: hub }, dryRun: true });
    expect(asked.text).toContain(`image: 'grafana/grafana@sha256:`);
    expect(asked.text).toContain(`image: '${registry.host}/nobody/web:latest',\n      imagePullPolicy: 'Always',`);
    expect(asked.warnings.map((w) => `${w.path}: ${w.message}`)).toContainEqual(
      expect.stringMatching(/^services\.s1\.image: ".*\/nobody\/web" had no tag and no digest could pin it \(the registry could not pin it: 127\.0\.0\.1:\d+ has no nobody\/web:latest \(HTTP 404\)\); it follows latest/),
    );
    expect(registry.requests.filter((r) => r.path.includes('grafana')).length).toBeGreaterThan(0);
  });
});
