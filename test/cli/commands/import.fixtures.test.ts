/**
 * Every real compose file of test/fixtures/compose (docker/awesome-compose, CC0-1.0, and three Apache-2.0 Docker samples; SOURCE.md) through
 * `devfleet import compose`: each either becomes a project that validates with the fleet,
 * synthesises and renders with the real Helm exactly as `devfleet render` prints it, or is refused
 * with every problem naming a service and its feature, nothing written. Never an unexpected error.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../helpers/cli.ts';
import { copyOfExamples, REPO, snapshotTree, tempRoot } from '../../helpers/fixtures.ts';
import { helm, valuesFile } from '../../helpers/helm.ts';

const FIXTURES = join(REPO, 'test', 'fixtures', 'compose');
const names = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

/** What each fixture does today: imported, or refused for these features (a change in either direction is a change to review). */
/** Flags a fixture is imported with besides --registry (the acceptance case's untagged nginx is pinned from the official images' table; gitea/gitea:latest is not an official image, so offline it would follow latest: its version is chosen as the warning says). */
const FLAGS: Record<string, string[]> = { 'gitea-postgres': ['--image', 'gitea=gitea/gitea:1.22.6'] };

const EXPECTED: Record<string, 'imported' | RegExp> = {
  angular: 'imported',
  'apache-php': 'imported',
  'aspnet-mssql': 'imported',
  django: 'imported',
  'atsea-sample-shop-app': 'imported',
  'elasticsearch-logstash-kibana': 'imported',
  'example-voting-app': /services\.result\.ports: port 80\/tcp is also the port of service "vote"/,
  fastapi: 'imported',
  flask: 'imported',
  // redislabs/redismod has no version and is not an official image: offline, it follows latest (imagePullPolicy: Always).
  'flask-redis': 'imported',
  'getting-started': 'imported',
  'gitea-postgres': 'imported',
  'nextcloud-postgres': 'imported',
  'nginx-flask-mysql': 'imported',
  'nginx-golang': 'imported',
  'nginx-golang-mysql': 'imported',
  plex: /services\.plex\.network_mode: network_mode "host" does not translate/,
  portainer: /services\.portainer\.volumes\[0\]: mounts the host's "\/var\/run\/docker\.sock" \(the container engine's API\)/,
  'react-express-mongodb': /services\.backend\.expose: port 3000\/tcp is also the port of service "frontend"/,
  'react-rust-postgres': 'imported',
  'sparkjava-mysql': 'imported',
  'traefik-golang': /services\.frontend\.volumes\[0\]: mounts the host's "\/var\/run\/docker\.sock" \(the container engine's API\)/,
  'wordpress-mysql': 'imported',
};

describe('devfleet import compose on real compose files', () => {
  let root: string;
  const results = new Map<string, CliResult>();

  beforeAll(async () => {
    root = copyOfExamples({ withGenerated: true });
    for (const name of names) {
      const dir = tempRoot();
      cpSync(join(FIXTURES, name), dir, { recursive: true });
      const before = snapshotTree(join(root, 'projects'));
      const result = await runCli('import', 'compose', join(dir, 'compose.yaml'), '--name', name, '--registry', 'ghcr.io/acme', ...(FLAGS[name] ?? []), '--format', 'yaml', '--no-synth', '--offline', '--root', root);
      results.set(name, { ...result, stderr: result.stderr.replaceAll(`${dir}/`, '') });
      if (result.code !== 0) expect(snapshotTree(join(root, 'projects')), `${name} wrote something`).toEqual(before);
    }
    const synth = await runCli('synth', '--root', root);
    expect(synth.code, synth.stderr).toBe(0);
  }, 300_000);

  it('GIVEN at least 15 real files WHEN imported THEN none crashes, and each is imported or refused as expected', () => {
    expect(names.length).toBeGreaterThanOrEqual(15);
    expect(names).toEqual(Object.keys(EXPECTED).sort());
    for (const name of names) {
      const result = results.get(name)!;
      expect(result.stderr, name).not.toMatch(/unexpected error/);
      const expected = EXPECTED[name]!;
      if (expected === 'imported') expect(result.code, `${name}\n${result.stderr}`).toBe(0);
      else {
        expect(result.code, name).toBe(1);
        expect(result.stderr, name).toMatch(expected);
      }
    }
  });

  it('GIVEN flask-redis, whose redislabs/redismod has no version and no registry was asked WHEN imported THEN its container follows latest (imagePullPolicy Always), the warning saying why and how to pin', () => {
    const definition = parse(readFileSync(join(root, 'projects/flask-redis.yaml'), 'utf8')) as { containers: { name: string; image: string; imagePullPolicy?: string }[] };
    expect(definition.containers.map((c) => [c.name, c.image, c.imagePullPolicy])).toEqual([
      ['redis', 'redislabs/redismod:latest', 'Always'],
      ['web', 'ghcr.io/acme/flask-redis-web:dev', undefined],
    ]);
    expect(results.get('flask-redis')!.stderr).toContain('compose.yaml: services.redis.image: "redislabs/redismod" had no tag and no digest could pin it (the import ran --offline, asking no registry); it follows latest: "redislabs/redismod:latest" with imagePullPolicy: Always (each Pod start pulls the newest, so envs started at different times may run different images); to pin it pass --image redis=redislabs/redismod:<version>, or edit the definition (line 3)');
  });

  it('GIVEN the refused files WHEN their problems are read THEN every one names a service (or lists the services) and the feature', () => {
    for (const [name, result] of results) {
      if (result.code === 0) continue;
      const problems = result.stderr.split('\n').filter((line) => !line.startsWith('devfleet: '));
      expect(problems.length, name).toBeGreaterThan(0);
      for (const line of problems) expect(line, name).toMatch(/^compose\.yaml: (services\.[a-z0-9._-]+\.[a-z_]+|services: "[^"]+")/);
    }
  });

  it('GIVEN the imported files WHEN the fleet is synthesised THEN each project\'s env renders with the real Helm exactly as devfleet render prints it', async () => {
    const imported = names.filter((name) => results.get(name)!.code === 0);
    expect(imported.length).toBeGreaterThanOrEqual(15);
    for (const name of imported) {
      const application = parse(readFileSync(join(root, 'clusters/dev/apps/envs/alice', `${name}.yaml`), 'utf8')) as { spec: { source: { helm: { valuesObject: unknown; releaseName: string } }; destination: { namespace: string } } };
      const expected = helm(['template', application.spec.source.helm.releaseName, join(root, 'clusters/dev/charts', name), '--namespace', application.spec.destination.namespace, '--values', valuesFile(application.spec.source.helm.valuesObject)]);
      expect(expected.code, `${name}: ${expected.stderr}`).toBe(0);
      const ours = await runCli('render', '--root', root, '--cluster', 'dev', '--env', `alice/${name}`);
      expect(ours.code, ours.stderr).toBe(0);
      expect(ours.stdout, name).toBe(expected.stdout);
    }
  });
});
