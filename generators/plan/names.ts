/**
 * Every name devfleet derives, in one place, with the limit each must respect.
 *
 * Names are joined with `--`, which the schemas forbid inside developer, project and route names:
 * a joined name can therefore be split back unambiguously and two different pairs never collide
 * (`a-b` + `c` and `a` + `b-c` would both give `a-b-c` with a single hyphen).
 *
 * With the schema limits (project 30, developer 20, route label 40, container 24, volume 15,
 * namespace prefix 10) every name below stays within its Kubernetes or DNS limit for ANY valid
 * definition; test/plan/names.test.ts checks the longest allowed names.
 */

/** Kubernetes limits (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/). */
export const LIMITS = {
  dnsLabel: 63,
  dnsSubdomain: 253,
  labelValue: 63,
} as const;

export const SEPARATOR = '--';

/** The developer's namespace. */
export function namespaceName(prefix: string, developer: string): string {
  return `${prefix}${developer}`;
}

/** Argo CD Application of one env; also its folder-free file name under apps/envs/. */
export function applicationName(project: string, developer: string): string {
  return `${project}${SEPARATOR}${developer}`;
}

/** The Argo CD AppProject that holds every env Application of a cluster. */
export function appProjectName(cluster: string): string {
  return `devfleet-${cluster}`;
}

/** The root app-of-apps Application of a cluster. */
export function rootApplicationName(cluster: string): string {
  return `devfleet-${cluster}-root`;
}

/** The default first part of an env host label for a route: its host with dots as hyphens. */
export function routeLabel(host: string): string {
  return host.replaceAll('.', '-');
}

/** The single DNS label an env's route is served under: `<route label>--<developer>`. */
export function hostLabel(label: string, developer: string): string {
  return `${label}${SEPARATOR}${developer}`;
}

/** The Helm values key of a route's host: a Go template identifier (no hyphens). */
export function routeValuesKey(label: string): string {
  return label.replaceAll('-', '_');
}

/** The Helm values key of a container: a Go template identifier. */
export function containerValuesKey(container: string): string {
  return container.replaceAll('-', '_');
}

/** A volume's default name: the last segment of its path, made a DNS label. */
export function defaultVolumeName(path: string): string {
  const last = path.split('/').filter(Boolean).pop() ?? 'root';
  const slug = last
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 15)
    .replace(/-+$/, '');
  return slug === '' ? 'data' : slug;
}

/** The Pod volume of a container directory: `<container>-<volume>` (<= 24 + 1 + 15). */
export function podVolumeName(container: string, volume: string): string {
  return `${container}-${volume}`;
}

/** The PVC of a persistent volume: `<release>-<container>-<volume>`. */
export function claimName(release: string, container: string, volume: string): string {
  return `${release}-${container}-${volume}`;
}

/** The ALB IngressGroup of group index `n` (0-based). */
export function ingressGroupName(cluster: string, n: number): string {
  return `devfleet-${cluster}-${n}`;
}

/**
 * The Kubernetes group every developer's IAM identity is mapped to (EKS access entries, made by
 * terraform/ from the generated tfvars). RBAC in the developer namespaces binds this group.
 */
export const DEVELOPERS_GROUP = 'devfleet:developers';

/** The Kubernetes user name of one developer (EKS access entry `user_name`). */
export function developerUserName(developer: string): string {
  return `devfleet:developer:${developer}`;
}

/** Namespace of the Telepresence traffic manager (installed by terraform/). */
export const TELEPRESENCE_NAMESPACE = 'ambassador';

/** ServiceAccount, Role and RoleBinding of the sleep/wake CronJobs in each developer namespace. */
export const SCALER_NAME = 'devfleet-scaler';

/** A sleep or wake CronJob: `devfleet-<action>-<recurrence label>` (at most 52 characters). */
export function scheduleJobName(action: 'sleep' | 'wake', recurrenceLabel: string): string {
  return `devfleet-${action}-${recurrenceLabel}`;
}
