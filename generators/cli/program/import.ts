import { Option } from 'commander';
import { resolveRoot } from '../root.ts';
import type { Register } from './context.ts';
import { rootOption } from './options.ts';

type ImportOptions = import('../commands/import.ts').ImportOptions;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The mapping table `import --help` prints (docs/import-compose.md says the same at length). */
export const IMPORT_COMPOSE_HELP = `
How compose maps to the definition:
  services            one container each, all in one Pod (they share localhost)
  service names       hostAliases: each resolves to 127.0.0.1 in the Pod, so "db:3306" still works
  image               kept; none or "latest": a Docker official image gets the version latest pointed at in docker-library/official-images (warning); any other gets the digest its registry serves for latest today, image@sha256:... (warning; the registry is asked: Docker Hub, registry-1.docker.io, or the host the image names); offline or on a registry error it follows latest: image:latest with imagePullPolicy: Always (warning saying why; pin with --image SERVICE=IMAGE:TAG)
  build (no image)    --registry R: R/<project>-<service>:<--tag, default dev>; else refused
  ports               named ports; the first HTTP-looking published one is the route
  expose              named ports
  two services, one port   refused, naming both
  environment, env_file    env (env files read next to the compose file)
  entrypoint, command command, args
  healthcheck         readiness, when it is curl -f / wget of http://localhost:PORT/path
  named volumes       persistent volumes; one mounted by several services: one claim <project>-<volume> each container mounts (claimName)
  tmpfs               non-persistent volumes
  bind-mounted folder with files next to the compose file: not imported (warning): the image's files are used; edit live with devfleet swap
  bind-mounted data folder (a host path such as /srv/x or ~/x, or one next to the file that is missing or empty): a persistent volume, empty at first (warning); one claim wherever it is mounted again (a folder inside it: that claim, mounted at its subPath)
  host system paths (/etc, /proc, /var/run/docker.sock, ...)   refused; /etc/localtime, /etc/timezone: warning
  bind-mounted file, configs   files: the text in the env's ConfigMap, mounted read-only at the path
  secrets             files at /run/secrets/<name> from the Secret <project>-<name>: passwords generated, others from Secrets Manager
  depends_on          warning: the containers of a Pod start together
  cap_add             default capabilities: warning; NET_RAW: security.allowNetRaw; others refused
  network_mode: service:<another service>   warning (a Pod's containers share one network)
  privileged, network_mode (others), devices, pid, ipc, sysctls, ...   refused
  restart, labels, user, deploy, profiles, ...   warning (a service with profiles is left out)
  \${VAR}, \${VAR:-default}, \${VAR-default}, \${VAR:?err}, $$   from the .env next to the file, never the shell
  include, extends, x-*, anchors, merge keys     as Compose does; every file inside the compose file's folder

Exit codes: 0 written and valid, 1 refused (service and feature named; nothing written), 2 usage.
Example:
  npx devfleet import compose ../shop/compose.yaml --registry ghcr.io/acme --image proxy=nginx:1.27`;

/** `import compose`: a docker-compose file as a project definition. */
export const register: Register = (program, { io, run, readOnly }) => {
  program
    .command('import')
    .argument('<kind>', 'what to import: compose')
    .argument('<file>', 'the compose file, e.g. ../shop/compose.yaml')
    .description('Write projects/<name>.ts (or .yaml) from a docker-compose file; validate it with the whole fleet, then synth.')
    .addOption(rootOption())
    .option('--name <name>', 'the project name (default: the compose name:, else the compose file\'s folder)')
    .option('--registry <registry>', 'where images of services with only build: are pushed: <registry>/<project>-<service>:<tag>')
    .option('--tag <tag>', 'the tag of those images (default: dev)')
    .option('--image <service=image>', 'the image of one service, repeatable, e.g. proxy=nginx:1.27 (pins an untagged image)', collect)
    .addOption(new Option('--format <format>', 'file format').choices(['ts', 'yaml']).default('ts'))
    .option('--dry-run', 'print the definition on stdout; validate it, write nothing')
    .option('--force', 'replace an existing project of the same name')
    .option('--no-synth', 'only write the definition; do not regenerate clusters/')
    .option('--offline', 'ask no registry: an image without a version that is not a Docker official one follows latest (image:latest, imagePullPolicy: Always; warning) instead of being pinned to the digest its registry (Docker Hub, or the host it names) serves for latest')
    .addHelpText('after', IMPORT_COMPOSE_HELP)
    .action((kind: string, file: string, opts: ImportOptions & { root?: string }) =>
      (opts.dryRun ? readOnly : run)(async () => (await import('../commands/import.ts')).importCommand(resolveRoot(opts.root), kind, file, opts, io)),
    );
};
