/**
 * Every object of a developer namespace has one owner: no two envs, and no env and the platform,
 * make an object of the same kind and name, and no two volumes of a Pod share a name.
 *
 * Names come from the one list of what an env makes (plan/namespace-objects.ts), which derives
 * them with the functions the chart uses (plan/names.ts). A PVC claim and a Pod volume join their
 * parts with single hyphens and are kept that way so existing envs keep their data (plan/names.ts
 * says why): project `my` with container `app-mysql` and volume `mysql` derives
 * `my-app-mysql-mysql`, the claim of `my-app`'s MySQL volume, and its envs would mount that
 * database. This check is what makes the derived names injective for the fleet: it refuses every
 * such meeting before anything is written, at the definition that should change.
 *
 * Two projects' Secrets of the same name are left to check-secrets.ts checkSharedSecrets, which
 * names the developers and which project should rename; derived names that live elsewhere
 * (namespaces, Applications, hosts, IAM roles) to cross-check.ts checkDerivedNames.
 */
import { sharedVolumeOf, type ProjectModel } from '../plan/model.ts';
import { envObjects, isPlatformObject, podVolumes, POD_VOLUME, volumeClaims, type NamedObject, type NameOrigin } from '../plan/namespace-objects.ts';
import { podVolumeName, releaseName, volumeClaimName } from '../plan/names.ts';
import { PLATFORM_NAME_PREFIX } from '../plan/secret-store.ts';
import type { ClusterPlan, Env } from '../plan/plan.ts';
import type { ProjectDefinition } from '../schema/project.ts';
import { VOLUME_NAME_MAX } from '../schema/common.ts';
import type { LoadedFile } from './load.ts';
import { problemAt } from './problem-at.ts';
import { compare, joinPath, type Problem } from '../util/problem.ts';

/** How many namespaces a message lists before it only counts the rest. */
const LISTED = 3;

const key = (object: Pick<NamedObject, 'kind' | 'name'>) => `${object.kind}\0${object.name}`;
const originKey = (origin: NameOrigin) => JSON.stringify(origin);

/** Where an origin is written in the definition. */
function originField(loaded: LoadedFile, project: ProjectModel, origin: NameOrigin): (string | number)[] {
  const def = loaded.value as ProjectDefinition;
  switch (origin.from) {
    case 'project':
      return ['name'];
    case 'volume':
      return ['containers', origin.container, 'volumes', origin.volume, def.containers[origin.container]?.volumes?.[origin.volume]?.name !== undefined ? 'name' : 'path'];
    case 'claim':
      return ['containers', origin.container, 'volumes', origin.volume, 'claimName'];
    case 'port': {
      for (const [c, container] of project.containers.entries()) {
        const p = container.ports.findIndex((port) => port.name === origin.port);
        if (p >= 0) return ['containers', c, 'ports', p, 'name'];
      }
      return ['routes'];
    }
    case 'secret': {
      if (def.secrets?.[origin.secret] !== undefined) return ['secrets', origin.secret];
      for (const [c, container] of project.containers.entries()) {
        for (const [name, value] of container.env) if (typeof value !== 'string' && value.secret === origin.secret) return ['containers', c, 'env', name, 'secret'];
      }
      return ['secrets', origin.secret];
    }
  }
}

/**
 * What to change, with a volume name that is free where `taken` says (names of the kinds a volume
 * makes: its Pod volume and, when persistent, its claim).
 */
function fix(loaded: LoadedFile, project: ProjectModel, origin: NameOrigin, taken: (candidate: NamedObject[]) => boolean): string {
  switch (origin.from) {
    case 'project':
      return `rename the project (and its file)`;
    case 'port':
      return `rename port "${origin.port}" (and the routes that name it)`;
    case 'secret':
      return `rename the Secret "${origin.secret}" (in secrets and in every { secret, key } that reads it)`;
    case 'claim':
      return 'choose another `claimName` (it names the PVC the volume mounts; a claim of its own per volume and namespace)';
    case 'volume': {
      const container = project.containers[origin.container]!;
      const volume = container.volumes[origin.volume]!;
      const explicit = (loaded.value as ProjectDefinition).containers[origin.container]?.volumes?.[origin.volume]?.name !== undefined;
      const release = releaseName(project.name);
      const names = (candidate: string): NamedObject[] => [
        { kind: POD_VOLUME, name: podVolumeName(container.name, candidate), origin },
        ...(volume.persistent ? [{ kind: 'PersistentVolumeClaim', name: volumeClaimName(release, container.name, { name: candidate, claimName: volume.claimName }), origin }] : []),
      ];
      let suggestion: string | undefined;
      for (let n = 2; n < 100 && suggestion === undefined; n++) {
        const candidate = `${volume.name.slice(0, VOLUME_NAME_MAX - String(n).length).replace(/-+$/, '')}${n}`;
        if (!taken(names(candidate))) suggestion = candidate;
      }
      const example = suggestion === undefined ? '' : `, e.g. name: "${suggestion}"`;
      const what = volume.persistent
        ? `the claim is named "<project>-<container>-<volume>" and the Pod volume "<container>-<volume>"`
        : `the Pod volume is named "<container>-<volume>"`;
      return `${explicit ? 'change this volume\'s `name`' : 'give this volume a `name` of its own'}${example}, or rename the container (${what}; hyphens inside the parts make such meetings possible)`;
    }
  }
}

/** `"a" (Kind)`, then `, as "b" (Kind) does` for every further object of the same clash. */
function described(objects: readonly NamedObject[]): [first: string, rest: string] {
  const [first, ...rest] = objects;
  return [`"${first!.name}" (${first!.kind})`, rest.map((o) => `, as "${o.name}" (${o.kind}) does`).join('')];
}

/** "dev-alice", "dev-alice (and dev-bob)", "dev-alice (and dev-bob, dev-carol and 4 more)". */
function inNamespaces(namespaces: readonly string[]): string {
  const [first, ...rest] = namespaces;
  if (rest.length === 0) return `in namespace ${first}`;
  const shown = rest.slice(0, LISTED);
  const more = rest.length - shown.length;
  return `in namespace ${first} (and ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''})`;
}

/**
 * Inside one project: two volumes whose Pod volume (and claim) names meet, e.g. container `b-c`
 * with volume `d` and container `b` with volume `c-d`. Reported at the later volume. Two volumes
 * of one container with the same name are checkProject's (cross-check.ts) to report.
 */
export function checkProjectObjectNames(loaded: LoadedFile, project: ProjectModel): Problem[] {
  // Inside one project only volumes can meet: every other name has at most one part besides the
  // release (a port, a Secret), and those are unique in a project.
  const objects = [...volumeClaims(project), ...podVolumes(project)];
  const owners = new Map<string, NamedObject>();
  const clashes = new Map<string, { first: NameOrigin; later: NameOrigin; objects: NamedObject[] }>();
  const sameParts = (a: NameOrigin, b: NameOrigin) =>
    a.from === 'volume' && b.from === 'volume' && a.container === b.container && project.containers[a.container]!.volumes[a.volume]!.name === project.containers[b.container]!.volumes[b.volume]!.name;
  for (const object of objects) {
    const owner = owners.get(key(object));
    if (!owner) owners.set(key(object), object);
    else if (originKey(owner.origin) !== originKey(object.origin) && !sameParts(owner.origin, object.origin)) {
      // Reported at the later one, or at a claimName, which is what names the claim on purpose.
      const [first, later] = owner.origin.from === 'claim' && object.origin.from !== 'claim' ? [object.origin, owner.origin] : [owner.origin, object.origin];
      const id = `${originKey(first)}\0${originKey(later)}`;
      const clash = clashes.get(id) ?? { first, later, objects: [] };
      clash.objects.push(object);
      clashes.set(id, clash);
    }
  }
  const taken = new Set(objects.map(key));
  // A claimName keeps the project's own claim across a rename; one outside `<release>-` could name
  // another project's claim (one it left behind when it was removed: claims are kept) and mount its data.
  const release = releaseName(project.name);
  const claimProblems = project.containers.flatMap((container, c) =>
    container.volumes.flatMap((volume, v) => {
      const at = ['containers', c, 'volumes', v, 'claimName'];
      if (volume.claimName === undefined) return [];
      if (!volume.persistent) {
        const sharer = project.containers.flatMap((other) => other.volumes.filter((o) => o.persistent && o.claimName === volume.claimName).map((o) => `container "${other.name}"'s persistent volume "${o.name}"`))[0];
        const shared = sharer === undefined ? '' : `, which ${sharer} also names: volumes that share a claim must all be persistent`;
        return [problemAt(loaded, at, `"${volume.claimName}" names a PVC, but this volume is not persistent (an emptyDir has no claim)${shared}; set \`persistent: true\` or drop claimName`)];
      }
      if (!volume.claimName.startsWith(`${release}-`)) {
        return [problemAt(loaded, at, `"${volume.claimName}" does not start with "${release}-": a project mounts only claims of its own (another project's claim, even one kept after it was removed, holds that project's data); name a claim of this project, e.g. "${volumeClaimName(release, container.name, { name: volume.name })}"`)];
      }
      // Volumes with one claimName share one PVC (plan/model.ts sharedVolumeOf): it has one size.
      const shared = sharedVolumeOf(project, { container: c, volume: v });
      if (shared !== undefined) {
        const first = project.containers[shared.container]!;
        const firstVolume = first.volumes[shared.volume]!;
        if (firstVolume.size !== volume.size) {
          const def = loaded.value as ProjectDefinition;
          const explicit = def.containers[c]?.volumes?.[v]?.size !== undefined;
          return [
            problemAt(
              loaded,
              explicit ? ['containers', c, 'volumes', v, 'size'] : at,
              `${explicit ? `"${volume.size}"` : `the default size ${volume.size}`} differs from the ${firstVolume.size} of container "${first.name}"'s volume "${firstVolume.name}" (${joinPath(['containers', shared.container, 'volumes', shared.volume, 'size'])}), which shares claim "${volume.claimName}" with container "${container.name}": one PVC has one size; give every volume with this claimName the same size`,
            ),
          ];
        }
      }
      return [];
    }),
  );
  return [...claimProblems, ...[...clashes.values()].map(({ first, later, objects: clashing }) => {
    const [what, also] = described(sortedForMessage(clashing));
    return problemAt(
      loaded,
      originField(loaded, project, later),
      `${what} collides with ${loaded.file}: ${joinPath(originField(loaded, project, first))}${also}, in every env of this project (its namespace and its Pod); each name must have one owner; ${fix(loaded, project, later, (names) => names.some((n) => taken.has(key(n))))}`,
    );
  })];
}

/** Data-holding objects first: the claim is what a message should lead with; the list's order otherwise. */
function sortedForMessage(objects: readonly NamedObject[]): NamedObject[] {
  const rank = (o: NamedObject) => (o.kind === 'PersistentVolumeClaim' ? 0 : o.kind === POD_VOLUME ? 2 : 1);
  return [...objects].sort((a, b) => rank(a) - rank(b));
}

/**
 * Which of two envs' projects should change a name both derive: not the one whose project name
 * the object name starts with the more of (`my-app-mysql-mysql` stays with `my-app`, not `my`),
 * otherwise the later one in name order.
 */
function renamer(earlier: Env, later: Env, name: string): [rename: Env, keep: Env] {
  const claim = (env: Env) => (name === env.release || name.startsWith(`${env.release}-`) ? env.release.length : 0);
  return claim(earlier) > claim(later) ? [later, earlier] : claim(later) > claim(earlier) ? [earlier, later] : [later, earlier];
}

/**
 * Across projects, per namespace: two envs that make an object of one kind and name, or an env
 * object with a kind and name the platform keeps for its own (plan/namespace-objects.ts
 * isPlatformObject). Each clash is reported once, at the project that should change, naming
 * the other definition and the namespaces where the two meet.
 */
export function checkNamespaceObjectNames(plan: ClusterPlan, loadedOf: (file: string) => LoadedFile): Problem[] {
  const objectsOf = new Map(plan.projects.map((p) => [p.name, envObjects(plan.cluster, p)]));
  const byNamespace = new Map<string, Env[]>();
  for (const env of plan.envs) byNamespace.set(env.namespace, [...(byNamespace.get(env.namespace) ?? []), env]);

  interface Clash {
    readonly env: Env;
    readonly origin: NameOrigin;
    /** Undefined: the platform. */
    readonly other: { readonly env: Env; readonly origin: NameOrigin } | undefined;
    readonly objects: NamedObject[];
    readonly namespaces: string[];
    /** Every name taken in those namespaces, for a suggestion that is free. */
    readonly taken: Set<string>;
  }
  const clashes = new Map<string, Clash>();
  const record = (env: Env, object: NamedObject, other: Clash['other'], namespaceKeys: Iterable<string>) => {
    const id = JSON.stringify([env.project.name, object.origin, other?.env.project.name, other?.origin]);
    const clash = clashes.get(id) ?? { env, origin: object.origin, other, objects: [], namespaces: [], taken: new Set<string>() };
    if (!clash.objects.some((o) => key(o) === key(object))) clash.objects.push(object);
    if (!clash.namespaces.includes(env.namespace)) clash.namespaces.push(env.namespace);
    for (const k of namespaceKeys) clash.taken.add(k);
    clashes.set(id, clash);
  };

  for (const [, envs] of [...byNamespace].sort(([a], [b]) => compare(a, b))) {
    const sorted = [...envs].sort((a, b) => compare(a.project.name, b.project.name));
    const taken = sorted.flatMap((env) => objectsOf.get(env.project.name)!.map(key));
    // Every earlier env's object of each kind/name: each pair that meets is one clash, so three
    // projects deriving one name are all told at once, not one after the other's fix.
    const owners = new Map<string, { env: Env; object: NamedObject }[]>();
    for (const env of sorted) {
      for (const object of objectsOf.get(env.project.name)!) {
        if (isPlatformObject(object.kind, object.name)) {
          // Project `devfleet` gives its claims and routes platform names: one problem, at its name.
          const byProject = object.origin.from !== 'secret' && `${env.release}-`.startsWith(PLATFORM_NAME_PREFIX);
          record(env, byProject ? { ...object, origin: { from: 'project' } } : object, undefined, taken);
          continue;
        }
        const earlier = owners.get(key(object)) ?? [];
        for (const owner of earlier.filter((o) => o.env !== env)) {
          // Two projects' Secrets of one name: check-secrets.ts checkSharedSecrets reports them.
          if (object.origin.from === 'secret' && owner.object.origin.from === 'secret') continue;
          const [rename, keep] = renamer(owner.env, env, object.name);
          const [renamed, kept] = rename === env ? [object, owner.object] : [owner.object, object];
          record(rename, renamed, { env: keep, origin: kept.origin }, taken);
        }
        owners.set(key(object), [...earlier, { env, object }]);
      }
    }
  }

  return [...clashes.values()].map(({ env, origin, other, objects, namespaces, taken }) => {
    const loaded = loadedOf(env.project.file);
    const [what, also] = described(sortedForMessage(objects));
    const where = `${inNamespaces(namespaces)} of cluster ${plan.cluster.name}`;
    const ownPod = new Set(podVolumes(env.project).map(key));
    const change = fix(loaded, env.project, origin, (names) => names.some((n) => (n.kind === POD_VOLUME ? ownPod.has(key(n)) : taken.has(key(n)) || isPlatformObject(n.kind, n.name))));
    if (other === undefined) {
      return problemAt(
        loaded,
        originField(loaded, env.project, origin),
        `${what} collides with ${plan.cluster.file}: the platform's own objects ${where}${also}: names "${PLATFORM_NAME_PREFIX}*" are kept for the namespace's NetworkPolicies, RBAC, sleep/wake jobs and Secrets, which an env's object could replace; ${change}`,
      );
    }
    const otherLoaded = loadedOf(other.env.project.file);
    const stake = objects.some((o) => o.kind === 'PersistentVolumeClaim') ? 'both envs would mount one volume and read and write each other\'s data' : 'two Argo CD Applications would own one object and undo each other\'s syncs';
    return problemAt(
      loaded,
      originField(loaded, env.project, origin),
      `${what} collides with ${otherLoaded.file}: ${joinPath(originField(otherLoaded, other.env.project, other.origin))} ${where}${also}: ${stake}; ${change}`,
    );
  });
}
