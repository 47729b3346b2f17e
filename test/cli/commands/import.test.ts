/** `devfleet import compose`: written only when the whole fleet validates; exit 0 / 1 (service and feature named, nothing written) / 2. */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { copyOfExamples, REPO, snapshotTree, tempRoot } from '../../helpers/fixtures.ts';
import { startRegistryStandIn, type RegistryStandIn } from '../../helpers/registry-stand-in.ts';
import table from '../../../generators/compose/pinned-images.json' with { type: 'json' };

const FIXTURES = join(REPO, 'test', 'fixtures', 'compose');

/** A compose app in a folder of its own, beside a copy of the examples. */
function app(files: Record<string, string>): { root: string; compose: string } {
  const root = copyOfExamples({ withGenerated: true });
  const dir = tempRoot(files);
  return { root, compose: join(dir, 'compose.yaml') };
}

describe('devfleet import compose', () => {
  it('GIVEN nextcloud\'s app and cron services on one named volume (as in nextcloud/docker\'s examples) WHEN imported THEN written and valid: each container mounts the one claim "cloud-nextcloud", which the env makes once', async () => {
    const { root, compose } = app({
      'compose.yaml': [
        'services:',
        '  db:',
        '    image: postgres:17.2',
        '    volumes: [db:/var/lib/postgresql/data]',
        '  app:',
        '    image: nextcloud:30.0.4-apache',
        '    ports: ["8080:80"]',
        '    volumes: [nextcloud:/var/www/html]',
        '  cron:',
        '    image: nextcloud:30.0.4-apache',
        '    entrypoint: /cron.sh',
        '    volumes: [nextcloud:/var/www/html]',
        'volumes:',
        '  db:',
        '  nextcloud:',
      ].join('\n'),
    });
    const result = await runCli('import', 'compose', compose, '--name', 'cloud', '--root', root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const text = readFileSync(join(root, 'projects/cloud.ts'), 'utf8');
    expect(text.match(/claimName: 'cloud-nextcloud'/g)).toHaveLength(2);
    expect((await runCli('synth', '--root', root, '--check')).code).toBe(0);
    const rendered = await runCli('render', '--root', root, '--cluster', 'dev', '--env', 'alice/cloud');
    expect(rendered.code, rendered.stderr).toBe(0);
    const lines = rendered.stdout.split('\n').map((l) => l.trim());
    expect(lines.filter((l) => l === 'kind: PersistentVolumeClaim')).toHaveLength(2);
    expect(lines.filter((l) => /^(- )?(name|claimName): "?(cloud-nextcloud|app-nextcloud)"?$/.test(l)).map((l) => l.replaceAll('"', ''))).toEqual([
      'name: cloud-nextcloud',
      // app's mount, cron's mount, the Pod's volume
      'name: app-nextcloud',
      'name: app-nextcloud',
      '- name: app-nextcloud',
      'claimName: cloud-nextcloud',
    ]);
  });

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
    expect(help.stdout).toMatch(/--offline +ask no registry/);
    expect(help.stdout).toContain('the registry is asked: Docker Hub, registry-1.docker.io, or the host the image names');
  });

  it('GIVEN host data folders and folders inside them, mounted by one service and by another (as Haxxnet\'s bitwarden and weddingshare do) WHEN imported THEN exit 0: one claim per outer folder, the inner mounts its subPath; the fleet validates and synthesises, the Deployment mounts them so', async () => {
    const root = copyOfExamples({ withGenerated: true });
    const compose = join(tempRoot({ 'compose.yaml': 'services:\n  app:\n    image: acme/vault:1.2\n    volumes: ["/mnt/vault/data:/etc/vault", "/mnt/vault/data/logs:/var/log/vault"]\n  thumbs:\n    image: acme/thumbs:3\n    volumes: ["/mnt/vault/data/uploads/thumbs:/thumbs"]\n' }), 'compose.yaml');
    const result = await runCli('import', 'compose', compose, '--name', 'vault', '--format', 'yaml', '--root', root);
    expect(result.code, result.stderr).toBe(0);
    expect((await runCli('synth', '--root', root, '--check')).code).toBe(0);
    const deployment = readFileSync(join(root, 'clusters/dev/charts/vault/templates/deployment.yaml'), 'utf8');
    expect(deployment).toContain('volumeMounts:\n            - mountPath: /etc/vault\n              name: app-vault\n            - mountPath: /var/log/vault\n              name: app-vault\n              subPath: logs\n');
    expect(deployment).toContain('volumeMounts:\n            - mountPath: /thumbs\n              name: app-vault\n              subPath: uploads/thumbs\n');
    expect(deployment).toContain('claimName: vault-data\n');
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

describe('devfleet import compose: the nginx + Go + MySQL example (awesome-compose/nginx-golang-mysql)', () => {
  it('GIVEN its compose file WHEN imported with only --registry (its untagged nginx pinned from the table) THEN three containers, MySQL data on a persistent volume, the proxy port as the route, db and backend resolvable, the password generated and mounted where Compose mounts it', async () => {
    const root = copyOfExamples({ withGenerated: true });
    // The project is named after the compose file's folder.
    const dir = join(tempRoot(), 'nginx-golang-mysql');
    cpSync(join(FIXTURES, 'nginx-golang-mysql'), dir, { recursive: true });
    const result = await runCli('import', 'compose', join(dir, 'compose.yaml'), '--registry', 'ghcr.io/acme', '--format', 'yaml', '--root', root);
    expect(result.code, result.stderr).toBe(0);
    const { parse } = await import('yaml');
    const definition = parse(readFileSync(join(root, 'projects/nginx-golang-mysql.yaml'), 'utf8'));
    const password = { path: '/run/secrets/db-password', secret: 'nginx-golang-mysql-db-password', key: 'value' };
    expect(definition).toEqual({
      name: 'nginx-golang-mysql',
      description: 'Imported from compose.yaml (3 services) by devfleet import compose',
      containers: [
        { name: 'backend', image: 'ghcr.io/acme/nginx-golang-mysql-backend:dev', files: [password] },
        {
          name: 'db',
          image: 'mariadb:10-focal',
          args: ['--default-authentication-plugin=mysql_native_password'],
          env: { MYSQL_DATABASE: 'example', MYSQL_ROOT_PASSWORD_FILE: '/run/secrets/db-password' },
          ports: [{ name: 'mysql', port: 3306 }],
          volumes: [{ path: '/var/lib/mysql', name: 'db-data', persistent: true }],
          files: [password],
        },
        { name: 'proxy', image: `nginx:${table.images.nginx}`, ports: [{ name: 'http', port: 80 }], files: [{ path: '/etc/nginx/conf.d/default.conf', content: readFileSync(join(FIXTURES, 'nginx-golang-mysql/proxy/nginx.conf'), 'utf8') }] },
      ],
      routes: [{ host: 'nginx-golang-mysql', port: 'http' }],
      hostAliases: ['backend', 'db', 'proxy'],
      secrets: { 'nginx-golang-mysql-db-password': { generate: 'password' } },
    });
    expect(readFileSync(join(root, 'projects/nginx-golang-mysql.yaml'), 'utf8')).toMatch(/^# yaml-language-server: .*\n# Written by `devfleet import compose`: plain data/);
    // What Compose did and the Pod does not: each a warning line, with its service and feature.
    expect(result.stderr.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.replace(/^ +.*compose\.yaml: /, '').replace(/: .*/, ''))).toEqual([
      'services.backend.secrets[0]',
      'services.backend.depends_on',
      'services.db.restart',
      'services.db.healthcheck',
      'services.proxy.image',
      'services.proxy.depends_on',
    ]);
    const rendered = await runCli('render', '--root', root, '--cluster', 'dev', '--env', 'alice/nginx-golang-mysql');
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stdout).toContain('kind: PersistentVolumeClaim');
    expect(rendered.stdout).toMatch(/hostAliases:\n\s+- hostnames:\n\s+- backend\n\s+- db\n\s+- proxy\n\s+ip: 127\.0\.0\.1/);
    expect(rendered.stdout).toMatch(/mountPath: \/etc\/nginx\/conf\.d\/default\.conf\n\s+name: files\n\s+readOnly: true\n\s+subPath: proxy\.0/);
    expect(rendered.stdout).toContain('proxy_pass          http://backend:8000;');
  });

  it('GIVEN the same file without flags WHEN imported THEN refused naming only the service that needs an image (its nginx is pinned from the table), nothing written', async () => {
    const root = copyOfExamples({ withGenerated: true });
    const before = snapshotTree(root);
    const result = await runCli('import', 'compose', join(FIXTURES, 'nginx-golang-mysql/compose.yaml'), '--root', root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/services: "backend" only has build:, and a cluster cannot build images; pass --registry REGISTRY/);
    expect(result.stderr).not.toMatch(/services\.proxy\.image/);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('devfleet import compose: an image without a version that is not an official one', () => {
  let registry: RegistryStandIn;
  beforeAll(async () => {
    registry = await startRegistryStandIn();
  });
  afterAll(async () => {
    await registry.close();
  });

  it('GIVEN --offline WHEN imported THEN exit 0: the image follows latest (<image>:latest with imagePullPolicy Always), the warning says why and how to pin, and the definition validates with its follow warning', async () => {
    const root = copyOfExamples({ withGenerated: true });
    const compose = join(tempRoot({ 'compose.yaml': `services:\n  web:\n    image: ${registry.host}/acme/web\n    ports: ["8080:80"]\n` }), 'compose.yaml');
    const offline = await runCli('import', 'compose', compose, '--name', 'blog', '--offline', '--root', root);
    expect(offline.code, offline.stderr).toBe(0);
    const written = readFileSync(join(root, 'projects/blog.ts'), 'utf8');
    expect(written).toContain(`image: '${registry.host}/acme/web:latest',\n      imagePullPolicy: 'Always',\n`);
    expect(offline.stderr).toContain(
      `services.web.image: "${registry.host}/acme/web" had no tag and no digest could pin it (the import ran --offline, asking no registry); it follows latest: "${registry.host}/acme/web:latest" with imagePullPolicy: Always (each Pod start pulls the newest, so envs started at different times may run different images); to pin it pass --image web=${registry.host}/acme/web:<version>, or edit the definition (line 3)`,
    );
    const validate = await runCli('validate', '--root', root);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stderr).toBe(`devfleet: warning: projects/blog.ts: containers[0].image: "${registry.host}/acme/web:latest" follows latest (imagePullPolicy: Always): envs started at different times may run different images; pin a version or a digest`);
    expect((await runCli('synth', '--root', root, '--check')).code).toBe(0);
  });

  it('GIVEN its registry serves latest WHEN imported THEN the file pins that digest and the warning says when', async () => {
    const root = copyOfExamples({ withGenerated: true });
    const compose = join(tempRoot({ 'compose.yaml': `services:\n  web:\n    image: ${registry.host}/acme/web\n    ports: ["8080:80"]\n` }), 'compose.yaml');
    const result = await runCli('import', 'compose', compose, '--name', 'blog', '--root', root);
    expect(result.code, result.stderr).toBe(0);
    const { digest } = registry.manifest('acme/web');
    expect(readFileSync(join(root, 'projects/blog.ts'), 'utf8')).toContain(`image: '${registry.host}/acme/web@${digest}',`);
    // Today's date (a pattern, so a run across midnight UTC still passes).
    expect(result.stderr).toMatch(new RegExp(`services\\.web\\.image: "${registry.host}/acme/web" had no tag; pinned to the digest latest pointed at on \\d{4}-\\d{2}-\\d{2} at ${registry.host} \\(${digest.slice(0, 19)}…\\)`));
    expect(result.stderr).toContain(`pass --image web=${registry.host}/acme/web:<version> to choose a version instead`);
    expect((await runCli('synth', '--root', root, '--check')).code).toBe(0);
  });

  it('GIVEN its registry cannot say WHEN imported THEN exit 0, the image explicitly tagged latest follows it (imagePullPolicy Always), the warning saying the registry\'s answer', async () => {
    const root = copyOfExamples();
    const compose = join(tempRoot({ 'compose.yaml': `services:\n  web:\n    image: ${registry.host}/html/web:latest\n` }), 'compose.yaml');
    const result = await runCli('import', 'compose', compose, '--name', 'blog', '--root', root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`"${registry.host}/html/web:latest" had the moving tag latest and no digest could pin it (the registry could not pin it: ${registry.host} answered with the content type "text/html", not an image manifest (`);
    expect(result.stderr).toContain(`); it follows latest: "${registry.host}/html/web:latest" with imagePullPolicy: Always`);
    // The synth that follows the import says it too, as it does for every container following latest.
    expect(result.stderr).toContain(`devfleet: warning: projects/blog.ts: containers[0].image: "${registry.host}/html/web:latest" follows latest (imagePullPolicy: Always)`);
    expect(readFileSync(join(root, 'projects/blog.ts'), 'utf8')).toContain(`image: '${registry.host}/html/web:latest',\n      imagePullPolicy: 'Always',\n`);
  });
});
