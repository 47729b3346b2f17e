/**
 * The label and annotation keys devfleet puts on what it generates, and the label selectors that
 * find those objects again: Argo CD Applications and platform objects (cluster/), the env charts
 * (chart/), the sleep and wake jobs' `kubectl scale --selector`, `devfleet up` and `status`.
 *
 * The `app.kubernetes.io/*` keys are Kubernetes' recommended labels
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/); the
 * `devfleet.dev/*` keys are ours. Label syntax:
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */

export const LABELS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  cluster: 'devfleet.dev/cluster',
  project: 'devfleet.dev/project',
  developer: 'devfleet.dev/developer',
  /** On an env's Deployment: the recurrence of the sleep job that scales it to 0 (plan/schedule.ts `recurrenceLabel`), or `never`. */
  sleep: 'devfleet.dev/sleep',
  /** On an env's Deployment: the recurrence of the wake job that scales it to 1, or `never`. */
  wake: 'devfleet.dev/wake',
  /** On a sleep or wake CronJob: `sleep` or `wake`. */
  scheduleAction: 'devfleet.dev/schedule-action',
  /** On a Node: `system` (the on-demand nodes of the platform's pods) or `envs` (Karpenter's nodes of the envs), set by Terraform. */
  pool: 'devfleet.dev/pool',
  /** Carried by no namespace: a selector on it admits none (an IngressClass when the cluster has no developer; an empty `In` is invalid). */
  noDeveloper: 'devfleet.dev/no-developer',
} as const;

export const ANNOTATIONS = {
  /** A project's description, on its Deployment. */
  description: 'devfleet.dev/description',
  /** The definition file a chart was generated from, in Chart.yaml. */
  source: 'devfleet.dev/source',
  /**
   * On an env Application: the paths its manifests are made of. On a new commit Argo CD compares
   * the files it changed with these paths and, when none matches, reuses the manifests it rendered
   * for the previous commit instead of running Helm again (since v2.11, webhooks or not).
   * Ref https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/#manifest-paths-annotation
   */
  manifestGeneratePaths: 'argocd.argoproj.io/manifest-generate-paths',
} as const;

/** The value of `part-of` and `managed-by` on every generated object. */
export const DEVFLEET = 'devfleet';

/** `part-of` and `managed-by`: on every object devfleet generates. */
export function devfleetLabels(): Record<string, string> {
  return { [LABELS.partOf]: DEVFLEET, [LABELS.managedBy]: DEVFLEET };
}

/** The labels that select an env's Pods (its Deployment's selector): the project and the Helm release. */
export function podSelectorLabels(project: string, release: string): Record<string, string> {
  return { [LABELS.name]: project, [LABELS.instance]: release };
}

/** An equality-based label selector, `key=value,key=value`, in the given order. */
export function labelSelector(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** Every Deployment devfleet generated; their Pod template carries the label, so their ReplicaSets and Pods match too. */
export const DEVFLEET_SELECTOR = labelSelector({ [LABELS.partOf]: DEVFLEET });

/**
 * Keys other software reads or writes on the objects devfleet generates or finds: said here once,
 * like devfleet's own, so an emitter, a check of the same key (an admission policy) and the
 * services that set it use one spelling.
 */

/** The label the API server puts on every namespace, with the namespace's name (NetworkPolicy selectors). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Pod Security admission's namespace labels: the level enforced, warned about and audited, and
 * the Kubernetes minor each level is read at.
 * Ref https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces
 */
export const POD_SECURITY_LABELS = {
  enforce: 'pod-security.kubernetes.io/enforce',
  enforceVersion: 'pod-security.kubernetes.io/enforce-version',
  warn: 'pod-security.kubernetes.io/warn',
  warnVersion: 'pod-security.kubernetes.io/warn-version',
  audit: 'pod-security.kubernetes.io/audit',
  auditVersion: 'pod-security.kubernetes.io/audit-version',
} as const;

/**
 * Argo CD's annotations.
 * Ref https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 * Ref https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
 * Ref https://argo-cd.readthedocs.io/en/stable/user-guide/compare-options/
 */
export const ARGOCD_ANNOTATIONS = {
  /** The order Argo CD applies objects in: lower waves first (platform objects before the envs). */
  syncWave: 'argocd.argoproj.io/sync-wave',
  syncOptions: 'argocd.argoproj.io/sync-options',
  compareOptions: 'argocd.argoproj.io/compare-options',
  /** On an Application: `normal` asks its controller to compare it with git now (scripts/cluster-sync.ts). */
  refresh: 'argocd.argoproj.io/refresh',
} as const;

/**
 * The label that makes a Secret in Argo CD's namespace one of its clusters (value `cluster`, the
 * shard clusters: plan/argocd-shards.ts) or a repository's credentials (`repo-creds`).
 * Ref https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#clusters
 */
export const ARGOCD_SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

/**
 * Argo CD never deletes or prunes an object with these annotations, and once the object has left
 * the generated tree (kept, with its data) it no longer counts for its Application's sync status.
 */
export const ARGOCD_KEEP_ANNOTATIONS = {
  [ARGOCD_ANNOTATIONS.syncOptions]: 'Delete=false,Prune=false',
  [ARGOCD_ANNOTATIONS.compareOptions]: 'IgnoreExtraneous',
} as const;

/**
 * Helm's annotation: `keep` leaves the object in place when its release is uninstalled.
 * Ref https://helm.sh/docs/howto/charts_tips_and_tricks/#tell-helm-not-to-uninstall-a-resource
 */
export const HELM_RESOURCE_POLICY_ANNOTATION = 'helm.sh/resource-policy';

/**
 * KEDA activates a ScaledObject's target while this annotation is "true" (KEDA's
 * apis/keda/v1alpha1/scaledobject_types.go): `devfleet up` sets it, the sleep job clears it.
 */
export const FORCE_ACTIVATION_ANNOTATION = 'autoscaling.keda.sh/force-activation';

/**
 * The AWS Load Balancer Controller's Ingress annotations devfleet sets (chart/ingress.ts) and holds
 * developers to (cluster/ingress-policy.ts).
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 */
export const ALB_ANNOTATIONS = {
  groupName: 'alb.ingress.kubernetes.io/group.name',
  targetType: 'alb.ingress.kubernetes.io/target-type',
  listenPorts: 'alb.ingress.kubernetes.io/listen-ports',
  sslRedirect: 'alb.ingress.kubernetes.io/ssl-redirect',
  sslPolicy: 'alb.ingress.kubernetes.io/ssl-policy',
  scheme: 'alb.ingress.kubernetes.io/scheme',
  inboundCidrs: 'alb.ingress.kubernetes.io/inbound-cidrs',
  authType: 'alb.ingress.kubernetes.io/auth-type',
  authIdpOidc: 'alb.ingress.kubernetes.io/auth-idp-oidc',
  authIdpCognito: 'alb.ingress.kubernetes.io/auth-idp-cognito',
  authOnUnauthenticatedRequest: 'alb.ingress.kubernetes.io/auth-on-unauthenticated-request',
  authScope: 'alb.ingress.kubernetes.io/auth-scope',
  // Set by Terraform on the platform's own Ingresses (the front door's, Headlamp's).
  certificateArn: 'alb.ingress.kubernetes.io/certificate-arn',
  loadBalancerAttributes: 'alb.ingress.kubernetes.io/load-balancer-attributes',
  groupOrder: 'alb.ingress.kubernetes.io/group.order',
  healthcheckPort: 'alb.ingress.kubernetes.io/healthcheck-port',
  healthcheckPath: 'alb.ingress.kubernetes.io/healthcheck-path',
  subnets: 'alb.ingress.kubernetes.io/subnets',
  // Set by Terraform on Argo CD's webhook Ingress: argocd-server answers TLS only.
  backendProtocol: 'alb.ingress.kubernetes.io/backend-protocol',
} as const;

/**
 * The subnet tags the AWS Load Balancer Controller picks subnets by: internet-facing load
 * balancers go to subnets tagged `elb`, internal ones to subnets tagged `internalElb` (Terraform tags them).
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/subnet_discovery/
 */
export const SUBNET_ROLE_TAGS = {
  elb: 'kubernetes.io/role/elb',
  internalElb: 'kubernetes.io/role/internal-elb',
} as const;

/** The legacy IngressClass annotation, which the load balancer controller still reads next to spec.ingressClassName. */
export const LEGACY_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * The well-known labels of a Node as EKS and Karpenter set them; the local cluster's fake nodes
 * carry them too (scripts/cluster/nodes.ts).
 * Ref https://kubernetes.io/docs/reference/labels-annotations-taints/
 * Ref https://karpenter.sh/docs/concepts/scheduling/#well-known-labels
 */
export const NODE_LABELS = {
  hostname: 'kubernetes.io/hostname',
  os: 'kubernetes.io/os',
  arch: 'kubernetes.io/arch',
  instanceType: 'node.kubernetes.io/instance-type',
  capacityType: 'karpenter.sh/capacity-type',
  zone: 'topology.kubernetes.io/zone',
} as const;

/**
 * Karpenter's keys the platform module writes or selects by: the discovery tag on the subnets and
 * security groups its EC2NodeClass finds, and the well-known instance labels its NodePool's
 * requirements name (NODE_LABELS.capacityType beside them).
 * Ref https://karpenter.sh/docs/concepts/nodeclasses/
 * Ref https://karpenter.sh/docs/concepts/scheduling/#well-known-labels
 */
export const KARPENTER_KEYS = {
  discovery: 'karpenter.sh/discovery',
  instanceCategory: 'karpenter.k8s.aws/instance-category',
  instanceCpu: 'karpenter.k8s.aws/instance-cpu',
  instanceGeneration: 'karpenter.k8s.aws/instance-generation',
} as const;
