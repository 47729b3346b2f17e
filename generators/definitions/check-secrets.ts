/**
 * A project's Secrets stay its own, in namespaces that several projects share.
 *
 * Every Secret a project declares (`secrets`) or reads (`{ secret, key }` env values; one it
 * does not declare comes from Secrets Manager at `devfleet/<cluster>/<project>/<secret>`) becomes,
 * in each of its envs, an ExternalSecret named after the Secret, which makes the Secret of that
 * name, and for `generate: password` a Password generator of the same name
 * (chart/external-secret.ts, chart/password.ts). A developer's envs share one namespace. So:
 * - two projects with a Secret of the same name and envs of the same developer would have two
 *   Argo CD Applications own the same objects: Argo CD reports SharedResourceWarning and every sync
 *   of one undoes the other's (the Secret switches between two sources);
 * - a Secret named with the platform's prefix `devfleet-` (plan/secret-store.ts) would be a
 *   platform Secret: ALB_OIDC_SECRET, the load balancer's OIDC client, sits in every developer
 *   namespace of a cluster with per-env Ingresses and OIDC sign-in;
 * - a `remoteKey` directly under a cluster's prefix `devfleet/<cluster>/` names one of the
 *   platform's Secrets Manager secrets (the OIDC client `devfleet/<cluster>/sso-oidc`), which
 *   External Secrets may read: the project's envs would receive it.
 *
 * And every Secrets Manager secret stays with its project: External Secrets reads every project's
 * names, `devfleet/<cluster>/<project>/...`, for every developer namespace (one ClusterSecretStore,
 * one IAM role: terraform/modules/platform/external-secrets.tf), so nothing in the cluster tells
 * projects apart; `validate` does (checkSecretOwners). A `remoteKey`
 * must be under the project's own prefix `devfleet/<cluster>/<project>/` in every cluster where it
 * has envs, or be a key its owner shares with it (`shareWith` on the owner's secret). Names are
 * compared as Secrets Manager and IAM compare them, as exact text (plan/secret-store.ts
 * remoteKeyPlace): a name with an empty, "." or ".." segment is refused outright.
 */
import type { ClusterModel, ProjectModel, SecretSourceModel } from '../plan/model.ts';
import type { ClusterPlan, Env } from '../plan/plan.ts';
import { ALB_OIDC_SECRET, isPlatformRemoteKey, malformedSegment, PLATFORM_NAME_PREFIX, projectKeyPrefix, projectRemoteKey, remoteKeyPlace, remoteKeyPrefix, ssoClientSecretName } from '../plan/secret-store.ts';
import type { ProjectDefinition } from '../schema/project.ts';
import type { Checked } from './cross-check.ts';
import type { LoadedFile } from './load.ts';
import { problemAt } from './problem-at.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { compare, joinPath, type Problem } from '../util/problem.ts';

/** How many developers a message lists before it only counts the rest. */
const LISTED = 5;

/**
 * Where a Secret is written in its project: its entry in `secrets`, or, for one the project only
 * reads, the first `{ secret, key }` env value that names it.
 */
function secretField(loaded: LoadedFile, project: ProjectModel, secret: string): (string | number)[] {
  const def = loaded.value as ProjectDefinition;
  if (def.secrets?.[secret] !== undefined) return ['secrets', secret];
  for (const [c, container] of project.containers.entries()) {
    for (const [name, value] of container.env) if (typeof value !== 'string' && value.secret === secret) return ['containers', c, 'env', name, 'secret'];
  }
  return ['secrets', secret];
}

/** Where a rename has to happen: the declaration (if any) and every reference. */
function renameWhere(loaded: LoadedFile, secret: string): string {
  return (loaded.value as ProjectDefinition).secrets?.[secret] !== undefined ? 'in secrets and in every { secret, key } that reads it' : 'in every { secret, key } that reads it';
}

/**
 * Secret names with the platform's prefix, remoteKeys of the platform's secrets in any cluster of
 * the fleet, and remoteKeys with an empty, "." or ".." segment.
 */
export function checkReservedSecrets(projects: readonly Checked<ProjectModel>[], clusters: readonly ClusterModel[]): Problem[] {
  const problems: Problem[] = [];
  for (const { loaded, model: project } of projects) {
    for (const source of project.secrets) {
      if (source.name.startsWith(PLATFORM_NAME_PREFIX)) {
        const suggestion = `${project.name}-${source.name.slice(PLATFORM_NAME_PREFIX.length)}`;
        problems.push(
          problemAt(
            loaded,
            secretField(loaded, project, source.name),
            `Secret "${source.name}" starts with "${PLATFORM_NAME_PREFIX}", which is reserved for the platform's own objects in developer namespaces (such as the Secret "${ALB_OIDC_SECRET}", the load balancer's OIDC client): every env of this project would get an ExternalSecret and a Secret of this name, which could replace a platform Secret or hand its value to the containers; rename the Secret, e.g. to "${suggestion}" (${renameWhere(loaded, source.name)})`,
          ),
        );
      }
      if (source.kind !== 'secrets-manager' || source.remoteKey === undefined) continue;
      const key = source.remoteKey;
      const segment = malformedSegment(key);
      if (segment !== undefined) {
        const what = segment === '' ? 'an empty segment ("//", or a leading or trailing "/")' : `a "${segment}" segment`;
        problems.push(
          problemAt(
            loaded,
            ['secrets', source.name, 'remoteKey'],
            `"${key}" has ${what}: Secrets Manager names are plain text, "/" is an ordinary character and nothing resolves "." or "..", so the name is not the path it looks like (and IAM matches it letter by letter); write every segment out, e.g. a key under "devfleet/<cluster>/${project.name}/", or drop remoteKey to read "devfleet/<cluster>/${project.name}/${source.name}" (the default)`,
          ),
        );
        continue;
      }
      const cluster = clusters.find((c) => isPlatformRemoteKey(c.name, key));
      if (!cluster) continue;
      const prefix = remoteKeyPrefix(cluster.name);
      const sso = ssoClientSecretName(cluster.name);
      const what =
        key === sso
          ? `is the load balancer's OIDC client secret of cluster "${cluster.name}"; names directly under "${prefix}" are reserved for the platform's secrets`
          : `is directly under "${prefix}", where names are reserved for the platform's secrets (such as "${sso}", the load balancer's OIDC client secret)`;
      problems.push(
        problemAt(
          loaded,
          ['secrets', source.name, 'remoteKey'],
          `"${key}" ${what}, which External Secrets may read, so every env of this project would receive a platform secret; drop remoteKey to read "${projectRemoteKey(cluster.name, project.name, source.name)}" (the default), or name another key under "${prefix}${project.name}/"`,
        ),
      );
    }
  }
  return problems;
}

/** "alice, bob", or "a, b, c, d, e and 2 more". */
export function listed(items: readonly string[]): string {
  return items.length <= LISTED ? items.join(', ') : `${items.slice(0, LISTED).join(', ')} and ${items.length - LISTED} more`;
}

/** What two envs of one namespace would both make for a Secret of this name. */
function sharedObjects(a: SecretSourceModel, b: SecretSourceModel): string {
  return a.kind === 'generated-password' && b.kind === 'generated-password' ? 'ExternalSecret, Password generator and Secret' : 'ExternalSecret and Secret';
}

/**
 * Which of two projects should rename a Secret they share: not the one whose name the Secret
 * already starts with ("web-db" stays with web; the longer name wins, "blog-api-db" stays with
 * blog-api rather than blog), otherwise the later one in name order.
 */
function renamer(earlier: ProjectModel, later: ProjectModel, secret: string): [rename: ProjectModel, keep: ProjectModel] {
  const claim = (p: ProjectModel) => (secret.startsWith(`${p.name}-`) ? p.name.length : 0);
  return claim(later) > claim(earlier) ? [earlier, later] : [later, earlier];
}

/**
 * Two projects with a Secret of the same name and envs in one namespace. Reported once per pair
 * of projects and cluster, at the project that should rename it (renamer), naming the other one
 * and every developer whose namespace holds both.
 */
export function checkSharedSecrets(plan: ClusterPlan, loadedOf: (file: string) => LoadedFile): Problem[] {
  const byNamespace = new Map<string, Env[]>();
  for (const env of plan.envs) byNamespace.set(env.namespace, [...(byNamespace.get(env.namespace) ?? []), env]);

  interface Clash {
    readonly secret: string;
    readonly objects: string;
    /** Each namespace that holds both: the earlier project's env and the later one's (name order). */
    readonly pairs: [earlier: Env, later: Env][];
  }
  const clashes = new Map<string, Clash>();
  for (const envs of byNamespace.values()) {
    const first = new Map<string, { env: Env; source: SecretSourceModel }>();
    for (const env of [...envs].sort((a, b) => compare(a.project.name, b.project.name))) {
      for (const source of env.project.secrets) {
        const earlier = first.get(source.name);
        if (!earlier) {
          first.set(source.name, { env, source });
          continue;
        }
        const id = JSON.stringify([earlier.env.project.name, env.project.name, source.name]);
        const clash = clashes.get(id) ?? { secret: source.name, objects: sharedObjects(earlier.source, source), pairs: [] };
        clash.pairs.push([earlier.env, env]);
        clashes.set(id, clash);
      }
    }
  }

  return [...clashes.values()].map(({ secret, objects, pairs }) => {
    const [[earlierEnv, laterEnv]] = pairs as [[Env, Env]];
    const [project, other] = renamer(earlierEnv.project, laterEnv.project, secret);
    const [env, otherEnv] = project === laterEnv.project ? [laterEnv, earlierEnv] : [earlierEnv, laterEnv];
    const developers = pairs.map(([e]) => e.developer);
    const namespaces = pairs.map(([e]) => e.namespace);
    const loaded = loadedOf(project.file);
    return problemAt(
      loaded,
      secretField(loaded, project, secret),
      `Secret "${secret}" is also a Secret of project "${other.name}" (${other.file}), and both projects have envs of ${developers.length === 1 ? 'developer' : 'developers'} ${listed(developers)} in cluster "${plan.cluster.name}" (${namespaces.length === 1 ? 'namespace' : 'namespaces'} ${listed(namespaces)}): each env makes the ${objects} "${secret}" in its namespace, so two Argo CD Applications (such as ${env.application} and ${otherEnv.application}) would own the same objects and undo each other's syncs (SharedResourceWarning); rename the Secret in this project, e.g. to "${project.name}-${secret}" (${renameWhere(loaded, secret)})`,
    );
  });
}

/**
 * Each name in a secret's `shareWith` is another project of the fleet. `fileNames` are the names
 * of every project file, those with problems too (left out of `projects`): naming one of them is
 * no problem of this file.
 */
export function checkSecretShares(projects: readonly Checked<ProjectModel>[], fileNames: ReadonlySet<string> = new Set()): Problem[] {
  const names = [...new Set([...projects.map(({ model }) => model.name), ...fileNames])].sort(compare);
  const problems: Problem[] = [];
  for (const { loaded, model: project } of projects) {
    for (const source of project.secrets) {
      if (source.kind !== 'secrets-manager') continue;
      source.shareWith.forEach((name, i) => {
        const at = ['secrets', source.name, 'shareWith', i];
        if (name === project.name) {
          problems.push(problemAt(loaded, at, `"${name}" is this project itself, which always reads the keys under its own prefix; remove it`));
        } else if (!names.includes(name)) {
          problems.push(problemAt(loaded, at, `"${name}" is not a project of this fleet (projects/), so nothing can be shared with it; ${didYouMean(name, names.filter((n) => n !== project.name))}name an existing project, or remove it`));
        }
      });
    }
  }
  return problems;
}

/** The Secrets Manager name a project's secret reads in a cluster. */
function keyIn(cluster: string, project: ProjectModel, source: Extract<SecretSourceModel, { kind: 'secrets-manager' }>): string {
  return source.remoteKey ?? projectRemoteKey(cluster, project.name, source.name);
}

/** How the owner of `key` would share it with `reader`: the edit in the owner's file. */
function howToShare(cluster: string, owner: ProjectModel, key: string, reader: string): string {
  const rest = key.slice(projectKeyPrefix(cluster, owner.name).length);
  const own = owner.secrets.find((s) => s.kind === 'secrets-manager' && keyIn(cluster, owner, s) === key);
  if (own?.kind === 'secrets-manager') {
    const field = joinPath(['secrets', own.name, 'shareWith']);
    return own.shareWith.length > 0 ? `add "${reader}" to ${field} in ${owner.file}` : `set ${field}: ["${reader}"] in ${owner.file}`;
  }
  if (/^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/.test(rest) && !owner.secrets.some((s) => s.name === rest)) {
    return `declare ${joinPath(['secrets', rest])}: { shareWith: ["${reader}"] } in ${owner.file}`;
  }
  return `declare a secret in ${owner.file} with remoteKey: "${key}" and shareWith: ["${reader}"]`;
}

/**
 * The Secrets Manager names a cluster's envs read stay with their projects: every `remoteKey` of
 * a project with envs in the cluster is under the cluster's prefix (its External Secrets may read
 * nothing else: the ExternalSecret would fail at sync) and under the project's own prefix, or it
 * is a key another project shares with this one. A `shareWith` on a key under another project's
 * prefix is refused too: only the owner shares. `fileNames`: the names of every project file, as
 * for checkSecretShares; a key of a project whose file has problems is not judged here.
 */
export function checkSecretOwners(plan: ClusterPlan, clusters: readonly string[], loadedOf: (file: string) => LoadedFile, fileNames: ReadonlySet<string> = new Set()): Problem[] {
  const { cluster } = plan;
  const byName = new Map(plan.projects.map((p) => [p.name, p]));
  const names = [...byName.keys()];
  const deployed = plan.projects.filter((project) => plan.envs.some((env) => env.project === project));
  const prefix = remoteKeyPrefix(cluster.name);
  const problems: Problem[] = [];
  for (const project of deployed) {
    const loaded = loadedOf(project.file);
    const own = projectKeyPrefix(cluster.name, project.name);
    for (const source of project.secrets) {
      if (source.kind !== 'secrets-manager') continue;
      const key = keyIn(cluster.name, project, source);
      const place = remoteKeyPlace(cluster.name, key);
      const at = ['secrets', source.name, 'remoteKey'];
      const fallback = `drop remoteKey to read "${projectRemoteKey(cluster.name, project.name, source.name)}" (the default)`;
      if (place.kind === 'outside') {
        const other = clusters.find((name) => key.startsWith(remoteKeyPrefix(name)));
        const where = other === undefined ? '' : ` but under "${remoteKeyPrefix(other)}", cluster "${other}"'s prefix`;
        problems.push(
          problemAt(
            loaded,
            at,
            `"${key}" is not under "${prefix}"${where}, and this project has envs in cluster "${cluster.name}", whose External Secrets may read only names under "${prefix}" (its IAM policy, terraform/modules/platform/external-secrets.tf): the ExternalSecret would fail at sync with AccessDenied; name a key under "${own}", or ${fallback}, which follows each cluster`,
          ),
        );
        continue;
      }
      if (place.kind !== 'project') continue; // malformed and platform keys: checkReservedSecrets, before the plan
      if (place.project !== project.name) {
        const owner = byName.get(place.project);
        if (owner?.secrets.some((s) => s.kind === 'secrets-manager' && s.shareWith.includes(project.name) && keyIn(cluster.name, owner, s) === key)) {
          if (source.shareWith.length > 0) {
            problems.push(
              problemAt(
                loaded,
                ['secrets', source.name, 'shareWith'],
                `"${key}" belongs to project "${owner.name}" (${owner.file}), which shares it with this project; only the owner shares a key, so remove shareWith here and have ${owner.name} add ${source.shareWith.map((n) => `"${n}"`).join(', ')} to its own shareWith`,
              ),
            );
          }
          continue;
        }
        // The owner's file is there but left out with problems of its own (loadValidPart): whether it shares the key is unknown until it is fixed.
        if (!owner && fileNames.has(place.project)) continue;
        const whose = owner
          ? `"${projectKeyPrefix(cluster.name, owner.name)}", the prefix of project "${owner.name}" (${owner.file}), which does not share it with this project`
          : `"${projectKeyPrefix(cluster.name, place.project)}", the prefix of a project "${place.project}", and there is no such project`;
        const fix = owner
          ? `store the secret under "${own}" instead, or have ${owner.name} share it: ${howToShare(cluster.name, owner, key, project.name)}`
          : `${didYouMean(place.project, names)}name a key under "${own}", or ${fallback}`;
        problems.push(
          problemAt(
            loaded,
            at,
            `"${key}" is under ${whose}: a project reads only keys under its own prefix "${own}" and keys another project shares with it (External Secrets reads the secrets of every project under "${prefix}" for every namespace, so this check is what keeps a project's secrets its own); ${fix}`,
          ),
        );
      }
    }
  }
  return problems;
}
