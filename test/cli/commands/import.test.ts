/** `devfleet import compose`: written only when the whole fleet validates; exit 0 / 1 (service and feature named, nothing written) / 2. */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { copyOfExamples, REPO, snapshotTree, tempRoot } from '../../helpers/fixtures.ts';

const FIXTURES = join(REPO, 'test', 'fixtures', 'compose');

/** A compose app in a folder of its own, beside a copy of the examples. */
function app(files: Record<string, string>): { root: string; compose: string } {
  const root = copyOfExamples({ withGenerated: true });
  const dir = tempRoot(files);
  return { root, compose: join(dir, 'compose.yaml') };
}

describe('devfleet import compose', () => {
  it('GIVEN a compose file WHEN imported THEN projects/<name>.ts is written, synth regenerates clusters/ and validate passes', async () => {
    const { root, compose } = app({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n  db:\n    image: postgres:17.2\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data:\n' });
    const result = await runCli('import', 'compose', compose, '--name', 'blog', '--root', root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^created projects\/blog\.ts from .*compose\.yaml\nclusters\/dev\/: /);
    const text = readFileSync(join(root, 'projects/blog.ts'), 'utf8');
    expect(text).toContain("hostAliases: ['web', 'db'],");
    expect(text).toContain("routes: [{ host: 'blog', port: 'http' }],");
    expect((await runCli('synth', '--root', root, '--check')).code).toBe(0);
  });

  it('GIVEN --dry-run and --format yaml WHEN imported THEN the YAML is printed after validation and nothing is written', async () => {
    const { root, compose } = app({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    restart: always\n' });
    const before = snapshotTree(root);
    const result = await runCli('import', 'compose', compose, '--name', 'blog', '--format', 'yaml', '--dry-run', '--root', root);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/project\.schema\.json\n[^]*name: blog\n/);
    expect(result.stderr).toMatch(/^devfleet: warning: 1 thing\(s\) in .*compose\.yaml were not imported as Compose runs them; check the app works without them:\n  .*compose\.yaml: services\.web\.restart: is not imported: Kubernetes restarts every container of the Pod when it stops \(line 4\)$/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('GIVEN a compose file that does not translate WHEN imported THEN exit 1 naming service and feature, and nothing is written', async () => {
    const { root, compose } = app({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n' });
    const before = snapshotTree(root);
    const result = await runCli('import', 'compose', compose, '--root', root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/compose\.yaml: services\.web\.privileged: privileged true does not translate: .* \(line 4\)\ndevfleet: 1 problem\(s\) in 1 file\(s\); nothing was written$/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('GIVEN a definition the fleet refuses (a project name taken) WHEN imported THEN exit 1 and nothing is written', async () => {
    const { root, compose } = app({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n' });
    const before = snapshotTree(root);
    const result = await runCli('import', 'compose', compose, '--name', 'shop', '--root', root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/project "shop" already exists; choose another name, or pass --force/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('GIVEN usage mistakes WHEN run THEN exit 2 saying what to write', async () => {
    const { root, compose } = app({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n' });
    expect(await runCli('import', 'helm', compose, '--root', root)).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot import "helm"; devfleet imports "compose" files/) });
    expect(await runCli('import', 'compose', compose, '--image', 'web', '--root', root)).toMatchObject({ code: 2, stderr: expect.stringMatching(/--image web: write SERVICE=IMAGE:TAG/) });
    expect(await runCli('import', 'compose', compose, '--image', 'api=x:1', '--root', root)).toMatchObject({ code: 2, stderr: expect.stringMatching(/has no service "api"; its services: web/) });
    expect((await runCli('import', 'compose', '--root', root)).code).toBe(2);
    expect((await runCli('import', 'compose', compose, '--format', 'json', '--root', root)).code).toBe(2);
  });

  it('GIVEN --help WHEN run THEN it documents the mapping table', async () => {
    const help = await runCli('import', '--help');
    expect(help.code).toBe(0);
    for (const row of ['service names       hostAliases', 'build (no image)    --registry', 'named volumes       persistent volumes', 'privileged, network_mode']) expect(help.stdout).toContain(row);
  });

  it('GIVEN a real compose file (awesome-compose/django) WHEN imported with --registry THEN it is written as that registry\'s image', async () => {
    const root = copyOfExamples({ withGenerated: true });
    const dir = tempRoot();
    cpSync(join(FIXTURES, 'django'), dir, { recursive: true });
    const result = await runCli('import', 'compose', join(dir, 'compose.yaml'), '--name', 'django', '--registry', 'ghcr.io/acme', '--no-synth', '--root', root);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(root, 'projects/django.ts'), 'utf8')).toContain("image: 'ghcr.io/acme/django-web:dev',");
    expect(existsSync(join(root, 'clusters/dev/charts/django'))).toBe(false);
  });
});
