/**
 * The cluster definition: one EKS cluster, its domain, its developers and its GitOps source.
 * Source of truth for `schema/cluster.schema.json` and the `ClusterDefinition` type.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ByteQuantity, CLUSTER_NAME_MAX, ClusterSchedule, DEVELOPER_NAME_MAX, DnsName, NAMESPACE_PREFIX_MAX, PolicyArn, Quantity, ScheduleOverride, Strict } from './common.ts';

export { CLUSTER_NAME_MAX, DEVELOPER_NAME_MAX } from './common.ts';

/**
 * Envs one application controller holds when the cluster definition does not say `argocd.shards`.
 * Source: Argo CD's High Availability page sizes one controller's processors "for 1000
 * applications" (cluster/argocd-settings.ts uses that figure), and on the 2-CPU harness one
 * controller carried 1,000 envs within issue 21's targets (0.42-0.43 s per env cold; docs/gitops.md
 * "The envs-per-shard figure", which also says why two shards there were slower). To be
 * re-measured with bench:gitops on EKS. plan/argocd-shards.ts places the envs.
 */
export const ENVS_PER_SHARD = 1000;

/** The most shards a cluster definition may ask for (`argocd.shards`): one controller replica each. */
export const ARGOCD_SHARDS_MAX = 32;

/** Per-developer namespace budget: enough for a handful of awake dev envs. */
/** Where Argo CD's UI is when nothing else is said: the port-forward of its Service (terraform/modules/platform/outputs.tf `argocd_namespace`). */
export const ARGOCD_URL_DEFAULT = 'https://localhost:8080';

export const QUOTA_DEFAULTS = {
  cpu: '8',
  memory: '16Gi',
  storage: '100Gi',
  /**
   * Node disk of all Pods in a namespace (writable layers, logs, emptyDirs): a project container
   * requests 256Mi and may use 2Gi plus its non-persistent volumes (CONTAINER_DEFAULTS in
   * ./project.ts), so 8Gi of requests and 32Gi of limits hold a handful of awake multi-container
   * envs, while one developer can never claim more than a share of the nodes' disks.
   */
  ephemeralStorage: '8Gi',
  ephemeralStorageLimit: '32Gi',
  pods: 50,
  persistentVolumeClaims: 30,
} as const;

/**
 * The LimitRange of each developer namespace (generators/cluster/namespaces.ts writes it):
 * defaults for a container that sets no resources, such as the Telepresence traffic agent
 * `devfleet swap` injects. Here, beside the quota, because validation checks a Pod against both.
 * Its ephemeral-storage limit is smaller than a project container's default: such a sidecar writes
 * logs, not build caches.
 */
export const LIMIT_RANGE_DEFAULTS = { cpu: '50m', memory: '128Mi', memoryLimit: '256Mi', ephemeralStorage: '256Mi', ephemeralStorageLimit: '1Gi' } as const;

export const INGRESS_DEFAULTS = {
  className: 'alb',
  mode: 'front-door',
  // Reachable from the VPC (and whatever is peered or on VPN) only, unless ops choose otherwise.
  scheme: 'internal',
  groups: 1,
} as const;

/**
 * The VPC address ranges that hold the load balancers' subnets and nothing else (no node, no Pod):
 * with terraform/'s default VPC (10.0.0.0/16) that is /20 number 3, 10.0.48.0/20, where
 * terraform/modules/platform/vpc.tf puts the public and the internal load-balancer subnets.
 */
export const NETWORK_DEFAULTS = { loadBalancerCidrs: ['10.0.48.0/20'] } as const;

/** The Kubernetes minor version terraform/ creates the cluster at, when the definition says nothing. */
export const KUBERNETES_VERSION_DEFAULT = '1.35';

const Ipv4Cidr = (description: string) =>
  Type.String({
    pattern: '^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/(?:3[0-2]|[12]?[0-9])$',
    description,
    'x-hint': 'write an IPv4 CIDR with its mask, e.g. "203.0.113.0/24" or "198.51.100.7/32"',
  });

const HttpsUrl = (description: string) =>
  Type.String({ pattern: '^https://[^\\s"]+$', maxLength: 1024, description, 'x-hint': 'write an https:// URL' });

/**
 * Sign-in at the load balancer (ALB listener authentication): nobody reaches an env without
 * signing in to the organisation's identity provider first.
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#authentication
 */
const Sso = Type.Union(
  [
    Type.Object(
      {
        type: Type.Literal('oidc'),
        issuer: HttpsUrl('OIDC issuer URL.'),
        authorizationEndpoint: HttpsUrl('OIDC authorization endpoint.'),
        tokenEndpoint: HttpsUrl('OIDC token endpoint.'),
        userInfoEndpoint: HttpsUrl('OIDC user info endpoint.'),
      },
      {
        ...Strict,
        description:
          'Any OpenID Connect provider (Okta, Entra ID, Google, ...). The client ID and secret are never in git: ops store them once in AWS Secrets Manager under "devfleet/<cluster>/sso-oidc" (keys clientID, clientSecret) and External Secrets copies them next to each load balancer Ingress.',
      },
    ),
    Type.Object(
      {
        type: Type.Literal('cognito'),
        userPoolArn: Type.String({ pattern: '^arn:aws(?:-cn|-us-gov)?:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[\\w-]+$', maxLength: 256, description: 'ARN of the Cognito user pool.', 'x-hint': 'write a Cognito user pool ARN, e.g. "arn:aws:cognito-idp:ap-northeast-1:123456789012:userpool/ap-northeast-1_AbCdEf"' }),
        userPoolClientId: Type.String({ pattern: '^[\\w+]+$', maxLength: 128, description: 'App client ID of the user pool.', 'x-hint': 'write the app client ID' }),
        userPoolDomain: Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$', maxLength: 63, description: 'Domain prefix of the user pool.', 'x-hint': 'write the user pool domain prefix, e.g. "acme-dev"' }),
      },
      { ...Strict, description: 'Amazon Cognito user pool (which may itself federate to SAML or OIDC).' },
    ),
  ],
  { description: 'Single sign-on at the load balancer: "oidc" or "cognito".' },
);

export const STORAGE_CLASS_DEFAULT = 'efs';
export const NAMESPACE_PREFIX_DEFAULT = 'dev-';

/**
 * An IAM user or role ARN, as EKS access entries take it (an assumed-role session ARN, arn:aws:sts::...,
 * is refused by EKS). Ref https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
 */
const IamPrincipal = (description: string) =>
  Type.String({
    pattern: '^arn:aws(?:-cn|-us-gov)?:iam::[0-9]{12}:(?:user|role)/(?:[A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,128}$',
    maxLength: 2048,
    description,
    'x-hint': 'write an IAM user or role ARN, e.g. "arn:aws:iam::123456789012:user/alice" or "arn:aws:iam::123456789012:role/alice" (not an arn:aws:sts:: session ARN)',
  });

const Developer = Type.Object(
  {
    name: DnsName(DEVELOPER_NAME_MAX, 'Developer name: part of namespaces, hostnames and Argo CD Application names.'),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: 'E-mail (also used to map the local git user to this developer).' })),
    iam: Type.Optional(
      IamPrincipal(
        'IAM user or role this developer signs in to AWS with. terraform/ maps it (EKS access entry) to the developers\' Kubernetes group, which RBAC lets into the developer namespaces only (never cluster-admin). Without it the developer has envs but no kubectl access.',
      ),
    ),
    schedule: Type.Optional(ScheduleOverride('Overrides the cluster\'s and projects\' schedule for all of this developer\'s envs.')),
  },
  { ...Strict, description: 'A person who gets envs in this cluster.' },
);

export const ClusterSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Path or URL of this JSON Schema, for editors.' })),
    name: DnsName(CLUSTER_NAME_MAX, 'Cluster name; equals the file name (clusters/<name>.ts|.yaml|.json) and the generated folder clusters/<name>/.'),
    domain: Type.String({
      pattern: '^(?=.{1,180}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$',
      description: 'DNS zone every env host lives under; one wildcard certificate "*.<domain>" serves the whole cluster.',
      'x-hint': 'write a DNS name with at least two labels, e.g. "dev.example.com"',
    }),
    timeZone: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'IANA time zone of the schedules, e.g. "Asia/Tokyo" or "Europe/Berlin".',
    }),
    schedule: Type.Optional(ClusterSchedule('When envs go to sleep (default: every day at 22:00) and, optionally, wake.')),
    developers: Type.Array(Developer, { minItems: 1, maxItems: 2000, description: 'The people who get envs.' }),
    argocd: Type.Object(
      {
        repoURL: Type.String({
          pattern: '^(?:https://|ssh://|git@)[^\\s]+$',
          maxLength: 512,
          description: 'Git URL of this repository, as Argo CD clones it.',
          'x-hint': 'write the repository URL Argo CD clones, e.g. "https://github.com/acme/devfleet.git"',
        }),
        targetRevision: Type.Optional(Type.String({ minLength: 1, maxLength: 255, default: 'main', description: 'Branch, tag or commit Argo CD syncs.' })),
        namespace: Type.Optional(DnsName(63, 'Namespace Argo CD runs in.', { default: 'argocd' })),
        url: Type.Optional(
          Type.String({
            pattern: '^https?://[^\\s/?#]+(?:/[^\\s?#]*[^\\s?#/])?$',
            maxLength: 255,
            default: ARGOCD_URL_DEFAULT,
            description: `Address of Argo CD's web UI, without a trailing slash: \`list\`, \`status\` and the cluster's generated README link each env and each developer to it. Default ${ARGOCD_URL_DEFAULT}, where \`kubectl -n <namespace> port-forward svc/argocd-server 8080:443\` serves it (terraform/ exposes no Argo CD host).`,
            'x-hint': 'write the address of Argo CD\'s UI, e.g. "https://argocd.example.com"',
          }),
        ),
        shards: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: ARGOCD_SHARDS_MAX,
            description: `Argo CD application controllers that share this cluster's envs, each holding the envs of its share of the developers (docs/gitops.md). Default: one per ${ENVS_PER_SHARD} envs.`,
            'x-hint': `write a whole number from 1 to ${ARGOCD_SHARDS_MAX}, or leave it out for one controller per ${ENVS_PER_SHARD} envs`,
          }),
        ),
      },
      { ...Strict, description: 'Where Argo CD reads this repository.' },
    ),
    namespacePrefix: Type.Optional(
      Type.String({
        pattern: `^[a-z][a-z0-9-]{0,${NAMESPACE_PREFIX_MAX - 1}}$`,
        maxLength: NAMESPACE_PREFIX_MAX,
        default: NAMESPACE_PREFIX_DEFAULT,
        description: 'Prefix of each developer\'s namespace (namespace = prefix + developer name).',
        'x-hint': `use up to ${NAMESPACE_PREFIX_MAX} lower-case letters, digits and hyphens, starting with a letter, e.g. "dev-"`,
      }),
    ),
    quota: Type.Optional(
      Type.Object(
        {
          cpu: Type.Optional(Quantity('CPU requests of all Pods in a developer namespace.', '8', { default: QUOTA_DEFAULTS.cpu })),
          memory: Type.Optional(ByteQuantity('Memory requests and limits of all Pods in a developer namespace.', '16Gi', { default: QUOTA_DEFAULTS.memory })),
          storage: Type.Optional(ByteQuantity('Storage requested by all PVCs in a developer namespace.', '100Gi', { default: QUOTA_DEFAULTS.storage })),
          ephemeralStorage: Type.Optional(
            ByteQuantity(
              `Ephemeral-storage requests (node disk: writable layers, logs, emptyDirs) of all Pods in a developer namespace, the namespace's requests.ephemeral-storage. Containers that set none get ${LIMIT_RANGE_DEFAULTS.ephemeralStorage} from the namespace's LimitRange.`,
              '8Gi',
              { default: QUOTA_DEFAULTS.ephemeralStorage },
            ),
          ),
          ephemeralStorageLimit: Type.Optional(
            ByteQuantity(
              `Ephemeral-storage limits of all Pods in a developer namespace, the namespace's limits.ephemeral-storage. Containers that set none get ${LIMIT_RANGE_DEFAULTS.ephemeralStorageLimit} from the namespace's LimitRange.`,
              '32Gi',
              { default: QUOTA_DEFAULTS.ephemeralStorageLimit },
            ),
          ),
          pods: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: QUOTA_DEFAULTS.pods, description: 'Pods in a developer namespace.' })),
          persistentVolumeClaims: Type.Optional(
            Type.Integer({ minimum: 0, maximum: 10000, default: QUOTA_DEFAULTS.persistentVolumeClaims, description: 'PVCs in a developer namespace.' }),
          ),
        },
        { ...Strict, description: 'ResourceQuota of each developer namespace.' },
      ),
    ),
    ingress: Type.Optional(
      Type.Object(
        {
          className: Type.Optional(DnsName(63, 'IngressClass of the AWS Load Balancer Controller.', { default: INGRESS_DEFAULTS.className })),
          scheme: Type.Optional(
            Type.Union([Type.Literal('internet-facing'), Type.Literal('internal')], {
              default: INGRESS_DEFAULTS.scheme,
              description:
                'ALB scheme. "internal" (default): reachable from the VPC and what is connected to it (VPN, peering, Direct Connect) only. "internet-facing" requires sourceCidrs or sso, so no env is open to strangers.',
            }),
          ),
          mode: Type.Optional(
            Type.Union([Type.Literal('front-door'), Type.Literal('ingress-groups')], {
              default: INGRESS_DEFAULTS.mode,
              description:
                '"front-door" (default): ONE load balancer for the whole cluster, in front of the KEDA HTTP add-on\'s interceptor, which routes each env host to its env, wakes a sleeping env on its first request (showing a "starting" page) and lets it sleep after idleMinutes without requests. "ingress-groups": one Ingress per env in ALB IngressGroups (`groups` ALBs; at most 100 target groups each, not adjustable; about $16/month per ALB); envs wake only by schedule, CLI or Headlamp.',
            }),
          ),
          sourceCidrs: Type.Optional(
            Type.Array(
              Ipv4Cidr('An IPv4 CIDR, e.g. "203.0.113.0/24".'),
              { minItems: 1, maxItems: 50, uniqueItems: true, description: 'Only these source ranges (office, VPN egress) may reach the load balancer. Never 0.0.0.0/0.' },
            ),
          ),
          sso: Type.Optional(Sso),
          groups: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 1000,
              default: INGRESS_DEFAULTS.groups,
              description:
                'With mode "ingress-groups": number of ALB IngressGroups (one ALB each). An ALB holds at most 100 target groups (not adjustable) and 100 rules; envs are spread over the groups by jump consistent hashing, so raising this moves only the envs that land in the new groups.',
            }),
          ),
        },
        { ...Strict, description: 'How envs are exposed through the AWS Load Balancer Controller, and who may reach them (the access guard: internal by default; internet-facing needs sourceCidrs or sso).' },
      ),
    ),
    network: Type.Optional(
      Type.Object(
        {
          loadBalancerCidrs: Type.Optional(
            Type.Array(Ipv4Cidr('An IPv4 CIDR inside the VPC, e.g. "10.40.48.0/20".'), {
              minItems: 1,
              maxItems: 16,
              uniqueItems: true,
              default: [...NETWORK_DEFAULTS.loadBalancerCidrs],
              description:
                'The VPC ranges of the load balancers\' own subnets, which hold no node and no Pod (terraform/ creates the subnets there and refuses a range that overlaps a node subnet). Only these ranges reach the front door\'s interceptor, and with ingress.mode "ingress-groups" the env ports. Default: 10.0.48.0/20, the range terraform/ keeps for load balancers in its default VPC 10.0.0.0/16; with another VPC CIDR, the same /20 of it (e.g. "10.40.48.0/20" for 10.40.0.0/16).',
            }),
          ),
        },
        { ...Strict, description: 'Addresses in the cluster\'s VPC that the generated NetworkPolicies and terraform/ share.' },
      ),
    ),
    kubernetesVersion: Type.Optional(
      Type.String({
        pattern: '^1\\.[0-9]{2}$',
        default: KUBERNETES_VERSION_DEFAULT,
        description: 'Kubernetes minor version of the cluster (terraform/ creates EKS at it); the sleep/wake jobs run the kubectl of the same minor (kubectl supports one minor of skew).',
        'x-hint': 'write a Kubernetes minor version, e.g. "1.35"',
      }),
    ),
    aws: Type.Optional(
      Type.Object(
        {
          allowedPolicies: Type.Array(PolicyArn('An IAM policy projects may request.'), {
            maxItems: 200,
            uniqueItems: true,
            description: 'The IAM policies projects may attach to their envs: a project\'s aws.policies must be listed here, and an empty list (or no aws) allows none (devfleet validate and the Terraform plan both refuse any other). Prefer customer-managed policies scoped to a project\'s own resources: AWS-managed policies (arn:aws:iam::aws:policy/...) are account-wide, e.g. AmazonS3ReadOnlyAccess reads every bucket of the account, the Terraform state bucket included. Keep broad policies (AdministratorAccess, IAMFullAccess) out.',
          }),
          permissionsBoundary: Type.Optional(PolicyArn('Ops\' own upper bound for every env\'s Pod Identity role: its statements become the Allow part of the boundary Terraform makes for project roles, whose Denies (IAM, role assumption, the EKS API, the platform\'s secrets, the Terraform state) always hold. Without it the boundary allows what the role\'s policies allow, minus those Denies.')),
        },
        { ...Strict, description: 'What AWS access projects may ask for in this cluster (reviewed by ops).' },
      ),
    ),
    storageClass: Type.Optional(DnsName(63, 'StorageClass of persistent volumes (the EFS CSI class the platform creates).', { default: STORAGE_CLASS_DEFAULT })),
    admins: Type.Optional(
      Type.Array(IamPrincipal('IAM user or role of one platform operator.'), {
        maxItems: 50,
        uniqueItems: true,
        default: [],
        description:
          'IAM users or roles of the people who run the platform (ops): terraform/ gives them cluster-admin through EKS access entries. Do not list a developer\'s principal here (one principal has one access entry).',
      }),
    ),
  },
  {
    ...Strict,
    $id: 'https://devfleet.dev/schema/cluster.schema.json',
    title: 'devfleet cluster',
    description: 'One EKS cluster: its domain, developers, schedule and GitOps source.',
  },
);

export type ClusterDefinition = Static<typeof ClusterSchema>;
export type DeveloperDefinition = ClusterDefinition['developers'][number];
