/**
 * Every name devfleet derives, in one place, with the limit each must respect.
 *
 * Names are joined with `--`, which the schemas forbid inside developer, project, cluster and
 * route names: a joined name can therefore be split back unambiguously and two different pairs
 * never collide (`a-b` + `c` and `a` + `b-c` would both give `a-b-c` with a single hyphen).
 *
 * Developer names may be as long as a GitHub login and project names longer still (see the limits
 * in generators/schema/common.ts), so a joined name can pass a Kubernetes, DNS, Helm or IAM limit.
 * Every derivation below goes through `fitName`: a name that fits is used as it is; a longer one
 * is cut and ends in a hash of the whole name, so it is deterministic, stays within its limit and
 * stays unique (generators/definitions/cross-check.ts `checkDerivedNames` reports the
 * astronomically unlikely collision, naming both envs). test/plan/names.test.ts checks every
 * derivation at the longest names the schemas allow.
 *
 * Names inside a chart (`{{ .Release.Name }}`, `<release>-<container>-<volume>`) are Helm
 * template text that cannot be shortened at synth time; the schema limits keep them within their
 * limits statically (checked in the same test).
 *
 * Two names are older than the `--` rule and keep their single hyphens: a PVC's claim
 * (`claimName`) and a Pod volume (`podVolumeName`). They are not injective by themselves (project
 * `my`, container `app-mysql`, volume `mysql` gives the claim of project `my-app`'s container
 * `mysql`, volume `mysql`), and they stay so on purpose: a claim holds an env's data, and a new
 * name would hand every existing env an empty volume (docs/design-notes.md "Names that hold data":
 * names of objects that hold data stay as they are for definitions that did not collide). No function of the parts alone
 * can both keep every old name and tell those two apart, since each alone is a valid definition
 * with its own data. Instead `validate` proves the names distinct where they meet: every kind/name
 * in a namespace, across all projects of the fleet, and every volume name in a Pod
 * (generators/definitions/check-object-names.ts, from the list in ./namespace-objects.ts), and it
 * refuses a collision before anything is written; the fix is a volume `name` of its own. Pod volume
 * names could have moved to `--`, but they pair one to one with the claims (a claim collision
 * inside a project is a Pod volume collision), so one rule covers both and no Pod is restarted
 * for a rename. docs/envs.md "What every env gets" says how claims keep their names.
 */
import { createHash } from 'node:crypto';

/**
 * The limits names are fitted to.
 * Ref https://kubernetes.io/docs/concepts/overview/working-with-objects/names/ (DNS label 63, DNS subdomain 253)
 * Ref https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set (label value 63)
 * Ref https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#writing-a-cronjob-spec (CronJob name 52: the Job name adds 11 characters)
 * Ref https://helm.sh/docs/chart_template_guide/getting_started/ (release names are limited to 53 characters)
 * Ref https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (role name 64)
 */
export const LIMITS = {
  dnsLabel: 63,
  dnsSubdomain: 253,
  labelValue: 63,
  cronJobName: 52,
  helmRelease: 53,
  iamRoleName: 64,
} as const;

export const SEPARATOR = '--';

/** Hex digits of the hash that ends a shortened name. */
export const HASH_LENGTH = 8;

/**
 * `full` when it fits `max`; otherwise its first characters, `-` and the first 8 hex digits of
 * sha256(full), `max` characters at most. The cut never leaves a trailing hyphen before the hash,
 * so a DNS label stays a DNS label.
 */
export function fitName(full: string, max: number): string {
  if (full.length <= max) return full;
  if (max < HASH_LENGTH + 2) throw new Error(`internal: cannot fit "${full}" into ${max} characters`);
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  const prefix = full.slice(0, max - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${prefix}-${hash}`;
}

/** The developer's namespace: `<prefix><developer>` (a DNS label). */
export function namespaceName(prefix: string, developer: string): string {
  return fitName(`${prefix}${developer}`, LIMITS.dnsLabel);
}

/**
 * The Argo CD Application of one env: `<project>--<developer>`. Argo CD uses it as the value of
 * its instance tracking label (app.kubernetes.io/instance), and so do devfleet's own labels, hence the
 * label value limit. It is a derived name, not the env's identity (that is ./env-id.ts).
 */
export function applicationName(project: string, developer: string): string {
  return fitName(`${project}${SEPARATOR}${developer}`, LIMITS.labelValue);
}

/** The Helm release of an env: the project name, so the chart's objects are named after the project. */
export function releaseName(project: string): string {
  return fitName(project, LIMITS.helmRelease);
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

/** The single DNS label an env's route is served under, in front of the cluster domain: `<route label>--<developer>`. */
export function hostLabel(label: string, developer: string): string {
  return fitName(`${label}${SEPARATOR}${developer}`, LIMITS.dnsLabel);
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

/**
 * The Pod volume of a container directory: `<container>-<volume>` (a DNS label by the schema
 * limits). Not injective by itself: `validate` proves it unique in the Pod (see the header).
 */
export function podVolumeName(container: string, volume: string): string {
  return `${container}-${volume}`;
}

/** The ConfigMap holding every `{ path, content }` file of an env's containers (chart/config-map.ts). */
export function filesConfigMapName(release: string): string {
  return `${release}-files`;
}

/** The key of a container's `files[index]` in that ConfigMap: container names hold no ".", so no two files share a key. */
export function fileKey(container: string, index: number): string {
  return `${container}.${index}`;
}

/**
 * Pod volumes of single files: the ConfigMap's, and one a Secret (by its place among the Secrets
 * the files mount). Both hold "--" or no "-" at all, which podVolumeName's `<container>-<volume>`
 * never does (both parts are names without "--"), so they meet no directory's volume.
 */
export const FILES_POD_VOLUME = 'files';
export function secretFilesPodVolume(index: number): string {
  return `secret--${index}`;
}

/**
 * The PVC of a persistent volume: `<release>-<container>-<volume>` (a DNS subdomain by the schema
 * limits). Kept exactly as it has always been, so existing envs keep their data; not injective by
 * itself: `validate` proves it unique in each namespace (see the header).
 */
export function claimName(release: string, container: string, volume: string): string {
  return `${release}-${container}-${volume}`;
}

/**
 * Headlamp's host is `<this>.<domain>` (`local.headlamp_host` in terraform/modules/platform/addons.tf):
 * no env may serve it (cluster/ingress-policy.ts).
 */
export const HEADLAMP_HOST_LABEL = 'headlamp';

/**
 * Argo CD's webhook host is `<this>.<domain>` (`local.argocd_webhook_host` in
 * terraform/modules/platform/argocd-webhook.tf), where GitHub sends every push: no env may serve it
 * (cluster/ingress-policy.ts). One hyphen, never `--`, so no env host label (`<route>--<developer>`) is it.
 */
export const ARGOCD_WEBHOOK_HOST_LABEL = 'argocd-webhook';

/**
 * An InterceptorRoute of an env behind the front door: `<release>--<port>`. Project names never
 * contain `--` (the schemas forbid it) and Kubernetes port names never do either, so two projects
 * of a namespace cannot produce the same name.
 */
export function interceptorRouteName(release: string, port: string): string {
  return `${release}${SEPARATOR}${port}`;
}

/** The Password generator of a generated Secret: named after the Secret (one Secret, one generator, in the env's namespace). */
export function passwordName(secret: string): string {
  return secret;
}

/**
 * The PVC of a persistent volume: the definition's `claimName` if it names one (to keep an
 * existing claim across a rename of its container or volume), the derived claimName otherwise.
 */
export function volumeClaimName(release: string, container: string, volume: { readonly name: string; readonly claimName?: string | undefined }): string {
  return volume.claimName ?? claimName(release, container, volume.name);
}

/** The ALB IngressGroup of group index `n` (0-based). */
export function ingressGroupName(cluster: string, n: number): string {
  return `devfleet-${cluster}-${n}`;
}

/**
 * The IAM role terraform/ creates for a project that asks for AWS access (EKS Pod Identity):
 * `devfleet-<cluster>--<project>`. Handed to Terraform in the tfvars (generators/terraform/tfvars.ts),
 * so HCL never derives a name that could pass IAM's limit.
 */
export function projectRoleName(cluster: string, project: string): string {
  return fitName(`devfleet-${cluster}${SEPARATOR}${project}`, LIMITS.iamRoleName);
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

/** A sleep or wake CronJob: `devfleet-<action>-<recurrence label>`. */
export function scheduleJobName(action: 'sleep' | 'wake', recurrenceLabel: string): string {
  return fitName(`devfleet-${action}-${recurrenceLabel}`, LIMITS.cronJobName);
}
