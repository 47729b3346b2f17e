/**
 * Which named objects an env puts into its developer's namespace, and which Pod volumes into its
 * Pod: kind, name and the part of the definition the name comes from. `validate`
 * (generators/definitions/check-object-names.ts) checks from this list that every kind/name of a
 * namespace has one owner, across all projects of the fleet; the chart emitters (generators/chart/)
 * derive the same names through the same functions (./names.ts), with the Helm release as
 * `{{ .Release.Name }}` where this list uses its value (./names.ts releaseName).
 * test/plan/namespace-objects.test.ts holds every object the charts render to this list.
 *
 * Which objects exist follows the chart's rules (a Service when a container has ports; an Ingress
 * per env with `ingress.mode: ingress-groups`, InterceptorRoutes and a ScaledObject behind the
 * front door, when the project has routes): the same test holds the two lists equal, so a rule
 * changed on one side only fails there.
 *
 * The platform's own objects in a developer namespace (NetworkPolicies, RoleBindings, the sleep/wake
 * CronJobs and their ServiceAccount, the load balancer's OIDC Secret) are named `devfleet-*`
 * (./secret-store.ts PLATFORM_NAME_PREFIX), except its ResourceQuota and LimitRange, `devfleet`;
 * isPlatformObject says so once, and test/plan/namespace-objects.test.ts checks it against the
 * objects generators/cluster/ writes into every namespace. An env object with a `devfleet-*` name,
 * of any kind, could replace a platform object, or become one when the platform adds it.
 */
import { ownVolumes, type ClusterModel, type ProjectModel } from './model.ts';
import { FILES_POD_VOLUME, filesConfigMapName, interceptorRouteName, passwordName, podVolumeName, releaseName, secretFilesPodVolume, volumeClaimName } from './names.ts';
import { PLATFORM_NAME_PREFIX } from './secret-store.ts';

/** Where a derived name comes from in the project definition. */
export type NameOrigin =
  /** Named after the Helm release, i.e. the project name. */
  | { readonly from: 'project' }
  /** A container directory: `containers[container].volumes[volume]`. */
  | { readonly from: 'volume'; readonly container: number; readonly volume: number }
  /** The `claimName` a persistent volume sets. */
  | { readonly from: 'claim'; readonly container: number; readonly volume: number }
  /** A Service port its routes target. */
  | { readonly from: 'port'; readonly port: string }
  /** A Secret the project declares or reads. */
  | { readonly from: 'secret'; readonly secret: string };

export interface NamedObject {
  /** The object's kind, or `Pod volume` for a volume of the env's Pod. */
  readonly kind: string;
  readonly name: string;
  readonly origin: NameOrigin;
}

/** The kind a Pod volume is listed as (it is a name inside the Pod, not an API object). */
export const POD_VOLUME = 'Pod volume';

/** The named objects one env of `project` makes in its namespace of `cluster` (see the header). */
export function envObjects(cluster: ClusterModel, project: ProjectModel): NamedObject[] {
  const release = releaseName(project.name);
  const fromProject = (kind: string) => ({ kind, name: release, origin: { from: 'project' } as const });
  const routedPorts = [...new Set(project.routes.map((r) => r.port))];
  const hasPorts = project.containers.some((c) => c.ports.length > 0);
  const frontDoor = cluster.ingress.mode === 'front-door' && project.routes.length > 0;
  return [
    fromProject('ServiceAccount'),
    fromProject('Deployment'),
    ...(hasPorts ? [fromProject('Service')] : []),
    ...(cluster.ingress.mode === 'ingress-groups' && project.routes.length > 0 && hasPorts ? [fromProject('Ingress')] : []),
    ...(frontDoor ? [fromProject('ScaledObject')] : []),
    ...(frontDoor ? routedPorts : []).map((port) => ({ kind: 'InterceptorRoute', name: interceptorRouteName(release, port), origin: { from: 'port', port } as const })),
    ...volumeClaims(project),
    // Named after the release by a fixed suffix (chart/config-map.ts): it meets another project's only if their releases meet.
    ...(hasContentFiles(project) ? [{ kind: 'ConfigMap', name: filesConfigMapName(release), origin: { from: 'project' } as const }] : []),
    // An ExternalSecret makes the Secret it names (chart/external-secret.ts); a generated one has a Password generator too.
    ...project.secrets.flatMap((source) => {
      const origin = { from: 'secret', secret: source.name } as const;
      return [
        { kind: 'ExternalSecret', name: source.name, origin },
        { kind: 'Secret', name: source.name, origin },
        ...(source.kind === 'generated-password' ? [{ kind: 'Password', name: passwordName(source.name), origin }] : []),
      ];
    }),
  ];
}

/** The PVCs of the env's persistent volumes (chart/persistent-volume-claim.ts makes them). */
export function volumeClaims(project: ProjectModel): NamedObject[] {
  const release = releaseName(project.name);
  // A claim several volumes share (model.ts sharedVolumeOf) is made once, by the first of them.
  return ownVolumes(project).flatMap(({ container: c, volume: v, containerModel: container, volumeModel: volume }) =>
    volume.persistent
      ? [{ kind: 'PersistentVolumeClaim', name: volumeClaimName(release, container.name, volume), origin: { from: volume.claimName === undefined ? 'volume' : 'claim', container: c, volume: v } as const }]
      : [],
  );
}

/** The volumes of the env's Pod (chart/deployment.ts names them): each directory's (one for a shared claim), then the single files' (see names.ts FILES_POD_VOLUME). */
export function podVolumes(project: ProjectModel): NamedObject[] {
  const fileSecrets = [...new Set(project.containers.flatMap((c) => c.files.flatMap((f) => (f.secret ? [f.secret.secret] : []))))];
  return [
    ...ownVolumes(project).map(({ container: c, volume: v, containerModel: container, volumeModel: volume }) => ({
      kind: POD_VOLUME,
      name: podVolumeName(container.name, volume.name),
      origin: { from: 'volume', container: c, volume: v } as const,
    })),
    ...(hasContentFiles(project) ? [{ kind: POD_VOLUME, name: FILES_POD_VOLUME, origin: { from: 'project' } as const }] : []),
    ...fileSecrets.map((_, i) => ({ kind: POD_VOLUME, name: secretFilesPodVolume(i), origin: { from: 'project' } as const })),
  ];
}

function hasContentFiles(project: ProjectModel): boolean {
  return project.containers.some((c) => c.files.some((f) => f.content !== undefined));
}

/** `devfleet`: the name of the namespace's ResourceQuota and LimitRange (cluster/namespaces.ts). */
export const PLATFORM_OBJECT_NAME = PLATFORM_NAME_PREFIX.slice(0, -1);

/** The kinds of the platform's objects named PLATFORM_OBJECT_NAME. */
const UNPREFIXED_KINDS: ReadonlySet<string> = new Set(['ResourceQuota', 'LimitRange']);

/** True for the kind and name of a platform object in developer namespaces: `devfleet-*` of any kind, or the quota objects `devfleet`. */
export function isPlatformObject(kind: string, name: string): boolean {
  return name.startsWith(PLATFORM_NAME_PREFIX) || (name === PLATFORM_OBJECT_NAME && UNPREFIXED_KINDS.has(kind));
}
