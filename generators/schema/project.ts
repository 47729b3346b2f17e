/**
 * The project definition: one application, one Pod of one or more containers.
 * Source of truth for `schema/project.schema.json` and the `ProjectDefinition` type.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  ByteQuantity, CLAIM_NAME_MAX, CONTAINER_NAME_MAX, DEVELOPER_NAME_MAX, DNS_LABEL_MAX, DnsName, PolicyArn, PROJECT_NAME_MAX, Quantity, ROUTE_HOST_MAX, ROUTE_LABEL_MAX, ScheduleOverride, Strict, VOLUME_NAME_MAX,
} from './common.ts';

export { CONTAINER_NAME_MAX, PROJECT_NAME_MAX, ROUTE_LABEL_MAX, VOLUME_NAME_MAX } from './common.ts';

/** Dev-friendly defaults; documented in the schema so editors show them. */
export const CONTAINER_DEFAULTS = {
  cpu: '50m',
  memory: '128Mi',
  volumeSize: '1Gi',
  /**
   * Node disk outside volumes (the container's writable layer and its logs): a development server
   * writes logs and a few caches, so 256Mi is what the scheduler reserves on the node, and 2Gi is
   * the most it may write before the kubelet evicts its Pod (and nobody else's). A node's disk
   * (80Gi, terraform/modules/platform/karpenter.tf) then holds several such envs and their images.
   */
  ephemeralStorage: '256Mi',
  ephemeralStorageLimit: '2Gi',
} as const;

/**
 * An environment variable name as every Kubernetes API server accepts it:
 * `[-._a-zA-Z][-._a-zA-Z0-9]*`, and not ".", ".." or a name starting with ".." (apimachinery's
 * validation.IsEnvVarName, the rule of Kubernetes 1.32 when its RelaxedEnvironmentVariableValidation
 * gate is off; the gate, beta in 1.32 and GA in 1.34, accepts more, so this rule holds on every
 * cluster devfleet supports). Elasticsearch (`discovery.type`), Spring and .NET images read such names.
 * Env names are never Helm values keys (the chart writes them as literal text), so `.` and `-` are safe here.
 * Ref https://www.kubernetes.dev/resources/keps/4369/
 */
export const ENV_NAME_PATTERN = '^(?!\\.\\.)(?!\\.$)[-._a-zA-Z][-._a-zA-Z0-9]*$';

const PortName = Type.String({
  // IANA service name, as Kubernetes requires for container port names.
  pattern: '^(?=.*[a-z])[a-z0-9](?:-?[a-z0-9])*$',
  maxLength: 15,
  description: 'Port name (IANA service name: at most 15 lower-case letters, digits and single hyphens, at least one letter). Routes refer to it.',
  'x-hint': 'use at most 15 lower-case letters, digits and single hyphens, e.g. "http" or "api"',
});

const Port = Type.Object(
  {
    name: PortName,
    port: Type.Integer({ minimum: 1, maximum: 65535, description: 'Port the container listens on.' }),
    protocol: Type.Optional(
      Type.Union([Type.Literal('TCP'), Type.Literal('UDP')], { default: 'TCP', description: 'Transport protocol.' }),
    ),
  },
  { ...Strict, description: 'A port the container listens on; it is exposed on the env\'s Service under the same name.' },
);

const SecretRef = Type.Object(
  {
    secret: Type.String({
      pattern: '^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$',
      description: 'Name of a Secret in the developer\'s namespace.',
      'x-hint': 'use a Kubernetes object name: lower-case letters, digits, "-" and "."',
    }),
    key: Type.String({
      pattern: '^[-._a-zA-Z0-9]{1,253}$',
      description: 'Key inside the Secret.',
      'x-hint': 'use letters, digits, "-", "_" and "."',
    }),
  },
  { ...Strict, description: 'Read the value from a Secret in the developer\'s namespace.' },
);

const EnvValue = Type.Union([Type.String({ maxLength: 32768 }), SecretRef], {
  description: 'A literal string, or { secret, key } to read it from a Secret.',
});

/** A volume's subPath: relative, no "." or ".." part (Kubernetes refuses one that is absolute or climbs out of the volume). */
export const SUB_PATH_PATTERN = '^(?!\\.\\.?(?:/|$))(?!.*/\\.\\.?(?:/|$))[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*$';

const Volume = Type.Object(
  {
    path: Type.String({
      pattern: '^/[^\\u0000]*$',
      maxLength: 1024,
      description: 'Absolute path inside the container.',
      'x-hint': 'write an absolute path, e.g. "/var/lib/mysql"',
    }),
    name: Type.Optional(
      DnsName(VOLUME_NAME_MAX, 'Name of the volume, unique in its container. Default: derived from the last part of `path` (e.g. "mysql" for "/var/lib/mysql"). Part of the PVC name, so changing it loses the data (unless `claimName` keeps the old claim).'),
    ),
    claimName: Type.Optional(
      DnsName(
        CLAIM_NAME_MAX,
        'Persistent volumes only: the name of its PersistentVolumeClaim, instead of the derived "<project>-<container>-<volume>". Set it to the current claim (see the chart\'s templates) to keep the data when you rename the container or the volume. Must start with "<project>-" and be unique in every namespace of the project\'s envs; persistent volumes of this project that name the same claimName (with one size) share one volume, e.g. an app and its cron job, each mounting it at its own path (validate checks all three).',
      ),
    ),
    subPath: Type.Optional(
      Type.String({
        pattern: SUB_PATH_PATTERN,
        maxLength: 1024,
        description:
          'A folder inside the volume to mount at `path` instead of the volume\'s root (Kubernetes\' subPath; the kubelet creates it when missing), e.g. "logs" on a volume whose claimName another mount mounts whole: a folder and a folder inside it, as a docker-compose file bind-mounts them, stay one volume.',
        'x-hint': 'write a relative path inside the volume, e.g. "logs" or "uploads/thumbnails" (no "..", no leading "/")',
      }),
    ),
    persistent: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Keep the data on a PersistentVolumeClaim (never pruned, never deleted by Argo CD or Helm). false: an emptyDir that lives as long as the Pod.',
      }),
    ),
    size: Type.Optional(
      ByteQuantity(
        `Requested size of a persistent volume; for a non-persistent one, the emptyDir's sizeLimit (the kubelet evicts the Pod when it holds more). A non-persistent volume is on the node's disk, so its size also raises its container's default ephemeralStorageLimit. Default: ${CONTAINER_DEFAULTS.volumeSize}.`,
        '5Gi',
        { default: CONTAINER_DEFAULTS.volumeSize },
      ),
    ),
  },
  { ...Strict, description: 'A directory of the container backed by a volume.' },
);

/** Text of one file the chart writes into the env's ConfigMap; all files of a project share its 1 MiB (Kubernetes' limit). */
export const FILE_CONTENT_MAX = 64 * 1024;

const FilePath = Type.String({
  pattern: '^/[^\\u0000]*[^/]$',
  maxLength: 1024,
  description: 'Absolute path of the file inside the container.',
  'x-hint': 'write an absolute file path, e.g. "/etc/nginx/conf.d/default.conf"',
});

const File = Type.Union(
  [
    Type.Object(
      {
        path: FilePath,
        content: Type.String({ maxLength: FILE_CONTENT_MAX, description: 'The file\'s text, kept in the env\'s ConfigMap "<release>-files".' }),
      },
      { ...Strict, description: 'A configuration file written by the chart (a ConfigMap), mounted read-only at `path`.' },
    ),
    Type.Object(
      {
        path: FilePath,
        secret: SecretRef.properties.secret,
        key: SecretRef.properties.key,
      },
      { ...Strict, description: 'One key of a Secret in the developer\'s namespace (see `secrets`), mounted read-only as a file at `path`, e.g. "/run/secrets/db-password".' },
    ),
  ],
  { description: '{ path, content } for a configuration file, or { path, secret, key } for a Secret\'s key as a file.' },
);

const Resources = Type.Object(
  {
    cpu: Type.Optional(
      Quantity('CPU request. No CPU limit is set: a development Pod may burst on an idle node.', '500m', {
        default: CONTAINER_DEFAULTS.cpu,
      }),
    ),
    memory: Type.Optional(
      ByteQuantity('Memory request, and the memory limit unless `memoryLimit` is set.', '512Mi', {
        default: CONTAINER_DEFAULTS.memory,
      }),
    ),
    memoryLimit: Type.Optional(ByteQuantity('Memory limit, when it must differ from the request.', '1Gi')),
    ephemeralStorage: Type.Optional(
      ByteQuantity('Ephemeral-storage request: node disk the scheduler reserves for the container\'s writable layer, logs and non-persistent volumes.', '1Gi', {
        default: CONTAINER_DEFAULTS.ephemeralStorage,
      }),
    ),
    ephemeralStorageLimit: Type.Optional(
      ByteQuantity(
        `Ephemeral-storage limit: the most node disk the container's writable layer, logs and non-persistent volumes may use before the kubelet evicts the Pod. Default: ${CONTAINER_DEFAULTS.ephemeralStorageLimit} plus the size of each non-persistent volume of the container; when set, it must be at least those sizes.`,
        '4Gi',
      ),
    ),
  },
  {
    ...Strict,
    description: `Resources of the container. Defaults are sized for development: cpu ${CONTAINER_DEFAULTS.cpu}, memory ${CONTAINER_DEFAULTS.memory}, ephemeral storage ${CONTAINER_DEFAULTS.ephemeralStorage} requested and ${CONTAINER_DEFAULTS.ephemeralStorageLimit} (plus non-persistent volumes) at most. All must fit the cluster's quota.`,
  },
);

const Readiness = Type.Object(
  {
    port: PortName,
    path: Type.Optional(
      Type.String({
        pattern: '^/[\\x21-\\x7e]*$',
        maxLength: 1024,
        description: 'HTTP path to GET; without it a TCP connection to the port is the check.',
        'x-hint': 'write a path starting with "/", e.g. "/healthz"',
      }),
    ),
  },
  { ...Strict, description: 'When the container is ready to take traffic. Default: no readiness check.' },
);

/**
 * Hardening every project container gets by default; a container that really needs more says so
 * here, in review. Pod Security "baseline" (enforced on every developer namespace) still refuses
 * privileged containers whatever this says.
 */
export const SECURITY_DEFAULTS = { allowPrivilegeEscalation: false, seccompProfile: 'RuntimeDefault', allowNetRaw: false } as const;

const Security = Type.Object(
  {
    allowPrivilegeEscalation: Type.Optional(
      Type.Boolean({
        default: SECURITY_DEFAULTS.allowPrivilegeEscalation,
        description: 'Let processes gain more privileges than their parent (setuid binaries, sudo). Off by default; turn on only for images that need it.',
      }),
    ),
    seccompProfile: Type.Optional(
      Type.Union([Type.Literal('RuntimeDefault'), Type.Literal('Unconfined')], {
        default: SECURITY_DEFAULTS.seccompProfile,
        description: 'Seccomp profile: "RuntimeDefault" (the container runtime\'s default filter of dangerous system calls) or "Unconfined" (no filter; for debuggers and some profilers).',
      }),
    ),
    allowNetRaw: Type.Optional(
      Type.Boolean({
        default: SECURITY_DEFAULTS.allowNetRaw,
        description: 'Keep the NET_RAW capability (raw sockets: ping, traceroute, tcpdump), which also lets a process forge packets on the node\'s network. Dropped by default; only NET_RAW is dropped, the image keeps the other default capabilities its root user needs (chown, setuid, ...).',
      }),
    ),
  },
  { ...Strict, description: `Opt-outs from the default hardening (allowPrivilegeEscalation: false, seccomp RuntimeDefault, NET_RAW dropped).` },
);

/** The kubelet's pull policy when a container sets none: a version tag or digest does not move, so a node's copy is the image. */
export const IMAGE_PULL_POLICY_DEFAULT = 'IfNotPresent' as const;

const Container = Type.Object(
  {
    name: DnsName(CONTAINER_NAME_MAX, 'Container name, unique in the project.'),
    image: Type.String({
      // registry/path:tag or @sha256 digest; a tag or a digest is required so envs are reproducible.
      // "latest" moves, so it is accepted only beside `imagePullPolicy: Always`, a sibling field this
      // pattern cannot see: generators/definitions/check-image.ts checks that, and explains each
      // failure of this pattern in words.
      pattern:
        '^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::(?!latest@)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(?:@sha256:[a-f0-9]{64})?|@sha256:[a-f0-9]{64})$',
      maxLength: 512,
      description:
        'Container image pinned by a version tag or a digest, e.g. "nginx:1.27" or "ghcr.io/acme/api@sha256:..."; "latest" moves (envs started at different times would run different images), so it is accepted only with `imagePullPolicy: Always`, as an explicit choice to follow it.',
      'x-hint': 'give the image a tag or a digest, e.g. "nginx:1.27" or "nginx@sha256:<64 hex characters>" (or ":latest" with imagePullPolicy: Always)',
    }),
    imagePullPolicy: Type.Optional(
      Type.Union([Type.Literal('Always'), Type.Literal('IfNotPresent'), Type.Literal('Never')], {
        default: IMAGE_PULL_POLICY_DEFAULT,
        description:
          'When the kubelet pulls the image (Kubernetes\' own values): "IfNotPresent" (default: a node keeps the copy it has, right for a version tag or a digest), "Always" (each Pod start asks the registry; required to follow "latest"), "Never" (only an image already on the node).',
      }),
    ),
    command: Type.Optional(Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 64, description: 'Replaces the image\'s ENTRYPOINT.' })),
    args: Type.Optional(Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 256, description: 'Replaces the image\'s CMD.' })),
    workingDir: Type.Optional(Type.String({ pattern: '^/', maxLength: 1024, description: 'Working directory.', 'x-hint': 'write an absolute path' })),
    env: Type.Optional(
      Type.Record(
        Type.String({ pattern: ENV_NAME_PATTERN }),
        EnvValue,
        {
          description: 'Environment variables by name: letters, digits, "_", "-" and ".", not starting with a digit (Kubernetes\' rule), e.g. "DB_HOST" or "discovery.type".',
          maxProperties: 256,
          additionalProperties: false,
          'x-key-hint': 'use letters, digits, "_", "-" and ".", not starting with a digit (and not ".", ".." or "..<anything>"), e.g. "DB_HOST" or "discovery.type"',
        },
      ),
    ),
    ports: Type.Optional(Type.Array(Port, { maxItems: 20, description: 'Ports the container listens on.' })),
    resources: Type.Optional(Resources),
    volumes: Type.Optional(Type.Array(Volume, { maxItems: 10, description: 'Directories backed by volumes.' })),
    files: Type.Optional(Type.Array(File, { maxItems: 20, description: 'Single files mounted read-only into the container: configuration text, or a Secret\'s key (e.g. a docker-compose file\'s bind-mounted config files and secrets).' })),
    readiness: Type.Optional(Readiness),
    security: Type.Optional(Security),
  },
  { ...Strict, description: 'One container of the project\'s Pod.' },
);

const Route = Type.Object(
  {
    host: Type.String({
      // No label (between dots) longer than DNS allows, then dot-separated words.
      pattern: `^(?![^.]{${DNS_LABEL_MAX + 1}})(?!.*\\.[^.]{${DNS_LABEL_MAX + 1}})[a-z](?:-?[a-z0-9])*(?:\\.[a-z](?:-?[a-z0-9])*)*$`,
      maxLength: ROUTE_HOST_MAX,
      'x-max-reason': `DNS's limit for a host name; the env's own DNS label is made from it and shortened with a hash when long, or chosen with \`subdomain\``,
      description:
        'The public name of this entry point, e.g. "my-app.com" or "api.my-app.com". Each env serves it as the single DNS label "<host with dots as hyphens>--<developer>" under the cluster domain (cut to 63 characters, ending in a hash of the whole label, when longer), so one wildcard certificate covers the fleet.',
      'x-hint': `use dot-separated lower-case words, each starting with a letter, no "--", at most ${DNS_LABEL_MAX} characters between dots and ${ROUTE_HOST_MAX} in all, e.g. "api.my-app.com"`,
    }),
    port: PortName,
    path: Type.Optional(
      Type.String({ pattern: '^/[\\x21-\\x7e]*$', maxLength: 256, default: '/', description: 'Path prefix served by this route.', 'x-hint': 'write a path starting with "/"' }),
    ),
    subdomain: Type.Optional(
      DnsName(ROUTE_LABEL_MAX, 'Overrides the first part of the env\'s DNS label (default: `host` with dots as hyphens).', {
        'x-max-reason': 'the env\'s DNS label "<subdomain>--<developer>" must stay readable within DNS\'s 63 characters per label',
      }),
    ),
  },
  { ...Strict, description: 'A public HTTPS entry point, routed to a container port by name.' },
);

export const ProjectSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Path or URL of this JSON Schema, for editors.' })),
    name: DnsName(PROJECT_NAME_MAX, 'Project name; equals the file name (projects/<name>.ts|.yaml|.json).'),
    description: Type.Optional(Type.String({ maxLength: 300, description: 'One line shown in listings and in Argo CD.' })),
    containers: Type.Array(Container, { minItems: 1, maxItems: 10, description: 'The containers of the project\'s Pod.' }),
    routes: Type.Optional(Type.Array(Route, { maxItems: 10, description: 'Public entry points.' })),
    developers: Type.Optional(
      Type.Union([Type.Literal('all'), Type.Array(DnsName(DEVELOPER_NAME_MAX, 'Developer name from the cluster definition.'), { minItems: 1, uniqueItems: true })], {
        default: 'all',
        description: '"all" (default), or the names of the developers who get an env of this project.',
      }),
    ),
    schedule: Type.Optional(ScheduleOverride('Overrides the cluster\'s sleep/wake schedule for this project\'s envs.')),
    hostAliases: Type.Optional(
      Type.Array(
        Type.String({
          // A DNS-1123 subdomain, as Kubernetes requires of a Pod's hostAliases hostnames.
          pattern: '^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$',
          description: 'A host name that resolves to the Pod itself.',
          'x-hint': 'use lower-case letters, digits, "-" and ".", e.g. "db"',
        }),
        {
          maxItems: 50,
          uniqueItems: true,
          description:
            'Host names that resolve to 127.0.0.1 in every container of the Pod (its /etc/hosts), e.g. the service names of a docker-compose file: the containers share localhost, so "db:3306" in an app\'s configuration reaches the db container.',
        },
      ),
    ),
    secrets: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$' }),
        Type.Union(
          [
            Type.Object(
              {
                generate: Type.Literal('password', { description: 'A random password made in the cluster when the env is first created, and kept (External Secrets\' Password generator): for a database the env runs itself. Every key the project reads from this Secret gets it.' }),
                length: Type.Optional(Type.Integer({ minimum: 16, maximum: 128, default: 32, description: 'Length of the generated password.' })),
              },
              { ...Strict, description: 'Made in the cluster: nobody has to create anything.' },
            ),
            Type.Object(
              {
                remoteKey: Type.Optional(
                  Type.String({
                    pattern: '^[A-Za-z0-9/_+=.@-]{1,512}$',
                    description:
                      'Name of the AWS Secrets Manager secret to read, instead of the convention "devfleet/<cluster>/<project>/<secret>". It must be under this project\'s own prefix "devfleet/<cluster>/<project>/", or be a key another project shares with this one (its `shareWith`); no empty, "." or ".." segments.',
                    'x-hint': 'write a Secrets Manager secret name under this project\'s prefix, e.g. "devfleet/dev/shop/stripe"',
                  }),
                ),
                shareWith: Type.Optional(
                  Type.Array(DnsName(PROJECT_NAME_MAX, 'A project that may read this secret too.'), {
                    maxItems: 50,
                    uniqueItems: true,
                    default: [],
                    description:
                      'Projects that may also read this secret from Secrets Manager: each names it in its own `secrets` with `remoteKey` set to this secret\'s name ("devfleet/<cluster>/<this project>/<secret>", or this entry\'s remoteKey). Without it, no other project may read keys under this project\'s prefix. Only keys under this project\'s own prefix can be shared.',
                  }),
                ),
              },
              { ...Strict, description: 'Read from AWS Secrets Manager (under the convention, or `remoteKey`), and optionally share it with other projects (`shareWith`).' },
            ),
          ],
          { description: '{ generate: "password" }, or { remoteKey: "...", shareWith: [...] } (both optional).' },
        ),
        {
          maxProperties: 20,
          additionalProperties: false,
          'x-key-hint': 'use a Kubernetes object name: lower-case letters, digits, "-" and "."',
          description:
            'Where the Secrets the containers read ({ secret, key } env values) come from. Each is materialised in every env by External Secrets. A Secret not listed here is read from AWS Secrets Manager at "devfleet/<cluster>/<project>/<secret>" (a JSON object; key = property).',
        },
      ),
    ),
    swap: Type.Optional(
      Type.Object(
        { container: DnsName(CONTAINER_NAME_MAX, 'The container `devfleet swap` replaces by default.') },
        { ...Strict, description: 'Defaults for `devfleet swap`.' },
      ),
    ),
    aws: Type.Optional(
      Type.Object(
        {
          policies: Type.Array(
            PolicyArn('ARN of an AWS managed or customer managed IAM policy; it must be listed in the cluster\'s aws.allowedPolicies.'),
            {
              minItems: 1,
              // IAM's default quota of managed policies attached to one role.
              maxItems: 10,
              uniqueItems: true,
              description: 'IAM policies attached to the project\'s role (at most 10, IAM\'s default per-role quota).',
            },
          ),
        },
        {
          ...Strict,
          description:
            'AWS access of this project\'s envs through EKS Pod Identity: terraform/ creates one IAM role per project with these policies and associates it with the env\'s ServiceAccount (named after the project) in each developer namespace. Sessions carry the tags kubernetes-namespace and kubernetes-service-account, so a policy can tell developers apart.',
        },
      ),
    ),
  },
  {
    ...Strict,
    $id: 'https://devfleet.dev/schema/project.schema.json',
    title: 'devfleet project',
    description: 'One application: a Pod of one or more containers, deployed as one env per developer.',
  },
);

export type ProjectDefinition = Static<typeof ProjectSchema>;
export type ContainerDefinition = ProjectDefinition['containers'][number];
export type RouteDefinition = NonNullable<ProjectDefinition['routes']>[number];
export type VolumeDefinition = NonNullable<ContainerDefinition['volumes']>[number];
export type PortDefinition = NonNullable<ContainerDefinition['ports']>[number];
