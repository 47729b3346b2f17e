/**
 * A compose project as a devfleet project definition: every service a container of one Pod
 * (containers share localhost, so each service name resolves to 127.0.0.1 through the Pod's
 * `hostAliases`), published ports a route on the first HTTP-looking one, named volumes persistent
 * volumes, bind-mounted files, configs and secrets single `files`. What does not translate is either a warning (the app still runs as it should, e.g. a
 * dropped label) or a refusal (the result would be wrong or unsafe, e.g. privileged), each naming
 * the service and the feature. The mapping table: docs/import-compose.md.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, posix, resolve, sep } from 'node:path';
import { parse } from 'shell-quote';
import { explainImage, FOLLOW_LATEST_POLICY } from '../definitions/check-image.ts';
import { CLAIM_NAME_MAX, CONTAINER_NAME_MAX, PROJECT_NAME_MAX, VOLUME_NAME_MAX } from '../schema/common.ts';
import { FILE_CONTENT_MAX, SUB_PATH_PATTERN, type ContainerDefinition, type ProjectDefinition } from '../schema/project.ts';
import { DefinitionError, show, type Problem } from '../util/problem.ts';
import { parseEnvFile } from './parse-env-file.ts';
import { looksLikeHttp, parsePortEntry, portName, type ComposePort } from './parse-ports.ts';
import { pinFromTable, PINNED_IMAGES_CHOSEN } from './pin-image.ts';
import type { DigestLookup } from './resolve-digest.ts';
import { asMapping, insideFolder, isFields, type ComposeProject, type ComposeService, type Segments } from './read-compose.ts';
import { httpCheckOf } from './translate-healthcheck.ts';

export interface TranslateOptions {
  /** The project's name (default: the compose `name:`, else the compose file's folder). */
  readonly name?: string;
  /** Where images of services that only have `build:` are pushed: they become <registry>/<project>-<service>:<tag>. */
  readonly registry?: string;
  /** The tag of those images (default: dev). */
  readonly tag?: string;
  /** Images chosen per service, over the compose file's (`--image service=image:tag`). */
  readonly images?: ReadonlyMap<string, string>;
  /** What the registry said `latest` is today, per image as the compose file writes it (unversionedImages); absent: offline. */
  readonly digests?: ReadonlyMap<string, DigestLookup>;
  /** The day those digests were read (YYYY-MM-DD), for the warning. */
  readonly digestsRead?: string;
}

export interface Translation {
  readonly definition: ProjectDefinition;
  /** What was not translated but leaves a working app, each naming its service and feature. */
  readonly warnings: readonly Problem[];
}

export const BUILT_IMAGE_TAG = 'dev';

/**
 * Service fields that would make the env wrong or unsafe if dropped: refused with the reason.
 * Pod Security "baseline" (enforced in every developer namespace) refuses host namespaces,
 * privileged containers and added capabilities beyond its list anyway.
 */
const REFUSED: Record<string, string> = {
  privileged: 'privileged containers are refused in developer namespaces (Pod Security "baseline"); remove it',
  network_mode: 'the services of a devfleet project share the Pod\'s network (localhost), and host networking is refused; remove it',
  pid: 'host or shared process namespaces are refused in developer namespaces; remove it',
  ipc: 'host or shared IPC namespaces are refused in developer namespaces; remove it',
  uts: 'the host\'s UTS namespace is refused in developer namespaces; remove it',
  userns_mode: 'user namespace modes are not available to a devfleet container; remove it',
  devices: 'host devices are refused in developer namespaces; remove it',
  device_cgroup_rules: 'host devices are refused in developer namespaces; remove it',
  sysctls: 'kernel parameters cannot be set by a devfleet container; remove it',
  runtime: 'a devfleet container runs on the cluster\'s runtime; remove it',
  gpus: 'GPUs are not offered to dev envs; remove it',
  volumes_from: 'containers of a Pod share volumes only through the volumes they declare; use a named volume in one service',
  cgroup_parent: 'cgroups are the node\'s; remove it',
  cgroup: 'cgroups are the node\'s; remove it',
  isolation: 'isolation technologies are the node\'s; remove it',
  use_api_socket: 'the container engine\'s API is not reachable from a Pod; remove it',
  provider: 'services run by a provider plugin have no container to translate; remove the service or give it an image',
  models: 'models served by the container engine have no equivalent in a Pod; remove it',
};

/** Fields whose loss leaves a working env: warned about with the reason. */
const WARNED: Record<string, string> = {
  restart: 'Kubernetes restarts every container of the Pod when it stops',
  container_name: 'the container is named after the service (the name still resolves in the Pod)',
  hostname: 'the Pod\'s host name is the env\'s',
  domainname: 'the Pod\'s domain is the cluster\'s',
  labels: 'container labels have no place in the definition',
  annotations: 'container annotations have no place in the definition',
  logging: 'Kubernetes keeps container logs (devfleet up prints where)',
  stdin_open: 'no terminal is attached to a dev env\'s containers',
  tty: 'no terminal is attached to a dev env\'s containers',
  init: 'the image\'s own first process runs as PID 1',
  user: 'the image\'s own user runs it (the definition has no user field)',
  group_add: 'the image\'s own groups apply',
  platform: 'the cluster\'s nodes choose the architecture',
  pull_policy: 'images are pulled IfNotPresent (a version or a digest is pinned), or Always where an image follows latest',
  stop_signal: 'Kubernetes stops containers with SIGTERM',
  stop_grace_period: 'Kubernetes gives containers 30 s to stop',
  ulimits: 'limits are the node\'s',
  security_opt: 'the container runs with the RuntimeDefault seccomp profile and no privilege escalation',
  mem_limit: 'resources are the definition\'s small defaults; set resources in the definition if it needs more',
  mem_reservation: 'resources are the definition\'s small defaults; set resources in the definition if it needs more',
  memswap_limit: 'resources are the definition\'s small defaults',
  cpus: 'resources are the definition\'s small defaults; set resources in the definition if it needs more',
  cpu_shares: 'resources are the definition\'s small defaults',
  cpu_quota: 'resources are the definition\'s small defaults',
  cpuset: 'resources are the definition\'s small defaults',
  shm_size: 'the Pod gets the runtime\'s default /dev/shm',
  oom_score_adj: 'the kubelet sets it from the Pod\'s resources',
  oom_kill_disable: 'the kubelet decides',
  deploy: 'one env runs one Pod; set resources in the definition if it needs more',
  scale: 'one env runs one Pod',
  develop: 'live sync of source files is what `devfleet swap` does',
  dns: 'the Pod uses the cluster\'s DNS',
  dns_search: 'the Pod uses the cluster\'s DNS',
  dns_opt: 'the Pod uses the cluster\'s DNS',
  extra_hosts: 'only the services of the project resolve in the Pod (to localhost)',
  external_links: 'other projects are reached through their own Services',
  mac_address: 'the Pod gets the cluster network\'s address',
  read_only: 'the container\'s root filesystem stays writable, as development images expect',
  storage_opt: 'storage is the node\'s',
  attach: 'logs are Kubernetes\'',
  label_file: 'container labels have no place in the definition',
  post_start: 'lifecycle hooks are not in the definition',
  pre_stop: 'lifecycle hooks are not in the definition',
  credential_spec: 'Windows credential specs do not apply',
  blkio_config: 'I/O weights are the node\'s',
  cpu_count: 'resources are the definition\'s small defaults',
  cpu_percent: 'resources are the definition\'s small defaults',
  cpu_period: 'resources are the definition\'s small defaults',
  cpu_rt_runtime: 'resources are the definition\'s small defaults',
  cpu_rt_period: 'resources are the definition\'s small defaults',
  pids_limit: 'the node\'s limit applies',
  links: 'every service resolves in the Pod; link aliases are added to hostAliases',
};

/** Fields the translation reads (and `networks`, whose aliases it reads, `extends`, resolved by read-compose.ts). */
const READ = new Set(['cap_add', 'image', 'build', 'ports', 'expose', 'environment', 'env_file', 'command', 'entrypoint', 'working_dir', 'healthcheck', 'volumes', 'tmpfs', 'depends_on', 'networks', 'secrets', 'configs', 'profiles', 'links', 'container_name']);

export function translateCompose(project: ComposeProject, options: TranslateOptions = {}): Translation {
  return new Translator(project, options).translate();
}

/**
 * The images the translation cannot pin by itself, which a registry could (TranslateOptions.digests):
 * of the services imported, without an --image and without build:, those without a version that
 * the official images' table does not know.
 */
export function unversionedImages(project: ComposeProject, images: ReadonlyMap<string, string> = new Map()): string[] {
  const out = new Set<string>();
  for (const service of project.services) {
    const image = service.fields.image;
    if (service.fields.profiles !== undefined || images.has(service.name) || service.fields.build !== undefined || typeof image !== 'string') continue;
    // A reference that is not valid with a version either is left to the definition's check, which explains it.
    if (!pinned(image) && !image.includes('@') && pinFromTable(image) === undefined && explainImage(`${image.replace(/:latest$/, '')}:v`) === undefined) out.add(image);
  }
  return [...out];
}

/** A DNS label of at most `max` characters from free text: lower case, runs of other characters as one "-", starting with a letter. */
export function dnsLabel(text: string, max: number): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

/** `base`, or `base-2`, `base-3`, ... when a volume of `out` already has that name (volume names are unique in a container). */
function freeName(base: string, out: readonly Record<string, unknown>[]): string {
  const taken = new Set(out.map((v) => v.name));
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, VOLUME_NAME_MAX - String(n).length - 1).replace(/-+$/, '')}-${n}`;
  return name;
}

/** The prefix of a host path's bindKey, and the whole key of the host's root "/". */
const HOST_KEY = 'host:';

/** The key of the Secret each compose secret becomes. */
const SECRET_KEY = 'value';

class Translator {
  private readonly announcedSecrets = new Set<string>();
  private readonly problems: Problem[] = [];
  private readonly warnings: Problem[];
  private readonly name: string;
  /** The services imported (those Compose starts by default). */
  private imported: readonly ComposeService[] = [];
  /** The claimName of each volume several services mount (a named volume, or a host or project folder), by where its data is. */
  private readonly sharedClaims = new Map<string, string>();
  /** Services whose image follows latest (no version, no digest to pin): their containers pull Always. */
  private readonly following = new Set<ComposeService>();

  constructor(
    private readonly project: ComposeProject,
    private readonly options: TranslateOptions,
  ) {
    this.warnings = [...project.warnings];
    this.name = options.name ?? (dnsLabel(project.name ?? basename(project.folder), PROJECT_NAME_MAX) || 'app');
  }

  private refuse(service: ComposeService, segments: Segments, message: string): void {
    this.problems.push(this.project.at(service, segments, message));
  }

  private warn(service: ComposeService, segments: Segments, message: string): void {
    this.warnings.push(this.project.at(service, segments, message));
  }

  translate(): Translation {
    const services = this.project.services.filter((service) => {
      if (service.fields.profiles === undefined) return true;
      this.warn(service, ['profiles'], `is only started by Compose when one of its profiles is asked for, so it is not imported; add it to the definition by hand if the app needs it`);
      return false;
    });
    this.imported = services;
    if (services.length === 0) {
      throw new DefinitionError([{ file: this.project.file, path: 'services', message: 'defines no service that Compose starts by default; an import needs at least one' }]);
    }
    const names = this.containerNames(services);
    const volumeOwners = this.volumeOwners(services);
    const containers: ContainerDefinition[] = [];
    const listening = new Map<string, ComposeService>();
    let route: { port: string; service: ComposeService } | undefined;
    const missingImages: string[] = [];
    const hostAliases = new Set<string>();
    const secrets: Record<string, { generate: 'password' }> = {};

    for (const service of services) {
      const fields = service.fields;
      for (const [field, reason] of Object.entries(REFUSED)) {
        const mode = field === 'network_mode' && typeof fields.network_mode === 'string' ? fields.network_mode : '';
        if (mode.startsWith('service:') && services.some((s) => s.name === mode.slice('service:'.length))) {
          this.warn(service, [field], `${show(mode)} is not imported: the containers of a Pod already share one network (localhost), as Compose's service: mode does`);
          continue;
        }
        if (fields[field] !== undefined && !(field === 'network_mode' && fields[field] === 'bridge') && !(field === 'privileged' && fields[field] === false)) {
          this.refuse(service, [field], `${field} ${show(fields[field])} does not translate: ${reason}`);
        }
      }
      const security = this.capabilities(service);
      for (const [field, reason] of Object.entries(WARNED)) {
        if (fields[field] !== undefined && field !== 'links') this.warn(service, [field], `is not imported: ${reason}`);
      }
      for (const field of Object.keys(fields)) {
        if (!READ.has(field) && !(field in REFUSED) && !(field in WARNED) && !field.startsWith('x-')) this.warn(service, [field], 'is not imported: devfleet has no equivalent; check the app works without it');
      }

      const name = names.get(service)!;
      const image = this.image(service, name, missingImages);
      const ports = this.ports(service);
      for (const port of ports) {
        const key = `${port.port}/${port.protocol}`;
        const other = listening.get(key);
        if (other && other !== service) {
          this.refuse(service, [port.published ? 'ports' : 'expose'], `port ${port.port}/${port.protocol.toLowerCase()} is also the port of service "${other.name}"; the containers of a Pod share one network, so two cannot listen on one port: change the port of "${service.name}" or "${other.name}"`);
        }
        listening.set(key, service);
      }
      const unique = [...new Map(ports.map((p) => [`${p.port}/${p.protocol}`, p])).values()];
      const http = unique.find((p) => p.published && looksLikeHttp(p));
      if (http && !route) route = { port: portName(http.port, http.protocol), service };
      for (const port of unique.filter((p) => p.published && (!route || route.service !== service || route.port !== portName(p.port, p.protocol)))) {
        this.warn(service, ['ports'], `published port ${port.port}/${port.protocol.toLowerCase()} is not a route (${route ? 'the route goes to the first HTTP port' : 'it does not look like HTTP'}): it is reachable inside the cluster as port "${portName(port.port, port.protocol)}" of the env's Service; add a route to the definition if it must be public`);
      }

      for (const alias of [service.name, fields.container_name, ...this.networkAliases(service)]) {
        if (typeof alias !== 'string') continue;
        if (/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(alias) && alias.length <= 253) hostAliases.add(alias);
        else this.warn(service, [], `the name ${show(alias)} cannot be a host name in Kubernetes (lower-case letters, digits, "-" and "."), so it does not resolve in the Pod; use ${show(dnsLabel(alias, 63))} in the app's configuration`);
      }

      const container: Record<string, unknown> = { name, image, ...(this.following.has(service) ? { imagePullPolicy: FOLLOW_LATEST_POLICY } : {}) };
      const [command, args] = [this.words(service, 'entrypoint'), this.words(service, 'command')];
      if (command) container.command = command;
      if (args) container.args = args;
      if (typeof fields.working_dir === 'string') container.workingDir = fields.working_dir;
      const env = this.environment(service);
      if (Object.keys(env).length > 0) container.env = env;
      if (unique.length > 0) container.ports = unique.map((p) => ({ name: portName(p.port, p.protocol), port: p.port, ...(p.protocol === 'UDP' ? { protocol: 'UDP' } : {}) }));
      const files: Record<string, unknown>[] = [];
      const volumes = this.volumes(service, volumeOwners, files);
      if (volumes.length > 0) container.volumes = volumes;
      this.secretsAndConfigs(service, files, secrets);
      if (files.length > 0) container.files = files;
      if (security) container.security = security;
      const readiness = this.readiness(service, unique);
      if (readiness) container.readiness = readiness;
      this.dependsOn(service);
      containers.push(container as ContainerDefinition);
    }

    this.keepSharedClaimsApart(containers);
    if (missingImages.length > 0) {
      this.problems.push({
        file: this.project.file,
        path: 'services',
        message: `${missingImages.map((s) => `"${s}"`).join(', ')} only ${missingImages.length === 1 ? 'has' : 'have'} build:, and a cluster cannot build images; pass --registry REGISTRY (the images become <registry>/${this.name}-<service>:${this.options.tag ?? BUILT_IMAGE_TAG}; push them there), or --image SERVICE=IMAGE:TAG for each`,
      });
    }
    if (this.problems.length > 0) throw new DefinitionError(this.problems);

    const definition: Record<string, unknown> = {
      name: this.name,
      description: `Imported from ${basename(this.project.file)} (${services.length} service${services.length === 1 ? '' : 's'}) by devfleet import compose`,
      containers,
    };
    if (route) definition.routes = [{ host: dnsLabel(this.name, 63).replace(/-+/g, '-'), port: route.port }];
    if (hostAliases.size > 0) definition.hostAliases = [...hostAliases];
    if (Object.keys(secrets).length > 0) definition.secrets = secrets;
    return { definition: definition as ProjectDefinition, warnings: this.warnings };
  }

  /** Container names: the service names as DNS labels, unique. */
  private containerNames(services: readonly ComposeService[]): Map<ComposeService, string> {
    const names = new Map<ComposeService, string>();
    const taken = new Map<string, ComposeService>();
    for (const service of services) {
      const name = dnsLabel(service.name, CONTAINER_NAME_MAX) || 'service';
      const other = taken.get(name);
      if (other) this.refuse(service, [], `becomes the container "${name}", as service "${other.name}" does (container names are lower-case DNS labels of at most ${CONTAINER_NAME_MAX} characters); rename one of the services`);
      taken.set(name, service);
      names.set(service, name);
    }
    return names;
  }

  private image(service: ComposeService, container: string, missing: string[]): string {
    const chosen = this.options.images?.get(service.name);
    if (chosen !== undefined) return chosen;
    const image = typeof service.fields.image === 'string' ? service.fields.image : undefined;
    const built = service.fields.build !== undefined;
    if (built && (image === undefined || !pinned(image))) {
      if (this.options.registry === undefined) {
        missing.push(service.name);
        return '';
      }
      return `${this.options.registry.replace(/\/+$/, '')}/${this.name}-${container}:${this.options.tag ?? BUILT_IMAGE_TAG}`;
    }
    if (image === undefined) {
      this.refuse(service, [], 'has neither image: nor build:; give it an image');
      return '';
    }
    if (!pinned(image)) {
      const fromTable = pinFromTable(image);
      if (fromTable !== undefined) {
        this.warn(service, ['image'], `${show(image)} had ${image.endsWith(':latest') ? 'the moving tag latest' : 'no tag'}; pinned ${show(fromTable)}, the version latest pointed at in docker-library/official-images on ${PINNED_IMAGES_CHOSEN} (generators/compose/pinned-images.json); pass --image ${service.name}=${fromTable.slice(0, fromTable.lastIndexOf(':'))}:<version> to choose`);
        return fromTable;
      }
      const bare = image.replace(/:latest$/, '');
      const asked = this.options.digests?.get(image);
      if (asked !== undefined && 'digest' in asked) {
        this.warn(service, ['image'], `${show(image)} had ${image.endsWith(':latest') ? 'the moving tag latest' : 'no tag'}; pinned to the digest latest pointed at on ${this.options.digestsRead ?? 'import'} at ${asked.registry} (${asked.digest.slice(0, 'sha256:'.length + 12)}…), which is what Compose would run now; pass --image ${service.name}=${bare}:<version> to choose a version instead`);
        return `${bare}@${asked.digest}`;
      }
      if (bare.includes('@')) {
        this.refuse(service, ['image'], `${show(image)} has no version (Compose pulls "latest", which moves, so envs would drift apart); pin one in the compose file, e.g. ${show(`${bare}:<version>`)}, or pass --image ${service.name}=${bare}:<version>`);
        return '';
      }
      // No digest to pin: follow latest as Compose does, but visibly (definitions/check-image.ts accepts latest only with Always).
      const why = this.options.digests === undefined ? 'the import ran --offline, asking no registry' : asked === undefined ? 'no registry was asked' : `the registry could not pin it: ${asked.error}`;
      this.warn(service, ['image'], `${show(image)} had ${image.endsWith(':latest') ? 'the moving tag latest' : 'no tag'} and no digest could pin it (${why}); it follows latest: ${show(`${bare}:latest`)} with imagePullPolicy: ${FOLLOW_LATEST_POLICY} (each Pod start pulls the newest, so envs started at different times may run different images); to pin it pass --image ${service.name}=${bare}:<version>, or edit the definition`);
      this.following.add(service);
      return `${bare}:latest`;
    }
    if (built) this.warn(service, ['build'], `is not imported: the image ${show(image)} is used as it is; push it where the cluster can pull it`);
    return image;
  }

  private ports(service: ComposeService): ComposePort[] {
    const out: ComposePort[] = [];
    for (const [field, published] of [['ports', true], ['expose', false]] as const) {
      const entries = service.fields[field];
      if (!Array.isArray(entries)) continue;
      entries.forEach((entry, i) => {
        const parsed = parsePortEntry(entry, published);
        if ('refused' in parsed) this.refuse(service, [field, i], parsed.refused);
        else out.push(...parsed.ports);
      });
    }
    // A port both published and exposed is published.
    return out.sort((a, b) => Number(b.published) - Number(a.published)).filter((p, i, all) => all.findIndex((q) => q.port === p.port && q.protocol === p.protocol) === i);
  }

  private networkAliases(service: ComposeService): string[] {
    const aliases: string[] = [];
    const networks = service.fields.networks;
    if (isFields(networks)) for (const network of Object.values(networks)) if (isFields(network) && Array.isArray(network.aliases)) aliases.push(...network.aliases.filter((a): a is string => typeof a === 'string'));
    if (Array.isArray(service.fields.links)) for (const link of service.fields.links) if (typeof link === 'string' && link.includes(':')) aliases.push(link.slice(link.indexOf(':') + 1));
    return aliases;
  }

  /** `command`/`entrypoint` as a list of words: a string is split as Compose splits it (shell words, no shell). */
  private words(service: ComposeService, field: 'command' | 'entrypoint'): string[] | undefined {
    const value = service.fields[field];
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value.map(String);
    if (typeof value !== 'string') return undefined;
    const words = parse(value, (name) => `$${name}`);
    const operator = words.find((w) => typeof w !== 'string');
    if (operator !== undefined) {
      this.refuse(service, [field], `${show(value)} holds shell syntax (${show('op' in operator ? operator.op : 'a comment')}), which Compose does not run through a shell either; write it as a list, e.g. ["sh", "-c", ${show(value)}]`);
      return undefined;
    }
    return words as string[];
  }

  private environment(service: ComposeService): Record<string, string> {
    const env: Record<string, string> = {};
    const files = service.fields.env_file;
    const entries = files === undefined ? [] : Array.isArray(files) ? files : [files];
    entries.forEach((entry, i) => {
      const path = typeof entry === 'string' ? entry : isFields(entry) && typeof entry.path === 'string' ? entry.path : undefined;
      const required = !(isFields(entry) && entry.required === false);
      const at: Segments = Array.isArray(files) ? ['env_file', i] : ['env_file'];
      if (path === undefined) return;
      const inside = insideFolder(this.project.folder, dirname(service.source.absolute), path);
      if ('refused' in inside) return this.refuse(service, at, inside.refused);
      if (!existsSync(inside.path) || !statSync(inside.path).isFile()) {
        if (required) this.refuse(service, at, `${show(path)} does not exist; create it, or mark it required: false`);
        return;
      }
      if (statSync(inside.path).size > 1024 * 1024) return this.refuse(service, at, `${show(path)} is larger than 1 MiB; an env file holds a few variables`);
      const parsed = parseEnvFile(readFileSync(inside.path, 'utf8'));
      for (const line of parsed.badLines) this.refuse(service, at, `${show(path)} line ${line} is not NAME=value; fix it or make it a # comment`);
      for (const name of parsed.fromShell) this.warn(service, at, `${show(path)} lists ${name} without a value (Compose would take it from the shell); the import does not read the shell, so it is not set: give it a value`);
      for (const [name, value] of parsed.values) env[name] = value;
    });
    for (const [name, value] of Object.entries(asMapping(service.fields.environment))) {
      if (value === null || value === undefined) {
        this.warn(service, ['environment', name], `has no value (Compose would take it from the shell); the import does not read the shell, so it is not set: give it a value`);
        delete env[name];
      } else env[name] = String(value);
    }
    return env;
  }

  /** Which services mount each named volume, once per mount. */
  private volumeOwners(services: readonly ComposeService[]): Map<string, ComposeService[]> {
    const owners = new Map<string, ComposeService[]>();
    for (const service of services) {
      for (const mount of mountsOf(service)) {
        if (mount.type === 'volume' && mount.source !== undefined) owners.set(mount.source, [...(owners.get(mount.source) ?? []), service]);
      }
    }
    return owners;
  }

  private volumes(service: ComposeService, owners: ReadonlyMap<string, ComposeService[]>, files: Record<string, unknown>[]): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    mountsOf(service).forEach((mount) => {
      const at: Segments = mount.field === 'tmpfs' ? ['tmpfs'] : ['volumes', mount.index];
      if (!mount.target || !mount.target.startsWith('/')) return this.refuse(service, at, `mounts at ${show(mount.target)}, not an absolute path in the container; write one`);
      switch (mount.type) {
        case 'tmpfs':
          out.push({ path: mount.target });
          return;
        case 'volume': {
          if (mount.source === undefined) {
            this.warn(service, at, `the anonymous volume at ${mount.target} is not imported: Docker fills it from the image, a Kubernetes volume would hide the image's files there`);
            return;
          }
          const declared = this.project.volumes[mount.source];
          if (declared === undefined) return this.refuse(service, at, `names volume ${show(mount.source)}, which the top-level volumes: does not declare; declare it`);
          if (isFields(declared) && (declared.external !== undefined && declared.external !== false)) return this.refuse(service, at, `volume ${show(mount.source)} is external: its data lives outside the project, which a dev env cannot reach; make it a volume of the project`);
          // `driver: local` without options is Docker's default driver, what a volume without a driver gets: exactly a persistent volume.
          const otherDriver = isFields(declared) && declared.driver !== undefined && declared.driver !== 'local';
          const options = isFields(declared) && declared.driver_opts !== undefined && !(isFields(declared.driver_opts) && Object.keys(declared.driver_opts).length === 0);
          if (otherDriver || options) return this.refuse(service, at, `volume ${show(mount.source)} has a driver or driver options, which Kubernetes volumes do not take; remove them (it becomes a persistent volume)`);
          // Several mounts of one volume (by several services, or one service at two paths): one claim, named after the volume, that each mount names (its claimName).
          const shared = (owners.get(mount.source) ?? []).length > 1;
          if (mount.readOnly) this.warn(service, at, `is mounted read-write: a persistent volume of the definition has no read-only mode`);
          out.push({
            path: mount.target,
            name: freeName(dnsLabel(mount.source, VOLUME_NAME_MAX) || 'data', out),
            persistent: true,
            ...(shared ? { claimName: this.sharedClaim(`volume\0${mount.source}`, mount.source) } : {}),
          });
          return;
        }
        case 'bind': {
          const source = mount.source ?? '';
          if (isAbsolute(source) || source.startsWith('~')) return this.hostPath(service, at, mount, source, out);
          const inside = insideFolder(this.project.folder, dirname(service.source.absolute), source);
          if ('refused' in inside) return this.refuse(service, at, `the bind mount's source ${inside.refused}; a dev env cannot reach the host's files`);
          // A missing path named like a file (a log file, say) is not data Docker would keep: left to the warning below.
          if ((!existsSync(inside.path) && !looksLikeFile(source)) || (existsSync(inside.path) && emptyFolder(inside.path))) {
            this.dataVolume(service, at, mount, out, `the bind mount of ${show(source)}, ${existsSync(inside.path) ? 'an empty folder' : 'a folder that does not exist yet'} next to the compose file, is the service's data: it becomes a persistent volume that starts empty, as Docker creates the folder on a fresh checkout`);
            return;
          }
          if (existsSync(inside.path) && statSync(inside.path).isFile()) {
            const context = this.buildContext(service);
            if (context !== undefined && textOf(inside.path) === undefined && (inside.path === context || inside.path.startsWith(context + sep))) {
              this.warn(service, at, `the bind mount of the file ${show(source)} is not imported: it is larger than ${FILE_CONTENT_MAX} bytes or not text, too much for the env's ConfigMap, and it lies in the service's build context, so the image built from it is used with its own copy; run the service on your machine with \`devfleet swap\` to edit it live`);
              return;
            }
            const content = this.fileText(service, at, source, inside.path);
            if (content !== undefined) files.push({ path: mount.target, content });
            return;
          }
          if (!existsSync(inside.path)) this.warn(service, at, `the bind mount of ${show(source)} is not imported: it does not exist next to the compose file (Docker would create an empty folder there); in a cluster the image's own files are used`);
          else this.warn(service, at, `the bind mount of the folder ${show(source)} is not imported: in a cluster the image's own files are used; run the service on your machine with \`devfleet swap\` to edit it live`);
          return;
        }
        default:
          return this.refuse(service, at, `is a ${show(mount.type)} mount, which devfleet has no equivalent of; use a named volume`);
      }
    });
    return out;
  }

  /**
   * A bind mount of an absolute or home path (`/srv/app/data`, `~/minecraft_data`): the host's own
   * folder, which the import cannot read and a cluster does not have. The host's system paths
   * (its configuration, devices, kernel, the container engine's socket) are refused: the app
   * depends on that host. Its clock's zone (/etc/localtime, /etc/timezone) is left out with a
   * warning. Any other folder is the service's data: on a fresh host Docker creates it empty, so a
   * persistent volume (which starts empty) is what Compose gives there. A path that looks like a
   * file is refused: Docker would create a folder there too, and the app needs the file's text.
   */
  private hostPath(service: ComposeService, at: Segments, mount: Mount, source: string, out: Record<string, unknown>[]): void {
    const path = posix.normalize(source.replace(/\/+$/, '') || '/');
    if (TIME_ZONE_FILES.has(path)) {
      this.warn(service, at, `the bind mount of the host's ${path} is not imported: the container keeps its image's time zone (usually UTC); set TZ in its environment if the app shows local times`);
      return;
    }
    if (/^~[^/]*\/\./.test(path)) return this.refuse(service, at, `mounts ${show(source)}, a host user's configuration (a dot folder of a home), which a cluster does not have; build what the app needs into the image or mount it from next to the compose file`);
    const system = hostSystemPath(path);
    if (system !== undefined) return this.refuse(service, at, `mounts the host's ${show(source)} (${system}); a dev env runs on a shared cluster node and cannot reach its host's system files: remove it`);
    if (looksLikeFile(path) || looksLikeFile(mount.target ?? '')) {
      return this.refuse(service, at, `mounts the host file ${show(source)}, which the import cannot read (it is not next to the compose file) and a cluster does not have; copy it next to the compose file (it becomes a file of the definition) or build it into the image`);
    }
    this.dataVolume(service, at, mount, out, `the bind mount of the host folder ${show(source)} becomes a persistent volume that starts empty, as Docker creates a missing host folder on a fresh host; if the app needs files in it, build them into the image or mount them from next to the compose file`);
  }

  /**
   * `cap_add`: a capability the container runtime grants anyway (Docker's and containerd's default
   * set, which devfleet keeps but NET_RAW) changes nothing: warning. NET_RAW, which devfleet drops
   * by default, is the definition's `security.allowNetRaw`. Any other is refused: Pod Security
   * "baseline" forbids adding it.
   */
  private capabilities(service: ComposeService): { allowNetRaw: true } | undefined {
    const added = service.fields.cap_add;
    if (!Array.isArray(added)) return undefined;
    const names = added.map((c) => String(c).toUpperCase().replace(/^CAP_/, ''));
    const refused = names.filter((c) => !RUNTIME_DEFAULT_CAPABILITIES.has(c) && c !== 'NET_RAW');
    if (refused.length > 0) {
      this.refuse(service, ['cap_add'], `adds ${refused.join(', ')}, beyond the runtime's default capabilities; developer namespaces refuse them (Pod Security "baseline"): remove ${refused.length === 1 ? 'it' : 'them'}`);
      return undefined;
    }
    const granted = names.filter((c) => c !== 'NET_RAW');
    if (granted.length > 0) this.warn(service, ['cap_add'], `is not imported: ${granted.join(', ')} ${granted.length === 1 ? 'is' : 'are'} among the capabilities every container has by default`);
    if (!names.includes('NET_RAW')) return undefined;
    this.warn(service, ['cap_add'], 'NET_RAW (raw sockets, e.g. ping), which devfleet drops by default, becomes security.allowNetRaw: true');
    return { allowNetRaw: true };
  }

  /**
   * Where a bind mount's source is, to compare it with the others: a host path as written (normalised), a relative one resolved.
   * The two never name the same folder (one is the host's, one the project's), so each has its own prefix.
   */
  private bindKey(service: ComposeService, source: string): string {
    return isAbsolute(source) || source.startsWith('~') ? `${HOST_KEY}${posix.normalize(source).replace(/\/+$/, '')}` : `project:${resolve(dirname(service.source.absolute), source)}`;
  }

  /** A bind-mounted folder as a persistent volume of the container, named after its target (unique in the container). */
  private dataVolume(service: ComposeService, at: Segments, mount: Mount, out: Record<string, unknown>[], why: string): void {
    const key = this.bindKey(service, mount.source ?? '');
    const sharing = this.imported.flatMap((other) => mountsOf(other).filter((m) => m.type === 'bind' && !(other === service && m.index === mount.index)).map((m) => ({ other, key: this.bindKey(other, m.source ?? '') })));
    // The same folder mounted again (by other services, or this one at another path) is one volume they share (one claim).
    // So is a folder and a folder inside it, as Compose mounts them: the outermost one's claim, the inner one mounted as its subPath.
    // The host's root "/" (refused: host system paths) holds every host folder, but is no volume to share.
    const related = sharing.filter((o) => o.key !== HOST_KEY && (o.key === key || o.key.startsWith(`${key}/`) || key.startsWith(`${o.key}/`)));
    const root = related.map((o) => o.key).filter((k) => key.startsWith(`${k}/`)).reduce((outer, k) => (k.length < outer.length ? k : outer), key);
    const subPath = key.slice(root.length + 1);
    if (root !== key && !new RegExp(SUB_PATH_PATTERN, 'u').test(subPath)) {
      return this.refuse(service, at, `the bind mount of ${show(mount.source)} is the folder ${show(subPath)} inside another mounted one, which cannot be mounted as a folder of that volume (letters, digits, ".", "_" and "-" only); give each mount its own folder`);
    }
    const claimName = related.length > 0 ? this.sharedClaim(`bind\0${root}`, posix.basename(root)) : undefined;
    const inside = root === key ? '' : `; it lies inside another mounted folder, so it is that folder's volume (claim ${show(claimName)}) mounted at its folder ${show(subPath)}, as Compose mounts it`;
    this.warn(service, at, `${why}${inside}${mount.readOnly ? ' (mounted read-write: a persistent volume of the definition has no read-only mode)' : ''}`);
    out.push({
      path: mount.target,
      name: freeName(dnsLabel(posix.basename(mount.target ?? ''), VOLUME_NAME_MAX) || 'data', out),
      persistent: true,
      ...(claimName !== undefined ? { claimName } : {}),
      ...(root !== key ? { subPath } : {}),
    });
  }

  /**
   * The claim of a volume several services mount: "<project>-<label of what it is named after>",
   * the same for every sharer (`where` says which data it is), one of its own among the shared
   * claims. The derived claims "<project>-<container>-<volume>" of the other volumes are checked at the end (translate).
   */
  private sharedClaim(where: string, namedAfter: string): string {
    const known = this.sharedClaims.get(where);
    if (known !== undefined) return known;
    const base = `${this.name}-${dnsLabel(namedAfter, VOLUME_NAME_MAX) || 'data'}`.slice(0, CLAIM_NAME_MAX);
    const taken = new Set(this.sharedClaims.values());
    let claim = base;
    for (let n = 2; taken.has(claim); n++) claim = `${base.slice(0, CLAIM_NAME_MAX - String(n).length - 1).replace(/-+$/, '')}-${n}`;
    this.sharedClaims.set(where, claim);
    return claim;
  }

  /** A shared claim that a volume of its own derives too ("<project>-<container>-<volume>") takes the next free "-2", "-3", ... in every sharer. */
  private keepSharedClaimsApart(containers: readonly ContainerDefinition[]): void {
    const volumes = containers.flatMap((c) => (c.volumes ?? []).map((v) => ({ container: c.name, volume: v as { name?: string; persistent?: boolean; claimName?: string } })));
    const derived = new Set(volumes.filter((v) => v.volume.persistent && v.volume.claimName === undefined).map((v) => `${this.name}-${v.container}-${v.volume.name}`));
    for (const [where, claim] of this.sharedClaims) {
      if (!derived.has(claim)) continue;
      const taken = new Set([...derived, ...this.sharedClaims.values()]);
      let free = claim;
      for (let n = 2; taken.has(free); n++) free = `${claim.slice(0, CLAIM_NAME_MAX - String(n).length - 1).replace(/-+$/, '')}-${n}`;
      this.sharedClaims.set(where, free);
      for (const v of volumes) if (v.volume.claimName === claim) v.volume.claimName = free;
    }
  }

  private readiness(service: ComposeService, ports: readonly ComposePort[]): { port: string; path?: string } | undefined {
    const check = service.fields.healthcheck;
    if (!isFields(check) || check.disable === true || (Array.isArray(check.test) && check.test[0] === 'NONE')) return undefined;
    const http = check.test === undefined ? undefined : httpCheckOf(check.test);
    const port = http && ports.find((p) => p.port === http.port && p.protocol === 'TCP');
    if (!http || !port) {
      this.warn(service, ['healthcheck'], `is not imported: only an HTTP check of the container's own port (curl -f or wget http://localhost:PORT/path) becomes a readiness check; add readiness to the definition if the app has an HTTP health endpoint`);
      return undefined;
    }
    return { port: portName(port.port, port.protocol), path: http.path };
  }

  private dependsOn(service: ComposeService): void {
    const deps = service.fields.depends_on;
    if (deps === undefined) return;
    const names = Array.isArray(deps) ? deps.map(String) : isFields(deps) ? Object.keys(deps) : [];
    const healthy = isFields(deps) && Object.values(deps).some((d) => isFields(d) && d.condition !== undefined && d.condition !== 'service_started');
    this.warn(service, ['depends_on'], `is not imported: the containers of a Pod start together, so "${service.name}" must retry until ${names.map((n) => `"${n}"`).join(', ')} ${names.length === 1 ? 'answers' : 'answer'}${healthy ? ' (Compose waited for it to be healthy)' : ''}; Kubernetes restarts a container that exits`);
  }

  /**
   * `secrets` and `configs` as single files. A compose secret becomes a Kubernetes Secret
   * "<project>-<secret>" (key "value") mounted at /run/secrets/<name> (or its target): a password
   * (its name says so) is generated in the cluster for each env, anything else is read from AWS
   * Secrets Manager, which ops fill first (the warning says where). A config's text (its file or
   * `content`) goes into the env's ConfigMap, mounted at its target (default /<name>).
   */
  private secretsAndConfigs(service: ComposeService, files: Record<string, unknown>[], secrets: Record<string, { generate: 'password' }>): void {
    for (const kind of ['secrets', 'configs'] as const) {
      const entries = service.fields[kind];
      if (!Array.isArray(entries)) continue;
      entries.forEach((entry, i) => {
        const at: Segments = [kind, i];
        const source = typeof entry === 'string' ? entry : isFields(entry) && typeof entry.source === 'string' ? entry.source : undefined;
        if (source === undefined) return;
        const target = isFields(entry) && typeof entry.target === 'string' ? entry.target : undefined;
        const declared = (kind === 'secrets' ? this.project.secrets : this.project.configs)[source];
        if (!isFields(declared)) return this.refuse(service, at, `names ${kind.slice(0, -1)} ${show(source)}, which the top-level ${kind}: does not declare; declare it`);
        if (declared.external !== undefined && declared.external !== false && kind === 'configs') return this.refuse(service, at, `config ${show(source)} is external: its text lives outside the project; give it a file: or content:`);
        if (kind === 'configs') {
          const path = target ?? `/${source}`;
          if (!path.startsWith('/')) return this.refuse(service, at, `mounts config ${show(source)} at ${show(path)}, not an absolute path; write one`);
          if (typeof declared.content === 'string') files.push({ path, content: declared.content });
          else if (typeof declared.file === 'string') {
            const inside = insideFolder(this.project.folder, dirname(service.source.absolute), declared.file);
            if ('refused' in inside) return this.refuse(service, at, `config ${show(source)}'s file ${inside.refused}`);
            if (!existsSync(inside.path) || !statSync(inside.path).isFile()) return this.refuse(service, at, `config ${show(source)}'s file ${show(declared.file)} does not exist; create it`);
            const content = this.fileText(service, at, declared.file, inside.path);
            if (content !== undefined) files.push({ path, content });
          } else this.refuse(service, at, `config ${show(source)} takes its text from ${show(Object.keys(declared).join(', '))}, which the import cannot read (it reads file: and content:, never the shell); give it a file: or content:`);
          return;
        }
        const path = target === undefined ? `/run/secrets/${source}` : target.startsWith('/') ? target : `/run/secrets/${target}`;
        const name = dnsLabel(`${this.name}-${source}`, 253);
        files.push({ path, secret: name, key: SECRET_KEY });
        if (this.announcedSecrets.has(name)) return;
        this.announcedSecrets.add(name);
        const from = typeof declared.file === 'string' ? `the file ${show(declared.file)}` : typeof declared.environment === 'string' ? `the variable ${declared.environment}` : 'outside the project (external)';
        if (/pass(word|wd)?|pwd/i.test(source)) {
          secrets[name] = { generate: 'password' };
          this.warn(service, at, `secret ${show(source)} becomes the Secret "${name}", a random password generated in the cluster for each env (never in git), instead of ${from}; every service that mounts it reads the same password`);
        } else {
          this.warn(service, at, `secret ${show(source)} becomes the Secret "${name}" (key "${SECRET_KEY}"), read from AWS Secrets Manager: before the env starts, ops store devfleet/<cluster>/${this.name}/${name} as {"${SECRET_KEY}": "..."} (Compose read it from ${from})`);
        }
      });
    }
  }

  /** The real path of a service's local build context (`build: DIR` or `build: { context: DIR }`, default the compose file's folder), if it is inside the compose folder. */
  private buildContext(service: ComposeService): string | undefined {
    const build = service.fields.build;
    if (build === undefined) return undefined;
    const context = typeof build === 'string' ? build : isFields(build) ? (typeof build.context === 'string' ? build.context : build.context === undefined ? '.' : undefined) : undefined;
    // A remote context (git or https URL) holds none of the compose folder's files.
    if (context === undefined || /^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i.test(context)) return undefined;
    const inside = insideFolder(this.project.folder, dirname(service.source.absolute), context);
    return 'refused' in inside ? undefined : inside.path;
  }

  /** A bind-mounted or config file's text, if it is text and small enough for the env's ConfigMap. */
  private fileText(service: ComposeService, at: Segments, shown: string, path: string): string | undefined {
    const size = statSync(path).size;
    if (size > FILE_CONTENT_MAX) {
      this.refuse(service, at, `the file ${show(shown)} is ${size} bytes, more than the ${FILE_CONTENT_MAX} a file of the definition holds; build it into the image`);
      return undefined;
    }
    const text = textOf(path);
    if (text === undefined) this.refuse(service, at, `the file ${show(shown)} is not UTF-8 text; a file of the definition holds text only: build it into the image`);
    return text;
  }
}

/** A file's text, if it is UTF-8 text of at most FILE_CONTENT_MAX bytes (what a file of the definition holds). */
function textOf(path: string): string | undefined {
  if (statSync(path).size > FILE_CONTENT_MAX) return undefined;
  const bytes = readFileSync(path);
  const text = bytes.toString('utf8');
  return !Buffer.from(text, 'utf8').equals(bytes) || text.includes('\u0000') ? undefined : text;
}

/** Whether an image reference carries a version: a digest, or a tag other than "latest". */
function pinned(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : undefined;
  return tag !== undefined && tag !== '' && tag !== 'latest';
}

/** The capabilities Docker and containerd give every container (NET_RAW aside, which devfleet drops unless security.allowNetRaw). */
const RUNTIME_DEFAULT_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

/** Host files that only tell a container the host's time zone. */
const TIME_ZONE_FILES = new Set(['/etc/localtime', '/etc/timezone']);

/** Folders of a host's system, and what they hold (a bind mount of one of them or of a path inside is refused). */
const HOST_SYSTEM_PATHS: readonly [string, string][] = [
  ['/var/run/docker.sock', 'the container engine\'s API'],
  ['/run/docker.sock', 'the container engine\'s API'],
  ['/var/lib/docker', 'the container engine\'s storage'],
  ['/etc', 'the host\'s configuration'],
  ['/proc', 'the host\'s processes'],
  ['/sys', 'the host\'s kernel'],
  ['/dev', 'the host\'s devices'],
  ['/lib', 'the host\'s libraries and kernel modules'],
  ['/lib64', 'the host\'s libraries'],
  ['/usr', 'the host\'s programs'],
  ['/bin', 'the host\'s programs'],
  ['/sbin', 'the host\'s programs'],
  ['/boot', 'the host\'s kernel'],
  ['/run', 'the host\'s runtime state'],
  ['/var/run', 'the host\'s runtime state'],
  ['/var/log', 'the host\'s logs'],
  ['/tmp', 'the host\'s temporary files and sockets'],
  ['/root', 'the host administrator\'s home'],
];

/** What a host path outside the compose folder holds, if it is (or is inside) a system path; undefined for other folders. */
export function hostSystemPath(path: string): string | undefined {
  const normal = posix.normalize(path).replace(/\/+$/, '') || '/';
  if (normal === '/') return 'the host\'s whole file system';
  for (const [system, what] of HOST_SYSTEM_PATHS) if (normal === system || normal.startsWith(`${system}/`)) return what;
  return /\.sock$/.test(normal) ? 'a socket of a host service' : undefined;
}

/** Whether a path's last part looks like a file name (`config.yml`, `app.db`), not a folder. */
function looksLikeFile(path: string): boolean {
  return /^[^.].*\.[A-Za-z][A-Za-z0-9]{0,5}$/.test(posix.basename(path));
}

/** Whether a folder holds nothing but placeholders (.gitkeep, .keep, .gitignore). */
function emptyFolder(path: string): boolean {
  return statSync(path).isDirectory() && readdirSync(path).every((entry) => ['.gitkeep', '.keep', '.gitignore'].includes(entry));
}

interface Mount {
  readonly field: 'volumes' | 'tmpfs';
  readonly index: number;
  readonly type: string;
  readonly source: string | undefined;
  readonly target: string | undefined;
  readonly readOnly: boolean;
}

/** A service's `volumes` (short `SOURCE:TARGET[:MODE]`, `TARGET`, or long syntax) and `tmpfs` as mounts. */
function mountsOf(service: ComposeService): Mount[] {
  const mounts: Mount[] = [];
  const volumes = Array.isArray(service.fields.volumes) ? service.fields.volumes : [];
  volumes.forEach((entry, index) => {
    if (typeof entry === 'string') {
      const parts = entry.split(':');
      // A Windows drive letter (C:\...) is not a separator.
      const [source, target, mode] = parts.length === 1 ? [undefined, parts[0], undefined] : [parts[0], parts[1], parts[2]];
      const type = source === undefined ? 'volume' : /^[./~]/.test(source) || /^[A-Za-z]$/.test(source) ? 'bind' : 'volume';
      mounts.push({ field: 'volumes', index, type, source, target, readOnly: (mode ?? '').split(',').includes('ro') });
    } else if (isFields(entry)) {
      mounts.push({
        field: 'volumes',
        index,
        type: String(entry.type ?? 'volume'),
        source: typeof entry.source === 'string' && entry.source !== '' ? entry.source : undefined,
        target: typeof entry.target === 'string' ? entry.target : undefined,
        readOnly: entry.read_only === true,
      });
    }
  });
  const tmpfs = service.fields.tmpfs;
  for (const target of typeof tmpfs === 'string' ? [tmpfs] : Array.isArray(tmpfs) ? tmpfs : []) {
    if (typeof target === 'string') mounts.push({ field: 'tmpfs', index: 0, type: 'tmpfs', source: undefined, target: target.split(':')[0], readOnly: false });
  }
  return mounts;
}
