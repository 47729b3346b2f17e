/**
 * The env's Deployment: every container of the project in one Pod, created asleep.
 *
 * Development defaults, chosen on purpose (docs/envs.md "Development defaults"; docs/design-notes.md
 * "cdk8s and cdk8s-plus" lists the production-minded defaults of cdk8s-plus that this replaces):
 * - containers run as their image says (official nginx/mysql/postgres images run as root): no
 *   runAsNonRoot, no read-only root filesystem; the namespace's Pod Security "baseline" is the
 *   guard rail (no privileged Pods);
 * - but hardened where that costs dev images nothing (issue 10): no privilege escalation
 *   (setuid binaries, sudo) and the container runtime's default seccomp filter, unless the
 *   container's `security` opts out (securityContext()); and without NET_RAW (issue 17: raw
 *   sockets forge packets; only NET_RAW is dropped, as official images' root users need CHOWN,
 *   SETUID, SETGID and the other default capabilities);
 * - requests from the definition (small defaults), a memory limit equal to the memory request
 *   unless the definition sets one, no CPU limit; an ephemeral-storage request and limit on every
 *   container and a sizeLimit on every emptyDir (issue 17), so one env's logs or build cache get
 *   its own Pod evicted, never fill the node for everyone;
 * - no startup probe; a readiness probe only where the definition asks for one;
 * - imagePullPolicy IfNotPresent (a version tag or digest is required), unless the container sets
 *   its own (`Always` is how a definition follows `latest`, definitions/check-image.ts);
 * - Recreate strategy (two MySQLs must never share a data directory);
 * - the selector is the recommended labels (labels.ts), never a hashed label.
 * Fields Kubernetes would default anyway (restartPolicy, dnsPolicy, grace period, ...) are written
 * out, so the committed template shows what the Pod gets.
 */
import { k8s } from 'cdk8s-plus-27';
import { ownVolumes, sharedVolumeOf, type ContainerModel, type ProjectModel } from '../plan/model.ts';
import { FILES_POD_VOLUME, fileKey, filesConfigMapName, podVolumeName, secretFilesPodVolume } from '../plan/names.ts';
import type { ChartObject } from './chart-object.ts';
import { release, values } from './helm-text.ts';
import { chartLabels, scheduleLabels, selectorLabels } from './labels.ts';
import { volumeClaimName } from './persistent-volume-claim.ts';
import { ANNOTATIONS } from '../plan/labels.ts';

export function deployment(project: ProjectModel): ChartObject {
  const labels = chartLabels(project);
  return {
    file: 'deployment.yaml',
    object: k8s.KubeDeployment.manifest({
      metadata: {
        name: release('Name'),
        labels: { ...labels, ...scheduleLabels() },
        ...(project.description ? { annotations: { [ANNOTATIONS.description]: project.description } } : {}),
      },
      spec: {
        // Created asleep; Argo CD ignores /spec/replicas afterwards, so `devfleet up` and the
        // nightly sleep job own it.
        replicas: 0,
        minReadySeconds: 0,
        progressDeadlineSeconds: 600,
        selector: { matchLabels: selectorLabels(project) },
        strategy: { type: 'Recreate' },
        template: { metadata: { labels }, spec: podSpec(project) },
      },
    }),
  };
}

function podSpec(project: ProjectModel): k8s.PodSpec {
  const secrets = fileSecrets(project);
  const secretVolumes = new Map(secrets.map((secret, i) => [secret, secretFilesPodVolume(i)]));
  const volumes: k8s.Volume[] = [
    ...podVolumes(project),
    ...(project.containers.some((c) => c.files.some((f) => f.content !== undefined)) ? [{ name: FILES_POD_VOLUME, configMap: { name: filesConfigMapName(release('Name')) } }] : []),
    ...secrets.map((secret) => ({ name: secretVolumes.get(secret)!, secret: { secretName: secret } })),
  ];
  return {
    serviceAccountName: release('Name'),
    automountServiceAccountToken: false,
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    hostNetwork: false,
    setHostnameAsFqdn: false,
    terminationGracePeriodSeconds: 30,
    // The images' own users (official images run as root): see the header.
    securityContext: { runAsNonRoot: false, fsGroupChangePolicy: 'Always' },
    // Names the containers use for each other (e.g. a compose file's service names): they share localhost.
    ...(project.hostAliases.length > 0 ? { hostAliases: [{ ip: '127.0.0.1', hostnames: [...project.hostAliases] }] } : {}),
    containers: project.containers.map((c, i) => container(c, mountedVolumes(project, i), secretVolumes)),
    ...(volumes.length > 0 ? { volumes } : {}),
  };
}

/** The Secrets that containers mount files of, in order of first use: each gets one Pod volume. */
function fileSecrets(project: ProjectModel): string[] {
  return [...new Set(project.containers.flatMap((c) => c.files.flatMap((f) => (f.secret ? [f.secret.secret] : []))))];
}

/** The Pod volume each directory of container `c` mounts: its own, or the one of the earlier volume whose claim it shares. */
function mountedVolumes(project: ProjectModel, c: number): string[] {
  return project.containers[c]!.volumes.map((volume, v) => {
    const shared = sharedVolumeOf(project, { container: c, volume: v });
    return shared ? podVolumeName(project.containers[shared.container]!.name, project.containers[shared.container]!.volumes[shared.volume]!.name) : podVolumeName(project.containers[c]!.name, volume.name);
  });
}

function container(model: ContainerModel, volumeNames: readonly string[], secretVolumes: ReadonlyMap<string, string>): k8s.Container {
  const mounts: k8s.VolumeMount[] = [
    ...model.volumes.map((v, i) => ({ name: volumeNames[i]!, mountPath: v.path, ...(v.subPath !== undefined ? { subPath: v.subPath } : {}) })),
    // A single file: subPath mounts one key of the ConfigMap or Secret at the path, beside the image's other files.
    ...model.files.map((f, i) =>
      f.secret
        ? { name: secretVolumes.get(f.secret.secret)!, mountPath: f.path, subPath: f.secret.key, readOnly: true }
        : { name: FILES_POD_VOLUME, mountPath: f.path, subPath: fileKey(model.name, i), readOnly: true },
    ),
  ];
  return {
    name: model.name,
    image: values('images', model.key),
    imagePullPolicy: model.imagePullPolicy,
    ...(model.command ? { command: [...model.command] } : {}),
    ...(model.args ? { args: [...model.args] } : {}),
    ...(model.workingDir ? { workingDir: model.workingDir } : {}),
    ...(model.env.length > 0
      ? {
          env: model.env.map(([name, value]): k8s.EnvVar =>
            typeof value === 'string' ? { name, value } : { name, valueFrom: { secretKeyRef: { name: value.secret, key: value.key } } },
          ),
        }
      : {}),
    ...(model.ports.length > 0 ? { ports: model.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })) } : {}),
    ...readinessProbe(model),
    securityContext: securityContext(model),
    resources: {
      requests: {
        cpu: k8s.Quantity.fromString(model.resources.cpu),
        memory: k8s.Quantity.fromString(model.resources.memory),
        'ephemeral-storage': k8s.Quantity.fromString(model.resources.ephemeralStorage),
      },
      limits: { memory: k8s.Quantity.fromString(model.resources.memoryLimit), 'ephemeral-storage': k8s.Quantity.fromString(model.resources.ephemeralStorageLimit) },
    },
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
  };
}

/**
 * The container's hardening, from its `security` (defaults: SECURITY_DEFAULTS in
 * generators/schema/project.ts). Opting out of seccomp leaves the field unset (the node's default,
 * which is no filter unless the kubelet sets seccompDefault) rather than writing "Unconfined": Pod
 * Security "baseline", which the developer namespaces enforce, refuses an explicit Unconfined.
 * Ref https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 * Ref https://kubernetes.io/docs/tutorials/security/seccomp/
 */
function securityContext(model: ContainerModel): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: model.security.allowPrivilegeEscalation,
    ...(model.security.seccompProfile === 'RuntimeDefault' ? { seccompProfile: { type: 'RuntimeDefault' } } : {}),
    ...(model.security.allowNetRaw ? {} : { capabilities: { drop: ['NET_RAW'] } }),
  };
}

/** An HTTP GET on `path`, or a TCP connect without one, on the port the definition names. */
function readinessProbe(model: ContainerModel): { readinessProbe?: k8s.Probe } {
  const readiness = model.readiness;
  const port = model.ports.find((p) => p.name === readiness?.port)?.port;
  if (!readiness || port === undefined) return {};
  const action = readiness.path
    ? { httpGet: { path: readiness.path, port: k8s.IntOrString.fromNumber(port), scheme: 'HTTP' } }
    : { tcpSocket: { port: k8s.IntOrString.fromNumber(port) } };
  return { readinessProbe: { ...action, failureThreshold: 3 } };
}

/** A PVC for a persistent volume, an emptyDir with its size limit otherwise; one for a claim several containers share. */
function podVolumes(project: ProjectModel): k8s.Volume[] {
  return ownVolumes(project).map(({ containerModel: model, volumeModel: volume }) => ({
    name: podVolumeName(model.name, volume.name),
    ...(volume.persistent
      ? { persistentVolumeClaim: { claimName: volumeClaimName(model, volume), readOnly: false } }
      : { emptyDir: { sizeLimit: k8s.Quantity.fromString(volume.size) } }),
  }));
}
