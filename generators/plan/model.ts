/**
 * Definitions with every default applied: what the generators read. Built only from definitions
 * that passed schema validation, so no field here is missing or of the wrong shape.
 */
import {
  ARGOCD_URL_DEFAULT,
  INGRESS_DEFAULTS,
  KUBERNETES_VERSION_DEFAULT,
  NAMESPACE_PREFIX_DEFAULT,
  NETWORK_DEFAULTS,
  QUOTA_DEFAULTS,
  STORAGE_CLASS_DEFAULT,
  type ClusterDefinition,
} from '../schema/cluster.ts';
import { CONTAINER_DEFAULTS, IMAGE_PULL_POLICY_DEFAULT, SECURITY_DEFAULTS, type ContainerDefinition, type ProjectDefinition } from '../schema/project.ts';
import { containerValuesKey, defaultVolumeName, routeLabel, routeValuesKey } from './names.ts';
import { addQuantities, parseQuantity, formatBytes, type Quantity } from '../util/quantity.ts';
import { clusterSchedule, type ClusterScheduleModel, type ScheduleOverrideModel } from './schedule.ts';

export interface PortModel {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

export interface VolumeModel {
  readonly name: string;
  readonly path: string;
  readonly persistent: boolean;
  /** A PVC's storage request, or an emptyDir's sizeLimit. */
  readonly size: string;
  /** The definition's PVC name, instead of the derived one (plan/names.ts volumeClaimName). */
  readonly claimName: string | undefined;
  /** The folder inside the volume mounted at `path` (Kubernetes' subPath), instead of its root. */
  readonly subPath: string | undefined;
}

export type EnvValueModel = string | { readonly secret: string; readonly key: string };

/** A single file mounted into a container: text from the env's ConfigMap, or a Secret's key. */
export type FileModel =
  | { readonly path: string; readonly content: string; readonly secret?: undefined }
  | { readonly path: string; readonly secret: { readonly secret: string; readonly key: string }; readonly content?: undefined };

export interface ContainerModel {
  readonly name: string;
  /** Helm values key (Go identifier) of this container. */
  readonly key: string;
  readonly image: string;
  /** The definition's, else IMAGE_PULL_POLICY_DEFAULT. */
  readonly imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  readonly command: readonly string[] | undefined;
  readonly args: readonly string[] | undefined;
  readonly workingDir: string | undefined;
  readonly env: readonly (readonly [string, EnvValueModel])[];
  readonly ports: readonly PortModel[];
  readonly resources: {
    readonly cpu: string;
    readonly memory: string;
    readonly memoryLimit: string;
    readonly ephemeralStorage: string;
    /** Its default counts the container's non-persistent volumes in (see containerModel). */
    readonly ephemeralStorageLimit: string;
  };
  readonly volumes: readonly VolumeModel[];
  readonly files: readonly FileModel[];
  readonly readiness: { readonly port: string; readonly path: string | undefined } | undefined;
  /** Hardening, with the defaults applied (see SECURITY_DEFAULTS). */
  readonly security: { readonly allowPrivilegeEscalation: boolean; readonly seccompProfile: 'RuntimeDefault' | 'Unconfined'; readonly allowNetRaw: boolean };
}

/** Where one Secret the containers read comes from. */
export type SecretSourceModel =
  | { readonly name: string; readonly kind: 'generated-password'; readonly length: number }
  | {
      readonly name: string;
      readonly kind: 'secrets-manager';
      /** undefined: the convention devfleet/<cluster>/<project>/<secret> */
      readonly remoteKey: string | undefined;
      /** Other projects that may read this secret's Secrets Manager name too (definitions/check-secrets.ts). */
      readonly shareWith: readonly string[];
    };

export interface RouteModel {
  readonly host: string;
  readonly port: string;
  readonly path: string;
  /** First part of the env's DNS label. */
  readonly label: string;
  /** Helm values key of this route's host. */
  readonly key: string;
}

export interface ProjectModel {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly containers: readonly ContainerModel[];
  readonly routes: readonly RouteModel[];
  readonly developers: 'all' | readonly string[];
  readonly schedule: ScheduleOverrideModel | undefined;
  readonly swap: { readonly container: string } | undefined;
  /** AWS access through EKS Pod Identity (terraform/); undefined when the project needs none. */
  readonly aws: { readonly policies: readonly string[] } | undefined;
  /** Every Secret a container reads (`{ secret, key }` env values), sorted by name, with its source. */
  readonly secrets: readonly SecretSourceModel[];
  /** Host names that resolve to the Pod itself (127.0.0.1), in the definition's order. */
  readonly hostAliases: readonly string[];
}

export interface ClusterModel {
  readonly file: string;
  readonly name: string;
  readonly domain: string;
  readonly timeZone: string;
  readonly schedule: ClusterScheduleModel;
  readonly developers: readonly { readonly name: string; readonly email: string | undefined; readonly iam: string | undefined; readonly schedule: ScheduleOverrideModel | undefined }[];
  readonly argocd: {
    readonly repoURL: string;
    readonly targetRevision: string;
    readonly namespace: string;
    /** Argo CD's web UI (plan/argocd-links.ts links envs and developers to it). */
    readonly url: string;
    /** Application controllers sharing the envs, when the definition says (plan/argocd-shards.ts shardCount has the default). */
    readonly shards?: number;
  };
  readonly namespacePrefix: string;
  readonly quota: {
    readonly cpu: string;
    readonly memory: string;
    readonly storage: string;
    readonly ephemeralStorage: string;
    readonly ephemeralStorageLimit: string;
    readonly pods: number;
    readonly persistentVolumeClaims: number;
  };
  readonly ingress: {
    readonly className: string;
    /** One front door for every env (KEDA HTTP add-on), or per-env Ingresses in IngressGroups. */
    readonly mode: 'front-door' | 'ingress-groups';
    readonly scheme: 'internet-facing' | 'internal';
    readonly groups: number;
    /** Source ranges allowed at the load balancer; empty: no restriction beyond the scheme. */
    readonly sourceCidrs: readonly string[];
    /** Sign-in at the load balancer, if the cluster chose it. */
    readonly sso: NonNullable<ClusterDefinition['ingress']>['sso'];
  };
  /**
   * The VPC ranges of the load balancers' own subnets (no node, no Pod): said once here, handed to
   * terraform/ as `load_balancer_cidrs` (terraform/tfvars.ts), admitted by the NetworkPolicies.
   */
  readonly network: { readonly loadBalancerCidrs: readonly string[] };
  /** Kubernetes minor version, e.g. "1.35". */
  readonly kubernetesVersion: string;
  readonly aws: { readonly allowedPolicies: readonly string[]; readonly permissionsBoundary: string | undefined };
  readonly storageClass: string;
  /** IAM principals of the platform operators (cluster-admin, made by terraform/). */
  readonly admins: readonly string[];
}

export function projectModel(file: string, def: ProjectDefinition): ProjectModel {
  return {
    file,
    name: def.name,
    description: def.description ?? '',
    containers: def.containers.map(containerModel),
    routes: (def.routes ?? []).map((route) => {
      const label = route.subdomain ?? routeLabel(route.host);
      return { host: route.host, port: route.port, path: route.path ?? '/', label, key: routeValuesKey(label) };
    }),
    developers: def.developers ?? 'all',
    schedule: def.schedule,
    swap: def.swap ? { container: def.swap.container } : undefined,
    aws: def.aws ? { policies: [...def.aws.policies] } : undefined,
    secrets: secretSources(def),
    hostAliases: [...(def.hostAliases ?? [])],
  };
}

/** The referenced Secrets (and declared ones), each with its source; undeclared ones come from Secrets Manager. */
function secretSources(def: ProjectDefinition): SecretSourceModel[] {
  const names = new Set<string>(Object.keys(def.secrets ?? {}));
  for (const container of def.containers) {
    for (const value of Object.values(container.env ?? {})) if (typeof value !== 'string') names.add(value.secret);
    for (const file of container.files ?? []) if ('secret' in file) names.add(file.secret);
  }
  return [...names].sort().map((name): SecretSourceModel => {
    const declared = def.secrets?.[name];
    if (declared && 'generate' in declared) return { name, kind: 'generated-password', length: declared.length ?? 32 };
    return { name, kind: 'secrets-manager', remoteKey: declared?.remoteKey, shareWith: [...(declared?.shareWith ?? [])] };
  });
}

function containerModel(def: ContainerDefinition): ContainerModel {
  const memory = def.resources?.memory ?? CONTAINER_DEFAULTS.memory;
  const volumes = (def.volumes ?? []).map((v): VolumeModel => {
    const persistent = v.persistent ?? false;
    return {
      name: v.name ?? defaultVolumeName(v.path),
      path: v.path,
      persistent,
      // Every volume has a size: a PVC's request, or an emptyDir's sizeLimit.
      size: v.size ?? CONTAINER_DEFAULTS.volumeSize,
      claimName: v.claimName,
      subPath: v.subPath,
    };
  });
  return {
    name: def.name,
    key: containerValuesKey(def.name),
    image: def.image,
    imagePullPolicy: def.imagePullPolicy ?? IMAGE_PULL_POLICY_DEFAULT,
    command: def.command,
    args: def.args,
    workingDir: def.workingDir,
    env: Object.entries(def.env ?? {}),
    ports: (def.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })),
    resources: {
      cpu: def.resources?.cpu ?? CONTAINER_DEFAULTS.cpu,
      memory,
      memoryLimit: def.resources?.memoryLimit ?? memory,
      ephemeralStorage: def.resources?.ephemeralStorage ?? CONTAINER_DEFAULTS.ephemeralStorage,
      ephemeralStorageLimit: def.resources?.ephemeralStorageLimit ?? defaultEphemeralStorageLimit(volumes),
    },
    volumes,
    files: (def.files ?? []).map((f): FileModel => ('content' in f ? { path: f.path, content: f.content } : { path: f.path, secret: { secret: f.secret, key: f.key } })),
    readiness: def.readiness ? { port: def.readiness.port, path: def.readiness.path } : undefined,
    security: {
      allowPrivilegeEscalation: def.security?.allowPrivilegeEscalation ?? SECURITY_DEFAULTS.allowPrivilegeEscalation,
      seccompProfile: def.security?.seccompProfile ?? SECURITY_DEFAULTS.seccompProfile,
      allowNetRaw: def.security?.allowNetRaw ?? SECURITY_DEFAULTS.allowNetRaw,
    },
  };
}

/**
 * The kubelet counts an emptyDir on the node's disk toward its Pod's ephemeral-storage limit, so a
 * container's default limit is the base default plus the size of each non-persistent volume it
 * mounts: filling its emptyDirs never leaves it without room for its logs.
 * Ref https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage
 */
export function defaultEphemeralStorageLimit(volumes: readonly VolumeModel[]): string {
  return formatBytes(addQuantities(parseQuantity(CONTAINER_DEFAULTS.ephemeralStorageLimit), ...emptyDirSizes(volumes)));
}

/** The sizes (sizeLimit) of the non-persistent volumes among `volumes`. */
export function emptyDirSizes(volumes: readonly VolumeModel[]): Quantity[] {
  return volumes.filter((v) => !v.persistent).map((v) => parseQuantity(v.size));
}

/** A volume of a project: `containers[container].volumes[volume]`. */
export interface VolumeAt {
  readonly container: number;
  readonly volume: number;
}

/**
 * The earlier volume of the project whose PVC this one shares, or undefined. Persistent volumes of
 * one project that name the same `claimName` share one volume (e.g. an app and its cron job both
 * mounting the web root): the chart makes one PVC and one Pod volume, the first one's in container
 * order, and mounts it in each sharer at the sharer's own path. validate (definitions/
 * check-object-names.ts) holds the sharers to one size.
 */
export function sharedVolumeOf(project: Pick<ProjectModel, 'containers'>, at: VolumeAt): VolumeAt | undefined {
  const volume = project.containers[at.container]!.volumes[at.volume]!;
  if (!volume.persistent || volume.claimName === undefined) return undefined;
  for (const [c, container] of project.containers.entries()) {
    for (const [v, other] of container.volumes.entries()) {
      if (c === at.container && v === at.volume) return undefined;
      if (other.persistent && other.claimName === volume.claimName) return { container: c, volume: v };
    }
  }
  return undefined;
}

/** The volumes that make a Pod volume (and, when persistent, a PVC): every volume but those that share an earlier one's. */
export function ownVolumes(project: Pick<ProjectModel, 'containers'>): (VolumeAt & { readonly containerModel: ContainerModel; readonly volumeModel: VolumeModel })[] {
  return project.containers.flatMap((container, c) =>
    container.volumes.flatMap((volume, v) => (sharedVolumeOf(project, { container: c, volume: v }) ? [] : [{ container: c, volume: v, containerModel: container, volumeModel: volume }])),
  );
}

export function clusterModel(file: string, def: ClusterDefinition): ClusterModel {
  return {
    file,
    name: def.name,
    domain: def.domain,
    timeZone: def.timeZone,
    schedule: clusterSchedule(def.schedule),
    developers: def.developers.map((d) => ({ name: d.name, email: d.email, iam: d.iam, schedule: d.schedule })),
    argocd: {
      repoURL: def.argocd.repoURL,
      targetRevision: def.argocd.targetRevision ?? 'main',
      namespace: def.argocd.namespace ?? 'argocd',
      url: def.argocd.url ?? ARGOCD_URL_DEFAULT,
      ...(def.argocd.shards === undefined ? {} : { shards: def.argocd.shards }),
    },
    namespacePrefix: def.namespacePrefix ?? NAMESPACE_PREFIX_DEFAULT,
    quota: {
      cpu: def.quota?.cpu ?? QUOTA_DEFAULTS.cpu,
      memory: def.quota?.memory ?? QUOTA_DEFAULTS.memory,
      storage: def.quota?.storage ?? QUOTA_DEFAULTS.storage,
      ephemeralStorage: def.quota?.ephemeralStorage ?? QUOTA_DEFAULTS.ephemeralStorage,
      ephemeralStorageLimit: def.quota?.ephemeralStorageLimit ?? QUOTA_DEFAULTS.ephemeralStorageLimit,
      pods: def.quota?.pods ?? QUOTA_DEFAULTS.pods,
      persistentVolumeClaims: def.quota?.persistentVolumeClaims ?? QUOTA_DEFAULTS.persistentVolumeClaims,
    },
    ingress: {
      className: def.ingress?.className ?? INGRESS_DEFAULTS.className,
      mode: def.ingress?.mode ?? INGRESS_DEFAULTS.mode,
      scheme: def.ingress?.scheme ?? INGRESS_DEFAULTS.scheme,
      groups: def.ingress?.groups ?? INGRESS_DEFAULTS.groups,
      sourceCidrs: [...(def.ingress?.sourceCidrs ?? [])],
      sso: def.ingress?.sso,
    },
    network: { loadBalancerCidrs: [...(def.network?.loadBalancerCidrs ?? NETWORK_DEFAULTS.loadBalancerCidrs)] },
    kubernetesVersion: def.kubernetesVersion ?? KUBERNETES_VERSION_DEFAULT,
    aws: { allowedPolicies: [...(def.aws?.allowedPolicies ?? [])], permissionsBoundary: def.aws?.permissionsBoundary },
    storageClass: def.storageClass ?? STORAGE_CLASS_DEFAULT,
    admins: [...(def.admins ?? [])],
  };
}
