/** A compose project as a project definition (generators/compose/translate-compose.ts): the mapping, warnings and refusals. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PINNED_IMAGES_CHOSEN } from '../../generators/compose/pin-image.ts';
import table from '../../generators/compose/pinned-images.json' with { type: 'json' };
import { readCompose } from '../../generators/compose/read-compose.ts';
import { dnsLabel, translateCompose, unversionedImages, type TranslateOptions } from '../../generators/compose/translate-compose.ts';
import { DefinitionError, formatProblem } from '../../generators/util/problem.ts';
import { tempRoot } from '../helpers/fixtures.ts';

function translate(files: Record<string, string>, options: TranslateOptions = {}) {
  const root = tempRoot(files);
  const { definition, warnings } = translateCompose(readCompose(join(root, 'shop/compose.yaml')), options);
  return { definition, warnings: warnings.map((w) => formatProblem(w).replace(`${root}/`, '')) };
}

function refusal(files: Record<string, string>, options: TranslateOptions = {}): string[] {
  try {
    translate(files, options);
  } catch (error) {
    if (error instanceof DefinitionError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a refusal');
}

const compose = (text: string) => ({ 'shop/compose.yaml': text });

describe('translateCompose: the mapping', () => {
  it('GIVEN services with ports, expose, environment, env_file, command and entrypoint WHEN translated THEN one container each, the first HTTP port routed, every service name resolvable', () => {
    const { definition, warnings } = translate({
      'shop/web.env': 'FROM_FILE=1\nOVERRIDDEN=file\n',
      'shop/compose.yaml': [
        'services:',
        '  web:',
        '    image: nginx:1.27',
        '    ports: ["8080:80", "9000:443"]',
        '  api:',
        '    image: golang:1.23',
        '    entrypoint: go',
        '    command: run "./cmd/my api"',
        '    env_file: web.env',
        '    environment: [OVERRIDDEN=own, PLAIN=x]',
        '    expose: [8000]',
        '    working_dir: /src',
        '  db:',
        '    image: postgres:17.2',
        '    environment: { POSTGRES_PASSWORD: example, N: 5 }',
        '    volumes: [db-data:/var/lib/postgresql/data]',
        '    tmpfs: /tmp',
        'volumes:',
        '  db-data: {}',
      ].join('\n'),
    });
    expect(definition).toEqual({
      name: 'shop',
      description: 'Imported from compose.yaml (3 services) by devfleet import compose',
      containers: [
        { name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] },
        { name: 'api', image: 'golang:1.23', command: ['go'], args: ['run', './cmd/my api'], workingDir: '/src', env: { FROM_FILE: '1', OVERRIDDEN: 'own', PLAIN: 'x' }, ports: [{ name: 'port-8000', port: 8000 }] },
        { name: 'db', image: 'postgres:17.2', env: { POSTGRES_PASSWORD: 'example', N: '5' }, volumes: [{ path: '/var/lib/postgresql/data', name: 'db-data', persistent: true }, { path: '/tmp' }] },
      ],
      routes: [{ host: 'shop', port: 'http' }],
      hostAliases: ['web', 'api', 'db'],
    });
    expect(warnings).toEqual([expect.stringMatching(/^shop\/compose\.yaml: services\.web\.ports: published port 443\/tcp is not a route .* port "https" of the env's Service/)]);
  });

  it('GIVEN an HTTP healthcheck on its own port and a database one WHEN translated THEN the first is readiness, the second a warning', () => {
    const { definition, warnings } = translate(
      compose('services:\n  api:\n    image: a:1\n    expose: [8000]\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]\n  db:\n    image: mysql:8.4\n    healthcheck:\n      test: mysqladmin ping\n'),
    );
    expect(definition.containers[0]!.readiness).toEqual({ port: 'port-8000', path: '/health' });
    expect(definition.containers[1]!.readiness).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/services\.db\.healthcheck: is not imported: only an HTTP check/)]);
  });

  it('GIVEN services with only build: WHEN --registry is given THEN <registry>/<project>-<service>:<tag>; without it THEN refused listing exactly those services', () => {
    const files = compose('services:\n  web:\n    build: .\n  worker:\n    build: { context: worker }\n  db:\n    image: postgres:17.2\n');
    expect(translate(files, { registry: 'ghcr.io/acme/', tag: 'v1' }).definition.containers.map((c) => c.image)).toEqual(['ghcr.io/acme/shop-web:v1', 'ghcr.io/acme/shop-worker:v1', 'postgres:17.2']);
    expect(translate(files, { registry: 'ghcr.io/acme' }).definition.containers[0]!.image).toBe('ghcr.io/acme/shop-web:dev');
    expect(refusal(files)).toEqual([expect.stringMatching(/^services: "web", "worker" only have build:, and a cluster cannot build images; pass --registry REGISTRY/)]);
  });

  it('GIVEN an image without a version or with latest, not in the table, and no digests (offline) WHEN translated THEN each follows latest, <image>:latest with imagePullPolicy Always, warned naming the service, why and how to pin; --image pins it as before', () => {
    const files = compose('services:\n  proxy:\n    image: acme/proxy\n  cache:\n    image: acme/cache:latest\n');
    const { definition, warnings } = translate(files);
    expect(definition.containers.map((c) => [c.image, c.imagePullPolicy])).toEqual([
      ['acme/proxy:latest', 'Always'],
      ['acme/cache:latest', 'Always'],
    ]);
    expect(warnings).toEqual([
      'shop/compose.yaml: services.proxy.image: "acme/proxy" had no tag and no digest could pin it (the import ran --offline, asking no registry); it follows latest: "acme/proxy:latest" with imagePullPolicy: Always (each Pod start pulls the newest, so envs started at different times may run different images); to pin it pass --image proxy=acme/proxy:<version>, or edit the definition (line 3)',
      'shop/compose.yaml: services.cache.image: "acme/cache:latest" had the moving tag latest and no digest could pin it (the import ran --offline, asking no registry); it follows latest: "acme/cache:latest" with imagePullPolicy: Always (each Pod start pulls the newest, so envs started at different times may run different images); to pin it pass --image cache=acme/cache:<version>, or edit the definition (line 5)',
    ]);
    const chosen = translate(files, { images: new Map([['proxy', 'acme/proxy:1.0'], ['cache', 'acme/cache:2.1']]) });
    expect(chosen.definition.containers.map((c) => [c.image, c.imagePullPolicy])).toEqual([['acme/proxy:1.0', undefined], ['acme/cache:2.1', undefined]]);
    expect(chosen.warnings).toEqual([]);
  });

  it('GIVEN an image with an "@" but no tag and no sha256 digest WHEN translated THEN still refused naming the service (appending :latest to it would make no reference)', () => {
    expect(refusal(compose('services:\n  proxy:\n    image: acme/proxy@abc\n'))).toEqual([expect.stringMatching(/^services\.proxy\.image: "acme\/proxy@abc" has no version .* --image proxy=acme\/proxy@abc:<version>$/)]);
  });

  it('GIVEN the digests a registry served for unversioned images WHEN translated THEN each is pinned <image>@<digest> with a warning saying when and how to choose; on a registry error it follows latest, the warning saying the error', () => {
    const files = compose('services:\n  web:\n    image: grafana/grafana\n  cache:\n    image: acme/cache:latest\n  db:\n    image: acme/db\n');
    const project = readCompose(join(tempRoot(files), 'shop/compose.yaml'));
    expect(unversionedImages(project)).toEqual(['grafana/grafana', 'acme/cache:latest', 'acme/db']);
    expect(unversionedImages(project, new Map([['db', 'acme/db:1']]))).toEqual(['grafana/grafana', 'acme/cache:latest']);
    const odd = readCompose(join(tempRoot(compose('services:\n  a:\n    image: acme/Web\n  b:\n    image: acme/b:1.2\n  c:\n    image: nginx\n  d:\n    image: acme/d\n    build: .\n  e:\n    image: acme/e\n    profiles: [debug]\n')), 'shop/compose.yaml'));
    expect(unversionedImages(odd)).toEqual([]); // not a valid name, versioned, official, built, not started
    const digest = `sha256:${'ab'.repeat(32)}`;
    const digests = new Map([
      ['grafana/grafana', { digest, registry: 'registry-1.docker.io' }],
      ['acme/cache:latest', { digest, registry: 'registry-1.docker.io' }],
      ['acme/db', { error: 'registry-1.docker.io has no acme/db:latest (HTTP 404)' }],
    ]);
    const failed = translate(files, { digests, digestsRead: '2026-12-05' });
    expect(failed.definition.containers.map((c) => [c.image, c.imagePullPolicy])).toEqual([[`grafana/grafana@${digest}`, undefined], [`acme/cache@${digest}`, undefined], ['acme/db:latest', 'Always']]);
    expect(failed.warnings.at(-1)).toBe(
      'shop/compose.yaml: services.db.image: "acme/db" had no tag and no digest could pin it (the registry could not pin it: registry-1.docker.io has no acme/db:latest (HTTP 404)); it follows latest: "acme/db:latest" with imagePullPolicy: Always (each Pod start pulls the newest, so envs started at different times may run different images); to pin it pass --image db=acme/db:<version>, or edit the definition (line 7)',
    );
    const { definition, warnings } = translate(files, { digests, digestsRead: '2026-12-05', images: new Map([['db', 'acme/db:1']]) });
    expect(definition.containers.map((c) => c.image)).toEqual([`grafana/grafana@${digest}`, `acme/cache@${digest}`, 'acme/db:1']);
    expect(warnings).toEqual([
      'shop/compose.yaml: services.web.image: "grafana/grafana" had no tag; pinned to the digest latest pointed at on 2026-12-05 at registry-1.docker.io (sha256:abababababab…), which is what Compose would run now; pass --image web=grafana/grafana:<version> to choose a version instead (line 3)',
      'shop/compose.yaml: services.cache.image: "acme/cache:latest" had the moving tag latest; pinned to the digest latest pointed at on 2026-12-05 at registry-1.docker.io (sha256:abababababab…), which is what Compose would run now; pass --image cache=acme/cache:<version> to choose a version instead (line 5)',
    ]);
  });

  it('GIVEN an official image without a version or with latest WHEN translated THEN pinned to the version latest pointed at in the official-images snapshot, with a warning naming the service and how to choose', () => {
    const files = compose('services:\n  proxy:\n    image: nginx\n  cache:\n    image: docker.io/library/redis:latest\n');
    const { definition, warnings } = translate(files);
    const [nginx, redis] = [table.images.nginx, table.images.redis];
    expect(definition.containers.map((c) => c.image)).toEqual([`nginx:${nginx}`, `docker.io/library/redis:${redis}`]);
    expect(warnings).toEqual([
      `shop/compose.yaml: services.proxy.image: "nginx" had no tag; pinned "nginx:${nginx}", the version latest pointed at in docker-library/official-images on ${PINNED_IMAGES_CHOSEN} (generators/compose/pinned-images.json); pass --image proxy=nginx:<version> to choose (line 3)`,
      `shop/compose.yaml: services.cache.image: "docker.io/library/redis:latest" had the moving tag latest; pinned "docker.io/library/redis:${redis}", the version latest pointed at in docker-library/official-images on ${PINNED_IMAGES_CHOSEN} (generators/compose/pinned-images.json); pass --image cache=docker.io/library/redis:<version> to choose (line 5)`,
    ]);
    expect(translate(files, { images: new Map([['proxy', 'nginx:1.26']]) }).definition.containers[0]!.image).toBe('nginx:1.26');
  });

  it('GIVEN --name and a compose name: WHEN translated THEN --name wins, then name:, then the folder', () => {
    const files = compose('name: My_Shop\nservices:\n  web:\n    image: nginx:1.27\n');
    expect(translate(files).definition.name).toBe('my-shop');
    expect(translate(files, { name: 'store' }).definition.name).toBe('store');
    expect(dnsLabel('9 Lives__App--', 40)).toBe('lives-app');
  });

  it('GIVEN features that leave a working app WHEN translated THEN each is one warning naming service and feature, and a service with profiles is left out', () => {
    const { definition, warnings } = translate(
      compose('services:\n  web:\n    image: nginx:1.27\n    restart: always\n    user: "1000"\n    depends_on:\n      db: { condition: service_healthy }\n    volumes: ["./html:/usr/share/nginx/html", "/cache"]\n  db:\n    image: postgres:17.2\n  debug:\n    image: busybox:1.37\n    profiles: [debug]\n'),
    );
    expect(definition.containers.map((c) => c.name)).toEqual(['web', 'db']);
    expect(warnings.map((w) => w.replace(/^shop\/compose\.yaml: /, '').replace(/: .*/, ''))).toEqual(['services.debug.profiles', 'services.web.restart', 'services.web.user', 'services.web.volumes[0]', 'services.web.volumes[1]', 'services.web.depends_on']);
    expect(warnings.join('\n')).toMatch(/depends_on: is not imported: the containers of a Pod start together, so "web" must retry until "db" answers \(Compose waited for it to be healthy\)/);
  });
});

describe('translateCompose: refusals name the service and the feature', () => {
  it('GIVEN two services listening on one port WHEN translated THEN refused naming both', () => {
    expect(refusal(compose('services:\n  a:\n    image: x:1\n    expose: ["3000"]\n  b:\n    image: y:1\n    ports: ["3001:3000"]\n'))).toEqual([
      'services.b.ports: port 3000/tcp is also the port of service "a"; the containers of a Pod share one network, so two cannot listen on one port: change the port of "b" or "a"',
    ]);
  });

  it('GIVEN privileged, host networking, devices and added capabilities WHEN translated THEN each is refused at its field', () => {
    const problems = refusal(compose('services:\n  a:\n    image: x:1\n    privileged: true\n    network_mode: host\n    devices: ["/dev/kvm"]\n    cap_add: [NET_ADMIN]\n'));
    expect(problems.map((p) => p.split(':')[0])).toEqual(['services.a.privileged', 'services.a.network_mode', 'services.a.devices', 'services.a.cap_add']);
    expect(problems[0]).toMatch(/privileged true does not translate: privileged containers are refused in developer namespaces/);
  });

  it('GIVEN network_mode service:<another service of the file> WHEN translated THEN a warning: a Pod\'s containers share one network already; another container or host stays refused', () => {
    const { warnings } = translate(compose('services:\n  vpn:\n    image: qmcgaw/gluetun:v3.40\n    ports: ["8080:8080"]\n  app:\n    image: x:1\n    network_mode: service:vpn\n'));
    expect(warnings).toEqual([expect.stringMatching(/services\.app\.network_mode: "service:vpn" is not imported: the containers of a Pod already share one network/)]);
    expect(refusal(compose('services:\n  app:\n    image: x:1\n    network_mode: service:nope\n  b:\n    image: y:1\n    network_mode: container:abc\n'))).toEqual([
      expect.stringMatching(/^services\.app\.network_mode: network_mode "service:nope" does not translate/),
      expect.stringMatching(/^services\.b\.network_mode: network_mode "container:abc" does not translate/),
    ]);
  });

  it('GIVEN cap_add WHEN translated THEN capabilities every container has are a warning, NET_RAW is security.allowNetRaw, any other is refused naming it', () => {
    const { definition, warnings } = translate(compose('services:\n  a:\n    image: x:1\n    cap_add: [CHOWN, CAP_SETUID, setgid]\n  b:\n    image: y:1\n    cap_add: [NET_RAW]\n'));
    expect(definition.containers.map((c) => c.security)).toEqual([undefined, { allowNetRaw: true }]);
    expect(warnings).toEqual([
      expect.stringMatching(/services\.a\.cap_add: is not imported: CHOWN, SETUID, SETGID are among the capabilities every container has by default/),
      expect.stringMatching(/services\.b\.cap_add: NET_RAW .* becomes security\.allowNetRaw: true/),
    ]);
    expect(refusal(compose('services:\n  a:\n    image: x:1\n    cap_add: [NET_ADMIN, CHOWN, SYS_MODULE]\n'))).toEqual([expect.stringMatching(/^services\.a\.cap_add: adds NET_ADMIN, SYS_MODULE, beyond the runtime's default capabilities; .*remove them$/)]);
  });

  it('GIVEN bind mounts and env files outside the compose folder WHEN translated THEN refused: the import reads only files next to the compose file', () => {
    const problems = refusal({
      'secret.env': 'TOKEN=x\n',
      'shop/compose.yaml': 'services:\n  a:\n    image: x:1\n    env_file: ../secret.env\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock", "../:/up"]\n',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^services\.a\.env_file: leaves the compose file's folder \("\.\.\/secret\.env"\)/),
      expect.stringMatching(/^services\.a\.volumes\[0\]: mounts the host's "\/var\/run\/docker\.sock" \(the container engine's API\)/),
      expect.stringMatching(/^services\.a\.volumes\[1\]: the bind mount's source leaves the compose file's folder/),
    ]);
  });

  it('GIVEN bind mounts of the host\'s system paths, a host file and a home dot folder WHEN translated THEN each is refused naming the service and the path', () => {
    const problems = refusal(compose('services:\n  a:\n    image: x:1\n    volumes: ["/etc/nginx:/etc/nginx", "/lib/modules:/lib/modules:ro", "/proc:/host/proc", "/home/me/podman.sock:/p", "/:/rootfs", "/srv/app/settings.json:/app/settings.json", "~/.ssh:/root/.ssh"]\n'));
    expect(problems).toEqual([
      expect.stringMatching(/^services\.a\.volumes\[0\]: mounts the host's "\/etc\/nginx" \(the host's configuration\); .*remove it$/),
      expect.stringMatching(/^services\.a\.volumes\[1\]: mounts the host's "\/lib\/modules" \(the host's libraries and kernel modules\)/),
      expect.stringMatching(/^services\.a\.volumes\[2\]: mounts the host's "\/proc" \(the host's processes\)/),
      expect.stringMatching(/^services\.a\.volumes\[3\]: mounts the host's "\/home\/me\/podman\.sock" \(a socket of a host service\)/),
      expect.stringMatching(/^services\.a\.volumes\[4\]: mounts the host's "\/" \(the host's whole file system\)/),
      expect.stringMatching(/^services\.a\.volumes\[5\]: mounts the host file "\/srv\/app\/settings\.json", which the import cannot read .*copy it next to the compose file/),
      expect.stringMatching(/^services\.a\.volumes\[6\]: mounts "~\/\.ssh", a host user's configuration/),
    ]);
  });

  it('GIVEN a host folder and a folder inside it bind-mounted by two services, or by one WHEN translated THEN one claim each, named after the outer folder, the inner mount its subPath (Compose mounts one folder there)', () => {
    const { definition, warnings } = translate(compose('services:\n  a:\n    image: x:1\n    volumes: ["/mnt/app/uploads:/uploads"]\n  b:\n    image: y:1\n    volumes: ["/mnt/app/uploads/thumbs/small:/thumbs", "/mnt/app/db:/db", "/mnt/app/db/logs:/logs"]\n'));
    expect(definition.containers.map((c) => [c.name, c.volumes])).toEqual([
      ['a', [{ path: '/uploads', name: 'uploads', persistent: true, claimName: 'shop-uploads' }]],
      [
        'b',
        [
          { path: '/thumbs', name: 'thumbs', persistent: true, claimName: 'shop-uploads', subPath: 'thumbs/small' },
          { path: '/db', name: 'db', persistent: true, claimName: 'shop-db' },
          { path: '/logs', name: 'logs', persistent: true, claimName: 'shop-db', subPath: 'logs' },
        ],
      ],
    ]);
    expect(warnings.filter((w) => w.includes('volumes[0]') && w.includes('services.b'))).toEqual([
      expect.stringMatching(/services\.b\.volumes\[0\]: the bind mount of the host folder "\/mnt\/app\/uploads\/thumbs\/small" becomes a persistent volume .*; it lies inside another mounted folder, so it is that folder's volume \(claim "shop-uploads"\) mounted at its folder "thumbs\/small", as Compose mounts it/),
    ]);
  });

  it('GIVEN the host\'s root "/" mounted by one service and data folders (a host one, one next to the compose file) by another WHEN translated THEN only "/" is refused: the folders are not inside it as volumes go', () => {
    // In a folder whose path has a space: were the data folder next to the compose file counted inside "/", its subPath would hold that path, and be refused too.
    const file = join(tempRoot({ 'my shop/compose.yaml': 'services:\n  agent:\n    image: x:1\n    volumes: ["/:/rootfs:ro"]\n  db:\n    image: y:1\n    volumes: ["/mnt/db:/db", "./data:/data"]\n' }), 'my shop/compose.yaml');
    const problems = (() => {
      try {
        translateCompose(readCompose(file));
      } catch (error) {
        if (error instanceof DefinitionError) return error.problems.map((p) => `${p.path}: ${p.message}`);
      }
      return [];
    })();
    expect(problems).toEqual([expect.stringMatching(/^services\.agent\.volumes\[0\]: mounts the host's "\/" \(the host's whole file system\)/)]);
  });

  it('GIVEN a folder inside another mounted one whose relative path Kubernetes cannot take as a subPath WHEN translated THEN refused naming the service', () => {
    expect(refusal(compose('services:\n  a:\n    image: x:1\n    volumes: ["/mnt/app:/app", "/mnt/app/my logs:/logs"]\n'))).toEqual([
      expect.stringMatching(/^services\.a\.volumes\[1\]: the bind mount of "\/mnt\/app\/my logs" is the folder "my logs" inside another mounted one, which cannot be mounted as a folder of that volume/),
    ]);
  });

  it('GIVEN named volumes with driver: local and no options (Docker\'s default driver) WHEN translated THEN each is a persistent volume like one without a driver; another driver or driver options stay refused', () => {
    const { definition } = translate(compose('services:\n  db:\n    image: postgres:17.2\n    volumes: ["pg:/var/lib/postgresql/data", "logs:/logs"]\nvolumes:\n  pg:\n    driver: local\n  logs:\n    driver: local\n    driver_opts: {}\n'));
    expect(definition.containers[0]!.volumes).toEqual([
      { path: '/var/lib/postgresql/data', name: 'pg', persistent: true },
      { path: '/logs', name: 'logs', persistent: true },
    ]);
    expect(refusal(compose('services:\n  db:\n    image: postgres:17.2\n    volumes: ["nfs:/a", "ebs:/b"]\nvolumes:\n  nfs:\n    driver: local\n    driver_opts: { type: nfs, o: "addr=10.0.0.1", device: ":/export" }\n  ebs:\n    driver: rexray/ebs\n'))).toEqual([
      expect.stringMatching(/^services\.db\.volumes\[0\]: volume "nfs" has a driver or driver options, which Kubernetes volumes do not take/),
      expect.stringMatching(/^services\.db\.volumes\[1\]: volume "ebs" has a driver or driver options, which Kubernetes volumes do not take/),
    ]);
  });

  it('GIVEN a named volume shared by two services next to an undeclared and an external one WHEN translated THEN the external and undeclared ones are refused, the shared one is not', () => {
    const problems = refusal(compose('services:\n  a:\n    image: x:1\n    volumes: ["data:/a", "ext:/e", "nope:/n"]\n  b:\n    image: y:1\n    volumes: ["data:/b"]\nvolumes:\n  data: {}\n  ext: { external: true }\n'));
    expect(problems).toEqual([
      expect.stringMatching(/^services\.a\.volumes\[1\]: volume "ext" is external/),
      expect.stringMatching(/^services\.a\.volumes\[2\]: names volume "nope", which the top-level volumes: does not declare/),
    ]);
  });

  it('GIVEN an app and its cron job on one named volume (cron read-only, at another path) and a db on a volume of its own WHEN translated THEN both mount one persistent volume by the same claimName, named after the compose volume; the db keeps its derived claim; the read-only mount is a warning', () => {
    const { definition, warnings } = translate(
      compose(
        [
          'services:',
          '  app:',
          '    image: nextcloud:30.0.4-apache',
          '    volumes: [nextcloud:/var/www/html]',
          '  cron:',
          '    image: nextcloud:30.0.4-apache',
          '    entrypoint: /cron.sh',
          '    volumes: ["nextcloud:/srv/html:ro"]',
          '  db:',
          '    image: postgres:17.2',
          '    volumes: [db:/var/lib/postgresql/data]',
          'volumes:',
          '  nextcloud: {}',
          '  db: {}',
        ].join('\n'),
      ),
    );
    expect(definition.containers.map((c) => [c.name, c.volumes])).toEqual([
      ['app', [{ path: '/var/www/html', name: 'nextcloud', persistent: true, claimName: 'shop-nextcloud' }]],
      ['cron', [{ path: '/srv/html', name: 'nextcloud', persistent: true, claimName: 'shop-nextcloud' }]],
      ['db', [{ path: '/var/lib/postgresql/data', name: 'db', persistent: true }]],
    ]);
    expect(warnings.filter((w) => w.includes('volumes'))).toEqual(['shop/compose.yaml: services.cron.volumes[0]: is mounted read-write: a persistent volume of the definition has no read-only mode (line 8)']);
  });

  it('GIVEN one service mounting a named volume at two paths WHEN translated THEN both volumes name one claim: one volume, as Compose mounts it', () => {
    const { definition } = translate(compose('services:\n  a:\n    image: x:1\n    volumes: ["data:/a", "data:/b"]\nvolumes:\n  data: {}\n'));
    expect(definition.containers[0]!.volumes).toEqual([
      { path: '/a', name: 'data', persistent: true, claimName: 'shop-data' },
      { path: '/b', name: 'data-2', persistent: true, claimName: 'shop-data' },
    ]);
  });

  it('GIVEN one project folder bind-mounted as data by two services (and by one at a second path), and a shared volume whose claim a volume of its own derives WHEN translated THEN each shares one claim, the second one moved to a free name', () => {
    const { definition } = translate(
      compose(
        [
          'services:',
          '  web:',
          '    image: nginx:1.27',
          '    volumes: ["./uploads:/usr/share/nginx/html/uploads", "web-data:/cache", "data:/data", "./uploads/:/srv/uploads"]',
          '  worker:',
          '    image: busybox:1.37',
          '    volumes: ["./uploads:/work", "web-data:/cache"]',
          'volumes:',
          '  web-data: {}',
          '  data: {}',
        ].join('\n'),
      ),
    );
    expect(definition.containers.map((c) => [c.name, c.volumes])).toEqual([
      [
        'web',
        [
          { path: '/usr/share/nginx/html/uploads', name: 'uploads', persistent: true, claimName: 'shop-uploads' },
          // "shop-web-data" is the claim web's own volume "data" derives.
          { path: '/cache', name: 'web-data', persistent: true, claimName: 'shop-web-data-2' },
          { path: '/data', name: 'data', persistent: true },
          { path: '/srv/uploads', name: 'uploads-2', persistent: true, claimName: 'shop-uploads' },
        ],
      ],
      ['worker', [{ path: '/work', name: 'work', persistent: true, claimName: 'shop-uploads' }, { path: '/cache', name: 'web-data', persistent: true, claimName: 'shop-web-data-2' }]],
    ]);
  });

  it('GIVEN a command string with shell operators WHEN translated THEN refused with the list form to write instead', () => {
    expect(refusal(compose('services:\n  a:\n    image: x:1\n    command: npm install && npm start\n'))).toEqual([expect.stringMatching(/^services\.a\.command: "npm install && npm start" holds shell syntax \("&&"\).*\["sh", "-c", "npm install && npm start"\]$/)]);
  });
});

describe('translateCompose: bind-mounted data folders', () => {
  it('GIVEN host folders (absolute, ~) and missing or empty folders next to the compose file bind-mounted as data WHEN translated THEN persistent volumes that start empty, as Docker creates them on a fresh host, each with a warning', () => {
    const root = tempRoot({
      'shop/compose.yaml': 'services:\n  db:\n    image: mysql:8.4\n    volumes: ["./data:/var/lib/mysql", "./empty:/backup", "~/minecraft_data:/data", "/mnt/volumes/db/data/:/srv/data:ro", "./logs/slow.log:/var/log/mysql/slow.log"]\n',
      'shop/empty/.gitkeep': '',
    });
    const { definition, warnings } = translateCompose(readCompose(join(root, 'shop/compose.yaml')));
    expect(definition.containers[0]!.volumes).toEqual([
      { path: '/var/lib/mysql', name: 'mysql', persistent: true },
      { path: '/backup', name: 'backup', persistent: true },
      { path: '/data', name: 'data', persistent: true },
      { path: '/srv/data', name: 'data-2', persistent: true },
    ]);
    const shown = warnings.map((w) => formatProblem(w).replace(`${root}/`, ''));
    expect(shown).toEqual([
      expect.stringMatching(/^shop\/compose\.yaml: services\.db\.volumes\[0\]: the bind mount of "\.\/data", a folder that does not exist yet next to the compose file, is the service's data: it becomes a persistent volume that starts empty/),
      expect.stringMatching(/^shop\/compose\.yaml: services\.db\.volumes\[1\]: the bind mount of "\.\/empty", an empty folder next to the compose file, is the service's data/),
      expect.stringMatching(/^shop\/compose\.yaml: services\.db\.volumes\[2\]: the bind mount of the host folder "~\/minecraft_data" becomes a persistent volume that starts empty, as Docker creates a missing host folder on a fresh host/),
      expect.stringMatching(/^shop\/compose\.yaml: services\.db\.volumes\[3\]: the bind mount of the host folder "\/mnt\/volumes\/db\/data\/" becomes a persistent volume .*\(mounted read-write: a persistent volume of the definition has no read-only mode\)/),
      expect.stringMatching(/^shop\/compose\.yaml: services\.db\.volumes\[4\]: the bind mount of "\.\/logs\/slow\.log" is not imported: it does not exist next to the compose file/),
    ]);
  });

  it('GIVEN the host\'s time zone files bind-mounted WHEN translated THEN left out with a warning: the container keeps its image\'s zone', () => {
    const { definition, warnings } = translate(compose('services:\n  a:\n    image: x:1\n    volumes: ["/etc/localtime:/etc/localtime:ro", "/etc/timezone:/etc/timezone:ro"]\n'));
    expect(definition.containers[0]!.volumes).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(/services\.a\.volumes\[0\]: the bind mount of the host's \/etc\/localtime is not imported: the container keeps its image's time zone \(usually UTC\); set TZ/),
      expect.stringMatching(/services\.a\.volumes\[1\]: the bind mount of the host's \/etc\/timezone is not imported/),
    ]);
  });
});

describe('translateCompose: single files', () => {
  it('GIVEN a bind-mounted file, configs and secrets WHEN translated THEN each is a file of the container: text in the ConfigMap, secrets as Secret keys (a password generated, others from Secrets Manager with a note)', () => {
    const { definition, warnings } = translate({
      'shop/nginx.conf': 'server { listen 80; }\n',
      'shop/app.ini': 'debug = true\n',
      'shop/db/password.txt': 'secret\n',
      'shop/compose.yaml': [
        'services:',
        '  web:',
        '    image: nginx:1.27',
        '    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"]',
        '    configs: [app, { source: motd, target: /etc/motd }]',
        '    secrets: [db-password, { source: api_key, target: key }]',
        'configs:',
        '  app: { file: ./app.ini }',
        '  motd: { content: "hello" }',
        'secrets:',
        '  db-password: { file: db/password.txt }',
        '  api_key: { environment: API_KEY }',
      ].join('\n'),
    });
    expect(definition.containers[0]!.files).toEqual([
      { path: '/etc/nginx/nginx.conf', content: 'server { listen 80; }\n' },
      { path: '/run/secrets/db-password', secret: 'shop-db-password', key: 'value' },
      { path: '/run/secrets/key', secret: 'shop-api-key', key: 'value' },
      { path: '/app', content: 'debug = true\n' },
      { path: '/etc/motd', content: 'hello' },
    ]);
    expect(definition.secrets).toEqual({ 'shop-db-password': { generate: 'password' } });
    expect(warnings.join('\n')).toMatch(/services\.web\.secrets\[0\]: secret "db-password" becomes the Secret "shop-db-password", a random password generated in the cluster/);
    expect(warnings.join('\n')).toMatch(/services\.web\.secrets\[1\]: secret "api_key" becomes the Secret "shop-api-key" \(key "value"\), read from AWS Secrets Manager: before the env starts, ops store devfleet\/<cluster>\/shop\/shop-api-key/);
  });

  it('GIVEN files the definition cannot hold WHEN translated THEN each is refused: binary, too large, an undeclared secret, a config from the shell', () => {
    const problems = refusal({
      'shop/logo.png': '\u0000\u00ff',
      'shop/big.txt': 'x'.repeat(64 * 1024 + 1),
      'shop/compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    volumes: ["./logo.png:/logo.png", "./big.txt:/big.txt"]\n    secrets: [nope]\n    configs: [env]\nconfigs:\n  env: { environment: X }\n',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^services\.web\.volumes\[0\]: the file "\.\/logo\.png" is not UTF-8 text/),
      expect.stringMatching(/^services\.web\.volumes\[1\]: the file "\.\/big\.txt" is 65537 bytes, more than the 65536/),
      expect.stringMatching(/^services\.web\.secrets\[0\]: names secret "nope", which the top-level secrets: does not declare/),
      expect.stringMatching(/^services\.web\.configs\[0\]: config "env" takes its text from "environment", which the import cannot read/),
    ]);
  });

  it('GIVEN a bind-mounted file too large or binary for the definition inside the service\'s own build context WHEN translated THEN the image built from it keeps its copy, with a warning; outside the context it stays refused', () => {
    const big = 'x'.repeat(64 * 1024 + 1);
    const { definition, warnings } = translate({
      'shop/api/package-lock.json': big,
      'shop/api/logo.png': '\u0000\u00ff',
      'shop/api/package.json': '{}\n',
      'shop/compose.yaml': 'services:\n  api:\n    image: acme/api:1\n    build: { context: api }\n    volumes: ["./api/package.json:/code/package.json", "./api/package-lock.json:/code/package-lock.json", "./api/logo.png:/code/logo.png"]\n',
    });
    expect(definition.containers[0]!.files).toEqual([{ path: '/code/package.json', content: '{}\n' }]);
    expect(warnings.filter((w) => w.includes('.volumes['))).toEqual([
      expect.stringMatching(/^shop\/compose\.yaml: services\.api\.volumes\[1\]: the bind mount of the file "\.\/api\/package-lock\.json" is not imported: .* lies in the service's build context, so the image built from it is used with its own copy/),
      expect.stringMatching(/^shop\/compose\.yaml: services\.api\.volumes\[2\]: the bind mount of the file "\.\/api\/logo\.png" is not imported/),
    ]);
    expect(refusal({ 'shop/big.txt': big, 'shop/api/Dockerfile': 'FROM scratch\n', 'shop/compose.yaml': 'services:\n  api:\n    image: acme/api:1\n    build: api\n    volumes: ["./big.txt:/big.txt"]\n' })).toEqual([
      expect.stringMatching(/^services\.api\.volumes\[0\]: the file "\.\/big\.txt" is 65537 bytes/),
    ]);
  });
});
