/**
 * The Kubernetes objects of one project's Helm chart, built with cdk8s and cdk8s-plus-27.
 *
 * One chart per (cluster, project), not per env: per-env differences (developer, hosts, ALB
 * group, images) are Helm values that each env's Argo CD Application sets.
 *
 * cdk8s-plus-27's defaults are production-minded; for development images we choose instead
 * (design.md section 9), and say so in the schema:
 * - containers run as their image says (official nginx/mysql/postgres images run as root): no
 *   runAsNonRoot, no read-only root filesystem; the namespace's Pod Security "baseline" is the
 *   guard rail (no privileged Pods);
 * - requests from the definition (small defaults), a memory limit equal to the memory request,
 *   no CPU limit;
 * - no startup probe; a readiness probe only where the definition asks for one;
 * - imagePullPolicy IfNotPresent; Recreate strategy (two MySQLs must never share a data dir);
 * - our own selector on the recommended labels, not cdk8s' hashed `metadata.addr` label.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { ClusterModel, ContainerModel, ProjectModel } from '../plan/model.ts';
import { claimName, podVolumeName } from '../plan/names.ts';
import { release, values } from './helm-text.ts';

/** Annotations that keep a PVC's data when its env, project or developer goes away. */
export const KEEP_DATA_ANNOTATIONS = {
  'helm.sh/resource-policy': 'keep',
  'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
} as const;

export interface ChartObject {
  /** Template file name under templates/, e.g. `deployment.yaml`. */
  readonly file: string;
  /** The object, with substitution markers (see helm-text.ts). */
  readonly object: Record<string, unknown>;
}

/** Labels every object of a project's env carries. */
export function chartLabels(project: ProjectModel): Record<string, string> {
  return {
    'app.kubernetes.io/name': project.name,
    'app.kubernetes.io/instance': release('Name'),
    'app.kubernetes.io/part-of': 'devfleet',
    'app.kubernetes.io/managed-by': 'devfleet',
    'devfleet.dev/project': project.name,
    'devfleet.dev/developer': values('developer'),
  };
}

/**
 * The labels the namespace's sleep and wake CronJobs select Deployments by (see
 * generators/cluster/schedule-jobs.ts). On the Deployment only, not the Pod template, so a schedule
 * change never restarts a Pod.
 */
export function scheduleLabels(): Record<string, string> {
  return { [SLEEP_LABEL]: values('schedule', 'sleep'), [WAKE_LABEL]: values('schedule', 'wake') };
}

export const SLEEP_LABEL = 'devfleet.dev/sleep';
export const WAKE_LABEL = 'devfleet.dev/wake';

export function selectorLabels(project: ProjectModel): Record<string, string> {
  return { 'app.kubernetes.io/name': project.name, 'app.kubernetes.io/instance': release('Name') };
}

export function buildProjectChart(cluster: ClusterModel, project: ProjectModel): ChartObject[] {
  const app = new App();
  const chart = new Chart(app, project.name, { disableResourceNameHashes: true });
  const labels = chartLabels(project);
  const name = release('Name');
  const files = new Map<ApiObject, string>();

  const serviceAccount = new kplus.ServiceAccount(chart, 'service-account', {
    metadata: { name, labels },
    // Pod Identity and IRSA mount their own tokens; the API token is not needed by dev apps.
    automountToken: false,
  });
  files.set(ApiObject.of(serviceAccount), 'serviceaccount.yaml');

  const claims = new Map<string, kplus.IPersistentVolumeClaim>();
  for (const container of project.containers) {
    for (const volume of container.volumes.filter((v) => v.persistent)) {
      const claim = claimName(name, container.name, volume.name);
      const pvc = new kplus.k8s.KubePersistentVolumeClaim(chart, `pvc-${container.name}-${volume.name}`, {
        metadata: { name: claim, labels: { ...labels, 'app.kubernetes.io/component': container.name }, annotations: { ...KEEP_DATA_ANNOTATIONS } },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: cluster.storageClass,
          resources: { requests: { storage: kplus.k8s.Quantity.fromString(volume.size ?? '1Gi') } },
        },
      });
      files.set(pvc, `persistentvolumeclaim-${container.name}-${volume.name}.yaml`);
      claims.set(`${container.name}/${volume.name}`, kplus.PersistentVolumeClaim.fromClaimName(chart, `ref-${container.name}-${volume.name}`, claim));
    }
  }

  const deployment = new kplus.Deployment(chart, 'deployment', {
    metadata: { name, labels: { ...labels, ...scheduleLabels() }, annotations: project.description ? { 'devfleet.dev/description': project.description } : {} },
    // Created asleep; Argo CD ignores /spec/replicas afterwards, so `devfleet up` and the
    // nightly sleep job own it.
    replicas: 0,
    select: false,
    podMetadata: { labels },
    serviceAccount,
    automountServiceAccountToken: false,
    strategy: kplus.DeploymentStrategy.recreate(),
    securityContext: { ensureNonRoot: false },
  });
  deployment.select(kplus.LabelSelector.of({ labels: selectorLabels(project) }));
  for (const container of project.containers) addContainer(chart, deployment, container, claims);
  files.set(ApiObject.of(deployment), 'deployment.yaml');

  const servicePorts = project.containers.flatMap((c) => c.ports.map((p) => ({ ...p, container: c.name })));
  if (servicePorts.length > 0) {
    const service = new kplus.Service(chart, 'service', {
      metadata: { name, labels },
      ports: servicePorts.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.port,
        protocol: p.protocol === 'UDP' ? kplus.Protocol.UDP : kplus.Protocol.TCP,
      })),
    });
    for (const [key, value] of Object.entries(selectorLabels(project))) service.selectLabel(key, value);
    const serviceObject = ApiObject.of(service);
    serviceObject.addJsonPatch(JsonPatch.remove('/spec/externalIPs'));
    files.set(serviceObject, 'service.yaml');

    if (project.routes.length > 0) {
      const ingress = new kplus.k8s.KubeIngress(chart, 'ingress', {
        metadata: { name, labels, annotations: ingressAnnotations(cluster) },
        spec: {
          ingressClassName: cluster.ingress.className,
          rules: project.routes.map((route) => ({
            host: values('hosts', route.key),
            http: {
              paths: [
                {
                  path: route.path,
                  pathType: 'Prefix',
                  backend: { service: { name, port: { name: route.port } } },
                },
              ],
            },
          })),
        },
      });
      files.set(ingress, 'ingress.yaml');
    }
  }

  return chart.toJson().map((object: Record<string, unknown>) => {
    const match = [...files].find(([apiObject]) => apiObject.name === (object.metadata as { name: string }).name && apiObject.kind === object.kind);
    if (!match) throw new Error(`internal: no template file for ${String(object.kind)}`);
    if (object.kind === 'Deployment') applyDevDefaults(object, project);
    return { file: match[1], object };
  });
}

/**
 * AWS Load Balancer Controller annotations: one ALB per IngressGroup, HTTPS with the certificate
 * discovered from the host (ACM wildcard `*.<domain>`), HTTP redirected to HTTPS, Pod IPs as targets.
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 */
export function ingressAnnotations(cluster: ClusterModel): Record<string, string> {
  return {
    'alb.ingress.kubernetes.io/group.name': values('ingressGroup'),
    'alb.ingress.kubernetes.io/scheme': cluster.ingress.scheme,
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
    'alb.ingress.kubernetes.io/ssl-redirect': '443',
    'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  };
}

function addContainer(
  chart: Chart,
  deployment: kplus.Deployment,
  container: ContainerModel,
  claims: Map<string, kplus.IPersistentVolumeClaim>,
): void {
  const readiness = container.readiness;
  const readinessPort = readiness ? container.ports.find((p) => p.name === readiness.port)?.port : undefined;
  const added = deployment.addContainer({
    name: container.name,
    image: values('images', container.key),
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    ...(container.command ? { command: [...container.command] } : {}),
    ...(container.args ? { args: [...container.args] } : {}),
    ...(container.workingDir ? { workingDir: container.workingDir } : {}),
    ports: container.ports.map((p) => ({ number: p.port, name: p.name, protocol: p.protocol === 'UDP' ? kplus.Protocol.UDP : kplus.Protocol.TCP })),
    envVariables: Object.fromEntries(
      container.env.map(([key, value]) => [
        key,
        typeof value === 'string'
          ? kplus.EnvValue.fromValue(value)
          : kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(chart, `secret-${container.name}-${key}`, value.secret), key: value.key }),
      ]),
    ),
    ...(readiness && readinessPort !== undefined
      ? {
          readiness: readiness.path
            ? kplus.Probe.fromHttpGet(readiness.path, { port: readinessPort })
            : kplus.Probe.fromTcpSocket({ port: readinessPort }),
        }
      : {}),
  });
  for (const volume of container.volumes) {
    const volumeName = podVolumeName(container.name, volume.name);
    const claim = claims.get(`${container.name}/${volume.name}`);
    const source = claim
      ? kplus.Volume.fromPersistentVolumeClaim(chart, `volume-${volumeName}`, claim, { name: volumeName })
      : kplus.Volume.fromEmptyDir(chart, `volume-${volumeName}`, volumeName);
    added.mount(volume.path, source);
  }
}

/**
 * Our development defaults over cdk8s-plus' production ones, applied to the synthesised
 * Deployment (plain data, so the result is exactly what the definition says):
 * exact quantities (cdk8s-plus would turn 1Gi into 1024Mi), no CPU limit, the image's own
 * security context, no default startup probe, no hashed `cdk8s.io/metadata.addr` label, and
 * emptyDir size limits as written.
 */
function applyDevDefaults(deployment: Record<string, unknown>, project: ProjectModel): void {
  type PodSpec = {
    containers: Record<string, unknown>[];
    volumes?: { name: string; emptyDir?: Record<string, unknown> }[];
  };
  const template = (deployment.spec as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } }).template;
  delete template.metadata.labels['cdk8s.io/metadata.addr'];
  project.containers.forEach((container, index) => {
    const out = template.spec.containers[index]!;
    out.resources = {
      requests: { cpu: container.resources.cpu, memory: container.resources.memory },
      limits: { memory: container.resources.memoryLimit },
    };
    delete out.securityContext;
    delete out.startupProbe;
    for (const volume of container.volumes) {
      if (volume.persistent || !volume.size) continue;
      const podVolume = template.spec.volumes?.find((v) => v.name === podVolumeName(container.name, volume.name));
      if (podVolume?.emptyDir) podVolume.emptyDir = { sizeLimit: volume.size };
    }
  });
}
