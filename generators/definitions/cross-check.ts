/**
 * Checks that need more than one field or more than one file: names that must match or be
 * unique, references between fields, and references between projects and clusters.
 * Runs only on definitions that passed their schema, so shapes can be trusted here.
 */
import { PLATFORM_NAME_PREFIX, projectRemoteKey } from '../plan/secret-store.ts';
import type { ProjectDefinition } from '../schema/project.ts';
import type { ClusterModel, ProjectModel } from '../plan/model.ts';
import { formatEnvId } from '../plan/env-id.ts';
import { kubectlVersionProblem } from '../plan/kubectl-image.ts';
import { namespaceName, projectRoleName, SCALER_NAME } from '../plan/names.ts';
import type { Env, Fleet } from '../plan/plan.ts';
import type { LoadedFile } from './load.ts';
import { isTimeZone, suggestTimeZone, timeZoneAreas, tzRelease } from './time-zones.ts';
import { didYouMean, nearest } from '../util/did-you-mean.ts';
import { joinPath, type Problem } from '../util/problem.ts';

export interface Checked<M> {
  readonly loaded: LoadedFile;
  readonly model: M;
}

type Reporter = (segments: (string | number)[], message: string) => void;

function reporter(loaded: LoadedFile, problems: Problem[]): Reporter {
  return (segments, message) => {
    const line = loaded.lineOf(segments);
    problems.push({ file: loaded.file, path: joinPath(segments), message, ...(line === undefined ? {} : { line }) });
  };
}

export function checkNameMatchesFile(loaded: LoadedFile, name: string, problems: Problem[]): void {
  if (name !== loaded.stem) {
    const ext = loaded.file.slice(loaded.file.lastIndexOf('.'));
    reporter(loaded, problems)(['name'], `"${name}" must equal the file name "${loaded.stem}"; rename the file to ${loaded.file.slice(0, loaded.file.lastIndexOf('/') + 1)}${name}${ext} or set name: "${loaded.stem}"`);
  }
}

/** Checks inside one project. */
export function checkProject(loaded: LoadedFile, model: ProjectModel, problems: Problem[]): void {
  const report = reporter(loaded, problems);
  const def = loaded.value as ProjectDefinition;
  checkNameMatchesFile(loaded, model.name, problems);
  // Env objects are named after the project (the Helm release): a project named like a platform
  // object in the developer namespaces (the sleep jobs' ServiceAccount devfleet-scaler, the
  // NetworkPolicies devfleet-*) would have its env Application take that object over.
  if (model.name.startsWith(PLATFORM_NAME_PREFIX)) {
    report(['name'], `"${model.name}" starts with "${PLATFORM_NAME_PREFIX}", which is reserved for the platform's own objects in developer namespaces (such as the sleep jobs' ServiceAccount "${SCALER_NAME}"): the env's objects, named after the project, would replace them; rename the project, e.g. to "${model.name.slice(PLATFORM_NAME_PREFIX.length)}" (and its file)`);
  }

  const containerIndex = new Map<string, number>();
  const portNames = new Map<string, [number, number]>();
  const portNumbers = new Map<string, [number, number]>();
  model.containers.forEach((container, c) => {
    const first = containerIndex.get(container.name);
    if (first !== undefined) report(['containers', c, 'name'], `"${container.name}" is already the name of containers[${first}]; container names must be unique in a project`);
    else containerIndex.set(container.name, c);

    container.ports.forEach((port, p) => {
      const sameName = portNames.get(port.name);
      if (sameName) report(['containers', c, 'ports', p, 'name'], `port name "${port.name}" is already used by containers[${sameName[0]}].ports[${sameName[1]}]; port names must be unique in the Pod (the Service exposes them by name)`);
      else portNames.set(port.name, [c, p]);
      const numberKey = `${port.port}/${port.protocol}`;
      const samePort = portNumbers.get(numberKey);
      if (samePort) report(['containers', c, 'ports', p, 'port'], `${port.port}/${port.protocol} is already taken by containers[${samePort[0]}].ports[${samePort[1]}]; containers of one Pod share a network namespace, so give each a different port`);
      else portNumbers.set(numberKey, [c, p]);
    });

    const volumeNames = new Map<string, number>();
    const paths = new Map<string, number>();
    container.volumes.forEach((volume, v) => {
      const explicit = def.containers[c]?.volumes?.[v]?.name !== undefined;
      const sameName = volumeNames.get(volume.name);
      if (sameName !== undefined) {
        report(['containers', c, 'volumes', v, explicit ? 'name' : 'path'], explicit
          ? `volume name "${volume.name}" is already used by volumes[${sameName}]; volume names must be unique in a container`
          : `the default volume name "${volume.name}" (from the path) is already used by volumes[${sameName}]; set a unique \`name\` on this volume`);
      } else volumeNames.set(volume.name, v);
      const normalized = volume.path.replace(/\/+$/, '') || '/';
      const samePath = paths.get(normalized);
      if (samePath !== undefined) report(['containers', c, 'volumes', v, 'path'], `"${volume.path}" is already mounted by volumes[${samePath}]; mount each path once`);
      else paths.set(normalized, v);
    });
    // Kubernetes refuses two mounts at one path in a container (a file's path inside a volume's is fine).
    const filePaths = new Map<string, number>();
    container.files.forEach((file, f) => {
      const volume = paths.get(file.path);
      const sameFile = filePaths.get(file.path);
      if (volume !== undefined) report(['containers', c, 'files', f, 'path'], `"${file.path}" is already mounted by volumes[${volume}]; mount each path once`);
      else if (sameFile !== undefined) report(['containers', c, 'files', f, 'path'], `"${file.path}" is already mounted by files[${sameFile}]; mount each path once`);
      else filePaths.set(file.path, f);
    });

    if (container.readiness && !container.ports.some((p) => p.name === container.readiness?.port)) {
      const own = container.ports.map((p) => `"${p.name}"`).join(', ') || 'none';
      const hint = didYouMean(container.readiness.port, container.ports.map((p) => p.name));
      report(['containers', c, 'readiness', 'port'], `"${container.readiness.port}" is not a port of container "${container.name}" (its ports: ${own}); ${hint}name one of them`);
    }
  });

  const allPorts = model.containers.flatMap((c) => c.ports.map((p) => ({ container: c.name, ...p })));
  const routeHosts = new Map<string, number>();
  const routeLabels = new Map<string, number>();
  model.routes.forEach((route, r) => {
    const port = allPorts.find((p) => p.name === route.port);
    if (!port) {
      const names = allPorts.map((p) => `"${p.name}"`).join(', ') || 'none declared';
      const hint = didYouMean(route.port, allPorts.map((p) => p.name));
      report(['routes', r, 'port'], `no container declares a port named "${route.port}" (ports: ${names}); ${hint}name a container port, or add it to a container's ports`);
    } else if (port.protocol !== 'TCP') {
      report(['routes', r, 'port'], `port "${route.port}" is ${port.protocol}; an ALB route needs a TCP (HTTP) port`);
    }
    const hostKey = `${route.host}${route.path}`;
    const sameHost = routeHosts.get(hostKey);
    if (sameHost !== undefined) report(['routes', r, 'host'], `"${route.host}" with path "${route.path}" is already routes[${sameHost}]; each host and path is routed once`);
    else routeHosts.set(hostKey, r);
    const sameLabel = routeLabels.get(route.label);
    if (sameLabel !== undefined && model.routes[sameLabel]?.host !== route.host) {
      report(['routes', r, def.routes?.[r]?.subdomain ? 'subdomain' : 'host'], `gives the DNS label "${route.label}", as routes[${sameLabel}] does; set a different \`subdomain\``);
    } else if (sameLabel === undefined) routeLabels.set(route.label, r);
  });

  // A Secret the project reads but does not declare comes from Secrets Manager by convention; one
  // a typo away from a declared Secret is almost surely that Secret misspelled, and would fail
  // only at runtime (the env's ExternalSecret finds no such Secrets Manager secret).
  const declared = Object.keys(def.secrets ?? {});
  model.containers.forEach((container, c) => {
    for (const [name, value] of container.env) {
      if (typeof value === 'string' || declared.includes(value.secret)) continue;
      const guess = nearest(value.secret, declared);
      if (guess === undefined) continue;
      report(
        ['containers', c, 'env', name, 'secret'],
        `"${value.secret}" is not declared in \`secrets\` (declared: ${declared.map((d) => `"${d}"`).join(', ')}), so every env would read it from AWS Secrets Manager at "${projectRemoteKey('<cluster>', model.name, value.secret)}"; did you mean "${guess}"? To read that Secrets Manager secret on purpose, declare "${value.secret}" in \`secrets\` with its remoteKey`,
      );
    }
  });

  if (model.swap && !containerIndex.has(model.swap.container)) {
    const containers = [...containerIndex.keys()];
    report(['swap', 'container'], `"${model.swap.container}" is not a container of this project (containers: ${containers.map((n) => `"${n}"`).join(', ')}); ${didYouMean(model.swap.container, containers)}name one of them`);
  }
}

/** Checks inside one cluster. */
export function checkCluster(loaded: LoadedFile, model: ClusterModel, problems: Problem[]): void {
  const report = reporter(loaded, problems);
  checkNameMatchesFile(loaded, model.name, problems);

  if (!isTimeZone(model.timeZone)) {
    const guess = suggestTimeZone(model.timeZone);
    const fix = guess
      ? `did you mean "${guess}"?`
      : `write Area/Location with an area of ${timeZoneAreas().join(', ')}, e.g. "Asia/Tokyo" or "Europe/Berlin"`;
    report(['timeZone'], `"${model.timeZone}" is not an IANA time zone (tz database ${tzRelease()}, which the sleep/wake CronJobs' timeZone needs); ${fix}`);
  }

  const kubectl = kubectlVersionProblem(model.kubernetesVersion);
  if (kubectl) report(['kubernetesVersion'], kubectl);

  // A prefix that makes every namespace reserved is one problem, reported once, at the prefix.
  const reservedPrefix = model.namespacePrefix.startsWith('kube-');
  if (reservedPrefix) {
    report(['namespacePrefix'], `"${model.namespacePrefix}" makes every namespace "${model.namespacePrefix}<developer>", and kube-* namespaces are reserved for Kubernetes; choose another prefix, e.g. "dev-"`);
  }

  const names = new Map<string, number>();
  const emails = new Map<string, number>();
  model.developers.forEach((developer, d) => {
    const same = names.get(developer.name);
    if (same !== undefined) report(['developers', d, 'name'], `"${developer.name}" is already developers[${same}]; developer names must be unique`);
    else names.set(developer.name, d);
    if (developer.email) {
      const key = developer.email.toLowerCase();
      const sameEmail = emails.get(key);
      if (sameEmail !== undefined) report(['developers', d, 'email'], `"${developer.email}" is already the e-mail of developers[${sameEmail}]; each developer needs their own`);
      else emails.set(key, d);
    }
    const namespace = namespaceName(model.namespacePrefix, developer.name);
    if (!reservedPrefix && (namespace === model.argocd.namespace || namespace === 'default' || namespace.startsWith('kube-'))) {
      report(['developers', d, 'name'], `gives the namespace "${namespace}", which is reserved (Argo CD, default or kube-*); choose another name or \`namespacePrefix\``);
    }
  });
}

/** Checks between files: unique names, shared hosts, developers that exist. */
export function checkFleet(projects: readonly Checked<ProjectModel>[], clusters: readonly Checked<ClusterModel>[], problems: Problem[]): void {
  checkUniqueNames(projects, problems, 'project');
  checkUniqueNames(clusters, problems, 'cluster');

  const labels = new Map<string, string>();
  for (const { loaded, model } of projects) {
    model.routes.forEach((route, r) => {
      const owner = labels.get(route.label);
      if (owner !== undefined && owner !== model.name) {
        const field = (loaded.value as ProjectDefinition).routes?.[r]?.subdomain ? 'subdomain' : 'host';
        reporter(loaded, problems)(['routes', r, field], `DNS label "${route.label}" (from "${route.host}") is already claimed by project "${owner}"; every env host must be unique in the fleet, so choose another host or set \`subdomain\``);
      } else labels.set(route.label, model.name);
    });
  }

  const developers = new Set(clusters.flatMap((c) => c.model.developers.map((d) => d.name)));
  if (clusters.length === 0) return;
  for (const { loaded, model } of projects) {
    if (model.developers === 'all') continue;
    model.developers.forEach((name, i) => {
      if (!developers.has(name)) {
        const where = clusters.map((c) => c.loaded.file).join(', ');
        reporter(loaded, problems)(['developers', i], `"${name}" is not a developer of any cluster (${where}); ${didYouMean(name, [...developers].sort())}add them to a cluster's developers or fix the name`);
      }
    });
  }
}

function checkUniqueNames(items: readonly Checked<ProjectModel | ClusterModel>[], problems: Problem[], what: string): void {
  const seen = new Map<string, string>();
  for (const { loaded, model } of items) {
    const other = seen.get(model.name);
    if (other !== undefined) reporter(loaded, problems)(['name'], `${what} "${model.name}" is already defined in ${other}; keep one file per ${what}`);
    else seen.set(model.name, loaded.file);
  }
}

/**
 * Derived names that must be unique where they live: namespaces and Argo CD Applications in a
 * cluster, hosts and IAM roles in the fleet (clusters may share a domain or an AWS account).
 * Different inputs give different full names (names are joined with `--`); only a shortened name
 * (plan/names.ts) can meet another one: by a hash collision, or when one env's full name happens
 * to equal another's shortened name. The later of the two is reported, naming both.
 */
export function checkDerivedNames(fleet: Fleet, projects: readonly Checked<ProjectModel>[], clusters: readonly Checked<ClusterModel>[]): Problem[] {
  const problems: Problem[] = [];
  const loadedOf = new Map([...projects, ...clusters].map((c) => [c.model.file, c.loaded]));
  const report = (file: string, segments: (string | number)[], message: string) => reporter(loadedOf.get(file)!, problems)(segments, message);
  const developerField = (env: Env) => ['developers', env.cluster.developers.findIndex((d) => d.name === env.developer), 'name'];
  const where = (env: Env) => `env ${formatEnvId(env.id)} of cluster ${env.cluster.name}`;

  const hosts = new Map<string, Env>();
  const roles = new Map<string, { cluster: string; project: string }>();
  for (const { cluster, envs, projects: deployed } of fleet.clusters) {
    const namespaces = new Map<string, string>();
    for (const [d, developer] of cluster.developers.entries()) {
      const namespace = namespaceName(cluster.namespacePrefix, developer.name);
      const other = namespaces.get(namespace);
      if (other !== undefined) report(cluster.file, ['developers', d, 'name'], `gives the namespace "${namespace}", which developer "${other}" also gets (long names are shortened); choose another name`);
      else namespaces.set(namespace, developer.name);
    }
    const applications = new Map<string, Env>();
    for (const env of envs) {
      const other = applications.get(env.application);
      if (other) report(cluster.file, developerField(env), `${where(env)} gets the Argo CD Application name "${env.application}", as ${where(other)} does (long names are shortened); change a developer name or rename project "${env.project.name}" (${env.project.file})`);
      else applications.set(env.application, env);
      env.hosts.forEach(({ host }, r) => {
        const owner = hosts.get(host);
        if (owner && owner !== env) {
          const field = (loadedOf.get(env.project.file)!.value as ProjectDefinition).routes?.[r]?.subdomain ? 'subdomain' : 'host';
          report(env.project.file, ['routes', r, field], `${where(env)} is served at "${host}", as ${where(owner)} is (long labels are shortened; clusters may share a domain); set a different \`subdomain\` or domain`);
        } else hosts.set(host, env);
      });
    }
    for (const project of deployed) {
      if (!project.aws) continue;
      const role = projectRoleName(cluster.name, project.name);
      const other = roles.get(role);
      if (other) report(project.file, ['aws'], `project "${project.name}" in cluster ${cluster.name} gets the IAM role name "${role}", as project "${other.project}" in cluster ${other.cluster} does (long names are shortened); rename one of the projects`);
      else roles.set(role, { cluster: cluster.name, project: project.name });
    }
  }
  return problems;
}
