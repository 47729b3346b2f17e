/**
 * Contract checks on what devfleet generates, beyond the schemas: what Argo CD, Helm, the API
 * server and the developers rely on (labels, names, data safety, sleep/wake, references between
 * objects). Each function returns every broken rule as a readable line; a test expects [].
 *
 * Expectations come from the definitions (the plan's models), never from the generated text.
 */
import { parse } from 'yaml';
import { applicationName, hostLabel, LIMITS, namespaceName } from '../../generators/plan/names.ts';
import type { Env, ClusterPlan } from '../../generators/plan/plan.ts';
import { addQuantities, compareQuantities, formatBytes, parseQuantity } from '../../generators/util/quantity.ts';
import {
  describe as describeObject,
  globMatches,
  isDnsLabel,
  isPortName,
  labelMapErrors,
  mergeValues,
  metadataErrors,
  newJsonSchemaAjv,
  parseManifests,
  schemaErrors,
  type KubeObject,
  type SourcedObject,
} from './kube-schemas.ts';

export const ARGOCD_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** A cdk8s-style hash suffix (`-` and 8 hex digits with at least one digit), which devfleet must never emit. */
const HASH_SUFFIX = /-(?=[0-9a-f]*[0-9])[0-9a-f]{8}$/;

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The Pod spec an object runs (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod), if any. */
function podSpecOf(object: KubeObject): Obj | undefined {
  const spec = obj(object.spec);
  switch (object.kind) {
    case 'Pod':
      return spec;
    case 'CronJob':
      return obj(obj(obj(obj(spec.jobTemplate).spec).template).spec);
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return obj(obj(spec.template).spec);
    default:
      return undefined;
  }
}

const isQuantity = (value: unknown): value is string => {
  try {
    return typeof value === 'string' && (parseQuantity(value), true);
  } catch {
    return false;
  }
};

/**
 * Node disk and capabilities of every Pod an object runs (issue 17): every container and init
 * container requests and limits ephemeral storage (request <= limit), every emptyDir on node disk
 * has a sizeLimit and together they fit the Pod's ephemeral-storage limit (the kubelet counts them
 * toward it), and every container drops NET_RAW (or ALL) unless its name is in `netRawAllowed`.
 */
export function podBoundsErrors(object: KubeObject, where: string, netRawAllowed: ReadonlySet<string> = new Set()): string[] {
  const pod = podSpecOf(object);
  if (!pod) return [];
  const errors: string[] = [];
  const containers = arr(pod.containers).map(obj);
  const limits: string[] = [];
  for (const container of [...arr(pod.initContainers).map(obj), ...containers]) {
    const at = `${where}: container ${String(container.name)}`;
    const resources = obj(container.resources);
    const request = obj(resources.requests)['ephemeral-storage'];
    const limit = obj(resources.limits)['ephemeral-storage'];
    if (!isQuantity(request)) errors.push(`${at}: no ephemeral-storage request (${JSON.stringify(request)})`);
    if (!isQuantity(limit)) errors.push(`${at}: no ephemeral-storage limit (${JSON.stringify(limit)})`);
    else if (isQuantity(request) && compareQuantities(parseQuantity(request), parseQuantity(limit)) > 0) errors.push(`${at}: ephemeral-storage request ${request} above its limit ${limit}`);
    if (containers.includes(container) && isQuantity(limit)) limits.push(limit);
    const drop = arr(obj(obj(container.securityContext).capabilities).drop).map(String);
    const add = arr(obj(obj(container.securityContext).capabilities).add).map(String);
    const dropsNetRaw = (drop.includes('NET_RAW') || drop.includes('ALL')) && !add.includes('NET_RAW');
    if (netRawAllowed.has(String(container.name))) {
      if (dropsNetRaw) errors.push(`${at}: drops NET_RAW, though its definition keeps it (security.allowNetRaw)`);
    } else if (!dropsNetRaw) errors.push(`${at}: keeps NET_RAW (capabilities ${JSON.stringify(obj(container.securityContext).capabilities)})`);
  }
  const emptyDirs = arr(pod.volumes).map(obj).filter((v) => 'emptyDir' in v && obj(v.emptyDir).medium !== 'Memory');
  for (const volume of emptyDirs) {
    if (!isQuantity(obj(volume.emptyDir).sizeLimit)) errors.push(`${where}: emptyDir ${String(volume.name)} has no sizeLimit`);
  }
  const onDisk = addQuantities(...emptyDirs.map((v) => obj(v.emptyDir).sizeLimit).filter(isQuantity).map(parseQuantity));
  const podLimit = addQuantities(...limits.map(parseQuantity));
  if (emptyDirs.length > 0 && compareQuantities(onDisk, podLimit) > 0) errors.push(`${where}: emptyDirs of ${formatBytes(onDisk)} exceed the Pod's ephemeral-storage limit ${formatBytes(podLimit)} (the kubelet counts them toward it)`);
  return errors;
}

/** Labels every object of an env carries, with the values the definitions imply. */
export function expectedEnvLabels(env: Env): Record<string, string> {
  return {
    'devfleet.dev/project': env.project.name,
    'devfleet.dev/developer': env.developer,
    'app.kubernetes.io/name': env.project.name,
    'app.kubernetes.io/instance': env.release,
    'app.kubernetes.io/part-of': 'devfleet',
    'app.kubernetes.io/managed-by': 'devfleet',
  };
}

/** True when the cluster's front door routes the env (its chart holds InterceptorRoutes and a ScaledObject instead of an Ingress). */
export function expectBehindFrontDoor(env: Env): boolean {
  return env.cluster.ingress.mode === 'front-door' && env.project.routes.length > 0;
}

/** The Service ports an env's routes target, each once. */
const routedPorts = (env: Env) => [...new Set(env.project.routes.map((r) => r.port))];

/** Every broken rule of the objects rendered for one env. */
export function renderedEnvErrors(env: Env, objects: readonly SourcedObject[]): string[] {
  const errors: string[] = [];
  const at = (o: KubeObject) => `${env.developer}/${env.project.name}: ${describeObject(o)}`;
  const byKind = (kind: string) => objects.map((s) => s.object).filter((o) => o.kind === kind);
  const project = env.project;
  const persistent = project.containers.flatMap((c) => c.volumes.filter((v) => v.persistent).map((v) => ({ container: c, volume: v })));
  const ports = project.containers.flatMap((c) => c.ports);

  // Which objects exist follows from the definition.
  const expectedKinds: Record<string, number> = {
    ServiceAccount: 1,
    Deployment: 1,
    Service: ports.length > 0 ? 1 : 0,
    Ingress: env.cluster.ingress.mode === 'ingress-groups' && project.routes.length > 0 ? 1 : 0,
    InterceptorRoute: expectBehindFrontDoor(env) ? routedPorts(env).length : 0,
    ScaledObject: expectBehindFrontDoor(env) ? 1 : 0,
    PersistentVolumeClaim: persistent.length,
    ExternalSecret: project.secrets.length,
    Password: project.secrets.filter((s) => s.kind === 'generated-password').length,
  };
  for (const [kind, count] of Object.entries(expectedKinds)) {
    if (byKind(kind).length !== count) errors.push(`${env.developer}/${project.name}: ${byKind(kind).length} ${kind} object(s), expected ${count}`);
  }
  for (const { object } of objects) {
    if (!(String(object.kind) in expectedKinds)) errors.push(`${at(object)}: unexpected kind`);
  }

  const expectedNames = new Map<string, string>([
    ['ServiceAccount', env.release],
    ['Deployment', env.release],
    ['Service', env.release],
    ['Ingress', env.release],
    ['ScaledObject', env.release],
  ]);
  // `<release>--<port>`: unique in the namespace, since neither names contain "--".
  const routeNames = new Set(routedPorts(env).map((port) => `${env.release}--${port}`));
  const claimNames = new Set(persistent.map(({ container, volume }) => `${env.release}-${container.name}-${volume.name}`));
  // Secrets and their generators are named after the Secret the containers read.
  const secretNames: Record<string, Set<string>> = {
    ExternalSecret: new Set(project.secrets.map((s) => s.name)),
    Password: new Set(project.secrets.filter((s) => s.kind === 'generated-password').map((s) => s.name)),
  };
  const seen = new Set<string>();
  const netRawAllowed = new Set(project.containers.filter((c) => c.security.allowNetRaw).map((c) => c.name));
  for (const { object } of objects) {
    errors.push(...metadataErrors(object).map((e) => `${env.developer}/${project.name}: ${e}`));
    errors.push(...podBoundsErrors(object, at(object), netRawAllowed));
    const name = str(object.metadata?.name) ?? '';
    const key = `${String(object.kind)}/${name}`;
    if (seen.has(key)) errors.push(`${at(object)}: rendered twice`);
    seen.add(key);
    if (object.kind === 'InterceptorRoute') {
      if (!routeNames.has(name)) errors.push(`${at(object)}: name "${name}" is not one the definition implies (${[...routeNames].join(', ')})`);
    } else if (String(object.kind) in secretNames) {
      if (!secretNames[String(object.kind)]!.has(name)) errors.push(`${at(object)}: name "${name}" is not a Secret the definition reads (${[...secretNames[String(object.kind)]!].join(', ')})`);
    } else if (object.kind === 'PersistentVolumeClaim' ? !claimNames.has(name) : expectedNames.get(String(object.kind)) !== name) {
      errors.push(`${at(object)}: name "${name}" is not the name the definition implies (${object.kind === 'PersistentVolumeClaim' ? [...claimNames].join(', ') : expectedNames.get(String(object.kind))})`);
    }
    if (HASH_SUFFIX.test(name)) errors.push(`${at(object)}: name "${name}" ends in a hash suffix`);
    if (object.metadata && 'namespace' in object.metadata) errors.push(`${at(object)}: sets metadata.namespace (the Application's destination decides it)`);
    const labels = obj(object.metadata?.labels);
    for (const [label, value] of Object.entries(expectedEnvLabels(env))) {
      if (labels[label] !== value) errors.push(`${at(object)}: label ${label}=${JSON.stringify(labels[label])}, expected "${value}"`);
    }
  }

  const serviceAccount = byKind('ServiceAccount')[0];
  const service = byKind('Service')[0];
  const claims = new Set(byKind('PersistentVolumeClaim').map((o) => str(o.metadata?.name)));

  for (const pvc of byKind('PersistentVolumeClaim')) {
    const annotations = obj(pvc.metadata?.annotations);
    if (annotations['helm.sh/resource-policy'] !== 'keep') errors.push(`${at(pvc)}: annotation helm.sh/resource-policy is ${JSON.stringify(annotations['helm.sh/resource-policy'])}, expected "keep"`);
    const syncOptions = (str(annotations['argocd.argoproj.io/sync-options']) ?? '').split(',').map((s) => s.trim());
    for (const option of ['Delete=false', 'Prune=false']) {
      if (!syncOptions.includes(option)) errors.push(`${at(pvc)}: annotation argocd.argoproj.io/sync-options lacks ${option}`);
    }
    // Kept after its volume is removed, it must not hold the Application OutOfSync.
    const compareOptions = (str(annotations['argocd.argoproj.io/compare-options']) ?? '').split(',').map((s) => s.trim());
    if (!compareOptions.includes('IgnoreExtraneous')) errors.push(`${at(pvc)}: annotation argocd.argoproj.io/compare-options lacks IgnoreExtraneous`);
    const spec = obj(pvc.spec);
    if (spec.storageClassName !== env.cluster.storageClass) errors.push(`${at(pvc)}: storageClassName ${JSON.stringify(spec.storageClassName)}, expected "${env.cluster.storageClass}"`);
    const match = persistent.find(({ container, volume }) => `${env.release}-${container.name}-${volume.name}` === pvc.metadata?.name);
    const storage = obj(obj(spec.resources).requests).storage;
    if (match && storage !== match.volume.size) errors.push(`${at(pvc)}: requests.storage ${JSON.stringify(storage)}, expected "${match.volume.size}"`);
  }

  for (const deployment of byKind('Deployment')) {
    const spec = obj(deployment.spec);
    if (spec.replicas !== 0) errors.push(`${at(deployment)}: spec.replicas is ${JSON.stringify(spec.replicas)}, expected 0 (envs are created asleep)`);
    const template = obj(spec.template);
    const podLabels = obj(obj(template.metadata).labels);
    const matchLabels = obj(obj(spec.selector).matchLabels);
    errors.push(...labelMapErrors(podLabels, `${at(deployment)}: spec.template.metadata.labels`));
    errors.push(...labelMapErrors(matchLabels, `${at(deployment)}: spec.selector.matchLabels`));
    if (Object.keys(matchLabels).length === 0) errors.push(`${at(deployment)}: empty selector`);
    for (const [key, value] of Object.entries(matchLabels)) {
      if (podLabels[key] !== value) errors.push(`${at(deployment)}: selector ${key}=${String(value)} does not match the Pod template (API server rejects it)`);
    }
    for (const [label, value] of Object.entries(expectedEnvLabels(env))) {
      if (podLabels[label] !== value) errors.push(`${at(deployment)}: Pod label ${label}=${JSON.stringify(podLabels[label])}, expected "${value}"`);
    }
    const pod = obj(template.spec);
    if (serviceAccount && pod.serviceAccountName !== serviceAccount.metadata?.name) errors.push(`${at(deployment)}: serviceAccountName ${JSON.stringify(pod.serviceAccountName)} is not the rendered ServiceAccount`);
    if (pod.hostNetwork === true || pod.hostPID === true || pod.hostIPC === true) errors.push(`${at(deployment)}: host namespaces violate Pod Security "baseline"`);
    const podVolumes = new Map(arr(pod.volumes).map((v) => [str(obj(v).name), obj(v)]));
    for (const [name, volume] of podVolumes) {
      if (!name || !isDnsLabel(name)) errors.push(`${at(deployment)}: Pod volume name ${JSON.stringify(name)} is not a DNS-1123 label`);
      if ('hostPath' in volume) errors.push(`${at(deployment)}: hostPath volume violates Pod Security "baseline"`);
      const claim = str(obj(volume.persistentVolumeClaim).claimName);
      if ('persistentVolumeClaim' in volume && !claims.has(claim)) errors.push(`${at(deployment)}: volume ${name} claims "${claim}", which is not rendered`);
    }
    const containers = arr(pod.containers).map(obj);
    if (containers.length !== project.containers.length) errors.push(`${at(deployment)}: ${containers.length} containers, the definition has ${project.containers.length}`);
    project.containers.forEach((def, i) => {
      const out = containers[i] ?? {};
      const where = `${at(deployment)}: container ${def.name}`;
      if (out.name !== def.name) errors.push(`${where}: rendered as ${JSON.stringify(out.name)}`);
      if (!isDnsLabel(def.name)) errors.push(`${where}: name is not a DNS-1123 label`);
      if (out.image !== def.image) errors.push(`${where}: image ${JSON.stringify(out.image)}, expected "${def.image}"`);
      if (JSON.stringify(out.command) !== JSON.stringify(def.command)) errors.push(`${where}: command ${JSON.stringify(out.command)}, expected ${JSON.stringify(def.command)}`);
      if (JSON.stringify(out.args) !== JSON.stringify(def.args)) errors.push(`${where}: args ${JSON.stringify(out.args)}, expected ${JSON.stringify(def.args)}`);
      if (out.workingDir !== def.workingDir) errors.push(`${where}: workingDir ${JSON.stringify(out.workingDir)}, expected ${JSON.stringify(def.workingDir)}`);
      const envOut = arr(out.env).map(obj);
      const expectedEnv = def.env.map(([name, value]) =>
        typeof value === 'string' ? { name, value } : { name, valueFrom: { secretKeyRef: { key: value.key, name: value.secret } } },
      );
      const normalise = (list: readonly Obj[]) =>
        list.map((e) => JSON.stringify({ name: e.name, value: e.value, valueFrom: e.valueFrom ? { secretKeyRef: { key: obj(obj(e.valueFrom).secretKeyRef).key, name: obj(obj(e.valueFrom).secretKeyRef).name } } : undefined }));
      const got = normalise(envOut).sort();
      const want = normalise(expectedEnv).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        const missing = want.filter((w) => !got.includes(w));
        const extra = got.filter((g) => !want.includes(g));
        errors.push(`${where}: env differs from the definition; missing ${missing.join(' ').slice(0, 600)}; unexpected ${extra.join(' ').slice(0, 600)}`);
      }
      const security = obj(out.securityContext);
      if (security.allowPrivilegeEscalation !== def.security.allowPrivilegeEscalation) errors.push(`${where}: allowPrivilegeEscalation ${JSON.stringify(security.allowPrivilegeEscalation)}, expected ${def.security.allowPrivilegeEscalation}`);
      const seccomp = obj(security.seccompProfile).type;
      if (def.security.seccompProfile === 'RuntimeDefault' ? seccomp !== 'RuntimeDefault' : seccomp !== undefined) errors.push(`${where}: seccompProfile ${JSON.stringify(seccomp)} for ${def.security.seccompProfile}`);
      const outPorts = arr(out.ports).map(obj);
      for (const port of def.ports) {
        const p = outPorts.find((o) => o.name === port.name);
        if (!p || p.containerPort !== port.port || (p.protocol ?? 'TCP') !== port.protocol) errors.push(`${where}: port ${port.name} ${port.port}/${port.protocol} not rendered as such`);
        if (!isPortName(port.name)) errors.push(`${where}: port name "${port.name}" is not an IANA service name`);
      }
      const resources = obj(out.resources);
      const requests = obj(resources.requests);
      const limits = obj(resources.limits);
      if (
        requests.cpu !== def.resources.cpu ||
        requests.memory !== def.resources.memory ||
        limits.memory !== def.resources.memoryLimit ||
        'cpu' in limits ||
        requests['ephemeral-storage'] !== def.resources.ephemeralStorage ||
        limits['ephemeral-storage'] !== def.resources.ephemeralStorageLimit
      ) {
        errors.push(`${where}: resources ${JSON.stringify(resources)} differ from the definition ${JSON.stringify(def.resources)}`);
      }
      const probe = obj(out.readinessProbe);
      if (def.readiness) {
        const port = def.ports.find((p) => p.name === def.readiness!.port)?.port;
        const http = obj(probe.httpGet);
        const tcp = obj(probe.tcpSocket);
        if (def.readiness.path !== undefined ? http.path !== def.readiness.path || http.port !== port : tcp.port !== port || 'httpGet' in probe) {
          errors.push(`${where}: readinessProbe ${JSON.stringify(probe)} does not match ${JSON.stringify(def.readiness)}`);
        }
      } else if ('readinessProbe' in out) errors.push(`${where}: has a readinessProbe the definition does not ask for`);
      const mounts = arr(out.volumeMounts).map(obj);
      for (const volume of def.volumes) {
        const mount = mounts.find((m) => m.mountPath === volume.path);
        const podVolume = mount ? podVolumes.get(str(mount.name)) : undefined;
        if (!mount || !podVolume) {
          errors.push(`${where}: ${volume.path} is not mounted from a Pod volume`);
          continue;
        }
        if (volume.persistent !== 'persistentVolumeClaim' in podVolume) errors.push(`${where}: ${volume.path} should ${volume.persistent ? '' : 'not '}be on a PVC`);
        if (!volume.persistent) {
          const sizeLimit = obj(podVolume.emptyDir).sizeLimit;
          if (!('emptyDir' in podVolume) || sizeLimit !== volume.size) errors.push(`${where}: ${volume.path} emptyDir ${JSON.stringify(podVolume.emptyDir)}, expected sizeLimit ${JSON.stringify(volume.size)}`);
        }
      }
      if (mounts.length !== def.volumes.length) errors.push(`${where}: ${mounts.length} volume mounts, the definition has ${def.volumes.length}`);
    });
    if (service) {
      const selector = obj(obj(service.spec).selector);
      if (Object.keys(selector).length === 0) errors.push(`${at(service)}: empty selector`);
      for (const [key, value] of Object.entries(selector)) {
        if (podLabels[key] !== value) errors.push(`${at(service)}: selector ${key}=${String(value)} selects no Pod of the Deployment`);
      }
    }
  }

  const servicePorts = service ? arr(obj(service.spec).ports).map(obj) : [];
  for (const port of servicePorts) {
    if (!isPortName(str(port.name) ?? '')) errors.push(`${at(service!)}: port name ${JSON.stringify(port.name)} is not an IANA service name`);
    if (!ports.some((p) => p.port === port.targetPort && p.protocol === (port.protocol ?? 'TCP'))) errors.push(`${at(service!)}: targetPort ${JSON.stringify(port.targetPort)} is no container port`);
  }

  for (const ingress of byKind('Ingress')) {
    const annotations = obj(ingress.metadata?.annotations);
    if (annotations['alb.ingress.kubernetes.io/group.name'] !== env.ingressGroup) errors.push(`${at(ingress)}: IngressGroup ${JSON.stringify(annotations['alb.ingress.kubernetes.io/group.name'])}, expected ${JSON.stringify(env.ingressGroup)}`);
    if (annotations['alb.ingress.kubernetes.io/scheme'] !== env.cluster.ingress.scheme) errors.push(`${at(ingress)}: scheme ${JSON.stringify(annotations['alb.ingress.kubernetes.io/scheme'])}, expected "${env.cluster.ingress.scheme}"`);
    errors.push(...ingressGuardErrors(ingress).map((e) => `${env.developer}/${project.name}: ${e}`));
    const spec = obj(ingress.spec);
    if (spec.ingressClassName !== env.cluster.ingress.className) errors.push(`${at(ingress)}: ingressClassName ${JSON.stringify(spec.ingressClassName)}, expected "${env.cluster.ingress.className}"`);
    const served = arr(spec.rules).flatMap((rule) =>
      arr(obj(obj(rule).http).paths).map((p) => ({ host: str(obj(rule).host) ?? '', path: str(obj(p).path), pathType: obj(p).pathType, backend: obj(obj(obj(p).backend).service) })),
    );
    for (const route of project.routes) {
      const host = `${hostLabel(route.label, env.developer)}.${env.cluster.domain}`;
      const hit = served.find((s) => s.host === host && s.path === route.path);
      if (!hit) {
        errors.push(`${at(ingress)}: no rule for ${host}${route.path} (route ${route.host} -> ${route.port})`);
        continue;
      }
      if (hit.pathType !== 'Prefix') errors.push(`${at(ingress)}: ${host}${route.path} pathType ${JSON.stringify(hit.pathType)}`);
      if (hit.backend.name !== service?.metadata?.name || obj(hit.backend.port).name !== route.port) errors.push(`${at(ingress)}: ${host}${route.path} goes to ${JSON.stringify(hit.backend)}, expected Service port "${route.port}"`);
    }
    if (served.length !== project.routes.length) errors.push(`${at(ingress)}: ${served.length} host/path rules, the definition has ${project.routes.length} routes`);
    for (const { host, backend } of served) {
      const [label, ...rest] = host.split('.');
      // One wildcard certificate *.<domain> covers the fleet: every host is ONE label under the domain.
      if (rest.join('.') !== env.cluster.domain || !label || !isDnsLabel(label)) errors.push(`${at(ingress)}: host "${host}" is not a single DNS label under ${env.cluster.domain}`);
      if (host.length > 253) errors.push(`${at(ingress)}: host "${host}" longer than 253`);
      if (!servicePorts.some((p) => p.name === obj(backend.port).name)) errors.push(`${at(ingress)}: backend port ${JSON.stringify(backend.port)} is not a Service port`);
    }
  }
  errors.push(...frontDoorEnvErrors(env, objects, servicePorts.map((p) => str(p.name) ?? '')));
  for (const externalSecret of byKind('ExternalSecret')) {
    const spec = obj(externalSecret.spec);
    const source = project.secrets.find((s) => s.name === externalSecret.metadata?.name);
    if (source?.kind === 'generated-password') {
      const annotations = obj(externalSecret.metadata?.annotations);
      // A generated database password must never change or go away: made once, kept like a PVC.
      if (spec.refreshPolicy !== 'CreatedOnce') errors.push(`${at(externalSecret)}: refreshPolicy ${JSON.stringify(spec.refreshPolicy)}, expected "CreatedOnce"`);
      if (obj(spec.target).deletionPolicy !== 'Retain') errors.push(`${at(externalSecret)}: target.deletionPolicy ${JSON.stringify(obj(spec.target).deletionPolicy)}, expected "Retain"`);
      if (annotations['helm.sh/resource-policy'] !== 'keep' || !String(annotations['argocd.argoproj.io/sync-options']).includes('Prune=false')) errors.push(`${at(externalSecret)}: not kept when the env goes away`);
    }
    if (source?.kind === 'secrets-manager') {
      const store = obj(spec.secretStoreRef);
      if (store.kind !== 'ClusterSecretStore' || store.name !== 'devfleet-secrets-manager') errors.push(`${at(externalSecret)}: secretStoreRef ${JSON.stringify(store)}, expected the ClusterSecretStore devfleet-secrets-manager`);
      const key = source.remoteKey ?? `devfleet/${env.cluster.name}/${project.name}/${source.name}`;
      for (const entry of arr(spec.data).map(obj)) {
        if (obj(entry.remoteRef).key !== key || obj(entry.remoteRef).property !== entry.secretKey) errors.push(`${at(externalSecret)}: data ${JSON.stringify(entry)} does not read property "${String(entry.secretKey)}" of ${key}`);
      }
    }
  }
  errors.push(...unproducedSecretErrors(objects).map((e) => `${env.developer}/${project.name}: ${e}`));
  return errors;
}

/** Where the generated ScaledObjects find the add-on's scaler: Terraform's `local.http_scaler_address` (terraform/modules/platform/front-door.tf). */
export const HTTP_SCALER_ADDRESS = 'keda-add-ons-http-external-scaler.keda:9090';

/** The host of a route of an env, as the definitions imply it. */
export const routeHost = (env: Env, route: Env['project']['routes'][number]) => `${hostLabel(route.label, env.developer)}.${env.cluster.domain}`;

/** The (host, path) pairs the InterceptorRoutes among `objects` serve, with the Service and port each goes to. */
export function servedByInterceptorRoutes(objects: readonly KubeObject[]): { host: string; path: string; route: string; service: string | undefined; port: string | undefined }[] {
  return objects
    .filter((o) => o.kind === 'InterceptorRoute')
    .flatMap((ir) => {
      const spec = obj(ir.spec);
      const target = obj(spec.target);
      return arr(spec.rules).flatMap((rule) =>
        arr(obj(rule).hosts).flatMap((host) =>
          arr(obj(rule).paths).map((p) => ({ host: String(host), path: String(obj(p).value), route: str(ir.metadata?.name) ?? '', service: str(target.service), port: str(target.portName) })),
        ),
      );
    });
}

/**
 * Behind the front door: each route of the env is served by exactly one InterceptorRoute rule
 * (its host and path), which targets the env's own Service and the route's port; the starting
 * page names the env; the ScaledObject scales the env's Deployment between its minimum (1 when
 * always on) and 1, sleeps after idleMinutes, has one external-push trigger per InterceptorRoute
 * and the scheduled-wake cron trigger in the cluster's time zone.
 */
function frontDoorEnvErrors(env: Env, objects: readonly SourcedObject[], servicePorts: readonly string[]): string[] {
  if (!expectBehindFrontDoor(env)) return [];
  const errors: string[] = [];
  const who = `${env.developer}/${env.project.name}`;
  const list = objects.map((s) => s.object);
  const routes = list.filter((o) => o.kind === 'InterceptorRoute');
  const served = servedByInterceptorRoutes(routes);
  for (const route of env.project.routes) {
    const host = routeHost(env, route);
    const hits = served.filter((s) => s.host === host && s.path === route.path);
    if (hits.length !== 1) errors.push(`${who}: ${host}${route.path} is served by ${hits.length} InterceptorRoute rules, expected exactly 1`);
    for (const hit of hits) {
      if (hit.service !== env.release || hit.port !== route.port) errors.push(`${who}: ${host}${route.path} goes to ${hit.service}:${hit.port} (InterceptorRoute ${hit.route}), expected the env's Service ${env.release} port ${route.port}`);
    }
  }
  if (served.length !== env.project.routes.length) errors.push(`${who}: InterceptorRoutes serve ${served.length} host/path pairs, the definition has ${env.project.routes.length} routes`);
  for (const { host, port, route } of served) {
    const [label, ...rest] = host.split('.');
    if (rest.join('.') !== env.cluster.domain || !label || !isDnsLabel(label)) errors.push(`${who}: InterceptorRoute ${route}: host "${host}" is not a single DNS label under ${env.cluster.domain}`);
    if (!servicePorts.includes(port ?? '')) errors.push(`${who}: InterceptorRoute ${route}: port ${JSON.stringify(port)} is not a Service port`);
  }
  for (const route of routes) {
    const spec = obj(route.spec);
    const rate = obj(obj(spec.scalingMetric).requestRate);
    if (typeof rate.targetValue !== 'number') errors.push(`${who}: ${describeObject(route)}: scales on ${JSON.stringify(spec.scalingMetric)}, expected the request rate`);
    const response = obj(obj(obj(spec.coldStart).placeholder).response);
    const headers = obj(response.headers);
    if (response.statusCode !== 503 || headers.Refresh === undefined || headers['Retry-After'] === undefined || headers['Cache-Control'] !== 'no-store' || headers['Content-Type'] !== 'text/html; charset=utf-8') {
      errors.push(`${who}: ${describeObject(route)}: the starting page is ${JSON.stringify({ statusCode: response.statusCode, headers })}, expected a 503 that reloads itself, uncached, as HTML`);
    }
    const body = str(response.body) ?? '';
    if (!body.includes(`Starting ${env.project.name} for ${env.developer}`)) errors.push(`${who}: ${describeObject(route)}: the starting page does not say "Starting ${env.project.name} for ${env.developer}"`);
  }
  const scaled = list.find((o) => o.kind === 'ScaledObject');
  const deployment = list.find((o) => o.kind === 'Deployment');
  if (scaled) {
    const at = `${who}: ${describeObject(scaled)}`;
    const spec = obj(scaled.spec);
    const target = obj(spec.scaleTargetRef);
    if (target.kind !== 'Deployment' || target.apiVersion !== 'apps/v1' || target.name !== deployment?.metadata?.name) errors.push(`${at}: scales ${JSON.stringify(target)}, not the env's Deployment`);
    const min = env.schedule.sleep ? 0 : 1;
    if (spec.minReplicaCount !== min || spec.maxReplicaCount !== 1) errors.push(`${at}: replicas ${JSON.stringify(spec.minReplicaCount)}..${JSON.stringify(spec.maxReplicaCount)}, expected ${min}..1`);
    if (spec.cooldownPeriod !== env.schedule.idleMinutes * 60) errors.push(`${at}: cooldownPeriod ${JSON.stringify(spec.cooldownPeriod)}, expected ${env.schedule.idleMinutes * 60} (idleMinutes ${env.schedule.idleMinutes})`);
    const triggers = arr(spec.triggers).map(obj);
    const pushed = triggers.filter((t) => t.type === 'external-push').map((t) => obj(t.metadata));
    const names = routes.map((r) => str(r.metadata?.name)).sort();
    if (JSON.stringify(pushed.map((m) => str(m.interceptorRoute)).sort()) !== JSON.stringify(names)) errors.push(`${at}: external-push triggers name ${JSON.stringify(pushed.map((m) => m.interceptorRoute))}, expected one per InterceptorRoute ${JSON.stringify(names)}`);
    for (const m of pushed) if (m.scalerAddress !== HTTP_SCALER_ADDRESS) errors.push(`${at}: scalerAddress ${JSON.stringify(m.scalerAddress)}, expected ${HTTP_SCALER_ADDRESS}`);
    const cron = triggers.filter((t) => t.type === 'cron').map((t) => obj(t.metadata));
    if (cron.length !== 1 || cron[0]!.timezone !== env.cluster.timeZone || cron[0]!.desiredReplicas !== '1') errors.push(`${at}: cron triggers ${JSON.stringify(cron)}, expected one in ${env.cluster.timeZone} to 1 replica`);
    const wake = env.schedule.wake;
    if (cron[0] && wake && env.schedule.sleep && wake.time !== env.schedule.sleep.time) {
      const [hour, minute] = wake.time.split(':').map(Number);
      if (!String(cron[0].start).startsWith(`${minute} ${hour} `)) errors.push(`${at}: the scheduled wake starts at ${JSON.stringify(cron[0].start)}, expected ${wake.time}`);
    } else if (cron[0] && cron[0].end !== '0 0 31 2 *') errors.push(`${at}: an env without a scheduled wake has the wake window ${JSON.stringify(cron[0])}, expected one that never begins`);
    const labels = obj(scaled.metadata?.labels);
    if (labels['devfleet.dev/sleep'] !== obj(deployment?.metadata?.labels)['devfleet.dev/sleep']) errors.push(`${at}: sleep label ${JSON.stringify(labels['devfleet.dev/sleep'])} differs from the Deployment's (the sleep job selects both)`);
  }
  return errors;
}

/**
 * Across a whole cluster: every host and path of every env's routes is served by exactly one
 * InterceptorRoute of the fleet, which lives in that env's namespace and targets that env's
 * Service and route port; no InterceptorRoute serves a host and path no route asks for.
 */
export function frontDoorRoutingErrors(plan: ClusterPlan, renderedByEnv: ReadonlyMap<Env, readonly SourcedObject[]>): string[] {
  const errors: string[] = [];
  const owners = new Map<string, { env: Env; service: string | undefined; port: string | undefined; route: string }[]>();
  for (const [env, objects] of renderedByEnv) {
    if (env.cluster !== plan.cluster) continue;
    for (const served of servedByInterceptorRoutes(objects.map((s) => s.object))) {
      const key = `${served.host}${served.path}`;
      owners.set(key, [...(owners.get(key) ?? []), { env, service: served.service, port: served.port, route: served.route }]);
    }
  }
  const wanted = new Set<string>();
  for (const env of plan.envs.filter(expectBehindFrontDoor)) {
    for (const route of env.project.routes) {
      const key = `${routeHost(env, route)}${route.path}`;
      wanted.add(key);
      const found = owners.get(key) ?? [];
      if (found.length !== 1) {
        errors.push(`${key} (${env.developer}/${env.project.name}): served by ${found.length} InterceptorRoutes (${found.map((f) => `${f.env.namespace}/${f.route}`).join(', ')}), expected exactly 1`);
        continue;
      }
      const [owner] = found;
      if (owner!.env !== env || owner!.service !== env.release || owner!.port !== route.port) {
        errors.push(`${key} (${env.developer}/${env.project.name}): goes to ${owner!.env.namespace}/${owner!.service}:${owner!.port}, expected ${env.namespace}/${env.release}:${route.port}`);
      }
    }
  }
  for (const key of owners.keys()) if (!wanted.has(key)) errors.push(`${key}: served by an InterceptorRoute, but no env route asks for it`);
  return errors;
}

const OPEN_TO_ALL = new Set(['0.0.0.0/0', '::/0']);

/**
 * The access guard of one Ingress (issue 10): reachable only from the VPC (scheme internal), or
 * only from listed client CIDRs none of which is the whole internet, or only after signing in at
 * the load balancer (auth-type oidc/cognito with its IdP configuration, unauthenticated browsers
 * sent to sign in). An Ingress with none of them is reported.
 */
export function ingressGuardErrors(ingress: KubeObject): string[] {
  const a = obj(ingress.metadata?.annotations);
  const scheme = a['alb.ingress.kubernetes.io/scheme'];
  // The controller's default scheme is internal, but devfleet always says which one it means.
  if (scheme !== 'internal' && scheme !== 'internet-facing') return [`${describeObject(ingress)}: scheme ${JSON.stringify(scheme)} is neither internal nor internet-facing`];
  if (scheme === 'internal') return [];
  const cidrs = (str(a['alb.ingress.kubernetes.io/inbound-cidrs']) ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
  const byCidr = cidrs.length > 0 && !cidrs.some((c) => OPEN_TO_ALL.has(c));
  const type = a['alb.ingress.kubernetes.io/auth-type'];
  const idp = type === 'oidc' || type === 'cognito' ? str(a[`alb.ingress.kubernetes.io/auth-idp-${type}`]) : undefined;
  const bySignIn = idp !== undefined && a['alb.ingress.kubernetes.io/auth-on-unauthenticated-request'] === 'authenticate';
  return byCidr || bySignIn ? [] : [`${describeObject(ingress)}: internet-facing with neither narrow inbound-cidrs (${JSON.stringify(cidrs)}) nor sign-in at the load balancer (auth-type ${JSON.stringify(type)})`];
}

/**
 * Every Secret (and key) a workload among `objects` references (env valueFrom, envFrom, secret
 * and projected volumes, image pull secrets) that no ExternalSecret among `objects` produces.
 * A key is produced by an ExternalSecret's `data[].secretKey`, its template's keys, the rewrite
 * targets of a Password generator (its own key `password` without a rewrite) whose Password is
 * among `objects`, or by an `extract` of a whole remote secret (any key). Optional references
 * (`optional: true`) need no producer.
 */
export function unproducedSecretErrors(objects: readonly SourcedObject[]): string[] {
  const produced = new Map<string, Set<string> | 'any'>();
  const passwords = new Set(objects.filter((s) => s.object.kind === 'Password').map((s) => str(s.object.metadata?.name)));
  const errors: string[] = [];
  for (const { object } of objects.filter((s) => s.object.kind === 'ExternalSecret')) {
    const spec = obj(object.spec);
    const target = str(obj(spec.target).name) ?? str(object.metadata?.name) ?? '';
    const keys = new Set<string>();
    let any = false;
    for (const entry of arr(spec.data).map(obj)) if (str(entry.secretKey)) keys.add(entry.secretKey as string);
    for (const key of Object.keys(obj(obj(obj(spec.target).template).data))) keys.add(key);
    for (const from of arr(spec.dataFrom).map(obj)) {
      if ('extract' in from) any = true;
      const generator = obj(obj(from.sourceRef).generatorRef);
      if (Object.keys(generator).length === 0) continue;
      if (generator.kind !== 'Password' || !passwords.has(str(generator.name))) {
        errors.push(`${describeObject(object)}: generatorRef ${JSON.stringify(generator)} names no rendered Password`);
        continue;
      }
      const rewrites = arr(from.rewrite).map((r) => obj(obj(r).regexp));
      if (rewrites.length === 0) keys.add('password');
      for (const rewrite of rewrites) if (rewrite.source === '^password$' && str(rewrite.target)) keys.add(rewrite.target as string);
    }
    produced.set(target, any ? 'any' : keys);
  }
  const need = (where: string, secret: unknown, key: unknown, optional: unknown) => {
    if (optional === true) return;
    const have = produced.get(String(secret));
    if (!have) errors.push(`${where}: Secret ${JSON.stringify(secret)} is referenced but nothing produces it`);
    else if (key !== undefined && have !== 'any' && !have.has(String(key))) errors.push(`${where}: Secret ${JSON.stringify(secret)} has no key ${JSON.stringify(key)} (produced: ${[...have].join(', ')})`);
  };
  for (const { object } of objects) {
    const template = obj(obj(object.spec).template);
    const pod = object.kind === 'Pod' ? obj(object.spec) : obj(template.spec);
    const where = describeObject(object);
    for (const container of [...arr(pod.containers), ...arr(pod.initContainers)].map(obj)) {
      for (const env of arr(container.env).map(obj)) {
        const ref = obj(obj(env.valueFrom).secretKeyRef);
        if (Object.keys(ref).length > 0) need(`${where}: container ${String(container.name)} env ${String(env.name)}`, ref.name, ref.key, ref.optional);
      }
      for (const from of arr(container.envFrom).map(obj)) {
        const ref = obj(from.secretRef);
        if (Object.keys(ref).length > 0) need(`${where}: container ${String(container.name)} envFrom`, ref.name, undefined, ref.optional);
      }
    }
    for (const volume of arr(pod.volumes).map(obj)) {
      const secret = obj(volume.secret);
      if (Object.keys(secret).length > 0) {
        for (const item of arr(secret.items).map(obj)) need(`${where}: volume ${String(volume.name)}`, secret.secretName, item.key, secret.optional);
        if (arr(secret.items).length === 0) need(`${where}: volume ${String(volume.name)}`, secret.secretName, undefined, secret.optional);
      }
      for (const source of arr(obj(volume.projected).sources).map((p) => obj(obj(p).secret))) {
        if (Object.keys(source).length > 0) need(`${where}: projected volume ${String(volume.name)}`, source.name, undefined, source.optional);
      }
    }
    for (const pull of arr(pod.imagePullSecrets).map(obj)) need(`${where}: imagePullSecrets`, pull.name, undefined, false);
  }
  return errors;
}

/** Parsed documents of every YAML file under apps/ and bootstrap/ of a generated cluster tree. */
export function treeObjects(tree: ReadonlyMap<string, string>): (SourcedObject & { file: string })[] {
  return [...tree]
    .filter(([path]) => /^(apps|bootstrap)\/.*\.ya?ml$/.test(path))
    .flatMap(([path, text]) => parseManifests(text, path).map((s) => ({ ...s, source: path, file: path })));
}

/** Every broken rule of a generated cluster tree (`clusters/<cluster>/`), given its plan. */
export function clusterTreeErrors(plan: ClusterPlan, tree: ReadonlyMap<string, string>, renderedByEnv: ReadonlyMap<Env, readonly SourcedObject[]>): string[] {
  const errors: string[] = [];
  const { cluster } = plan;
  const objects = treeObjects(tree);
  // Application names longer than a label value are shortened with a hash (generators/plan/names.ts): those are expected.
  const shortened = new Set(plan.envs.filter((env) => `${env.project.name}--${env.developer}`.length > LIMITS.labelValue).map((env) => applicationName(env.project.name, env.developer)));
  for (const { file, object } of objects) {
    errors.push(...podBoundsErrors(object, `${file}: ${describeObject(object)}`));
    errors.push(...schemaErrors(object).map((e) => `${file}: ${e}`));
    errors.push(...metadataErrors(object).map((e) => `${file}: ${e}`));
    if (HASH_SUFFIX.test(str(object.metadata?.name) ?? '') && !shortened.has(str(object.metadata?.name) ?? '')) errors.push(`${file}: ${describeObject(object)}: name ends in a hash suffix`);
  }
  const applicationFiles = objects.filter((o) => o.file.startsWith('apps/envs/'));
  const appProjects = objects.filter((o) => o.file === 'apps/appproject.yaml');
  const envProject = appProjects[0]?.object;
  if (appProjects.length !== 1 || envProject?.kind !== 'AppProject') errors.push(`apps/appproject.yaml: expected exactly one AppProject, found ${appProjects.map((o) => describeObject(o.object)).join(', ') || 'nothing'}`);
  const envProjectSpec = obj(envProject?.spec);

  // One Application per env, nothing else under apps/envs/.
  const expectedFiles = new Set(plan.envs.map((env) => `apps/envs/${env.developer}/${env.project.name}.yaml`));
  for (const file of new Set(applicationFiles.map((o) => o.file))) {
    if (!expectedFiles.has(file)) errors.push(`${file}: no env of the definitions is there`);
  }
  for (const env of plan.envs) {
    const file = `apps/envs/${env.developer}/${env.project.name}.yaml`;
    const found = applicationFiles.filter((o) => o.file === file);
    if (found.length !== 1 || found[0]!.object.kind !== 'Application') {
      errors.push(`${file}: expected exactly one Application, found ${found.length} document(s)`);
      continue;
    }
    const app = found[0]!.object;
    const where = `${file}: ${describeObject(app)}`;
    if (app.metadata?.name !== applicationName(env.project.name, env.developer)) errors.push(`${where}: name is not "<project>--<developer>" (shortened when longer than 63 characters)`);
    if (app.metadata?.namespace !== cluster.argocd.namespace) errors.push(`${where}: namespace ${JSON.stringify(app.metadata?.namespace)}, expected Argo CD's "${cluster.argocd.namespace}"`);
    const labels = obj(app.metadata?.labels);
    if (labels['devfleet.dev/project'] !== env.project.name) errors.push(`${where}: label devfleet.dev/project=${JSON.stringify(labels['devfleet.dev/project'])}`);
    if (labels['devfleet.dev/developer'] !== env.developer) errors.push(`${where}: label devfleet.dev/developer=${JSON.stringify(labels['devfleet.dev/developer'])}`);
    if (!arr(app.metadata?.finalizers).includes(ARGOCD_FINALIZER)) errors.push(`${where}: lacks the finalizer ${ARGOCD_FINALIZER}`);
    const spec = obj(app.spec);
    const ignore = arr(spec.ignoreDifferences).map(obj);
    if (!ignore.some((d) => d.group === 'apps' && d.kind === 'Deployment' && arr(d.jsonPointers).includes('/spec/replicas'))) errors.push(`${where}: ignoreDifferences does not cover apps Deployment /spec/replicas`);
    const forceActivation = '/metadata/annotations/autoscaling.keda.sh~1force-activation';
    const ignoresForce = ignore.some((d) => d.group === 'keda.sh' && d.kind === 'ScaledObject' && arr(d.jsonPointers).includes(forceActivation));
    if (expectBehindFrontDoor(env) !== ignoresForce) errors.push(`${where}: ignoreDifferences ${ignoresForce ? 'covers' : 'does not cover'} the ScaledObject's ${forceActivation}, expected ${expectBehindFrontDoor(env) ? 'it (devfleet up sets it)' : 'nothing (no ScaledObject)'}`);
    const syncPolicy = obj(spec.syncPolicy);
    if (!arr(syncPolicy.syncOptions).includes('RespectIgnoreDifferences=true')) errors.push(`${where}: syncOptions lack RespectIgnoreDifferences=true`);
    const automated = obj(syncPolicy.automated);
    if (automated.prune !== true || automated.selfHeal !== true) errors.push(`${where}: automated sync is ${JSON.stringify(syncPolicy.automated)}, expected prune and selfHeal`);
    const destination = obj(spec.destination);
    // In-cluster, or (with more than one application controller) the shard cluster `<cluster>-shard-<i>` of the same API server.
    const onShard = typeof destination.name === 'string' && new RegExp(`^${cluster.name}-shard-[1-9][0-9]*$`).test(destination.name) && destination.server === undefined;
    if (destination.namespace !== env.namespace || (destination.server !== IN_CLUSTER && !onShard)) errors.push(`${where}: destination ${JSON.stringify(destination)}, expected ${IN_CLUSTER} or ${cluster.name}-shard-<i>, namespace ${env.namespace}`);
    if (spec.project !== envProject?.metadata?.name) errors.push(`${where}: project ${JSON.stringify(spec.project)} is not the env AppProject`);
    const source = obj(spec.source);
    if (source.repoURL !== cluster.argocd.repoURL || source.targetRevision !== cluster.argocd.targetRevision) errors.push(`${where}: source ${source.repoURL}@${source.targetRevision}, expected ${cluster.argocd.repoURL}@${cluster.argocd.targetRevision}`);
    if (source.path !== `clusters/${cluster.name}/charts/${env.project.name}`) errors.push(`${where}: source.path ${JSON.stringify(source.path)}`);
    if (!tree.has(`charts/${env.project.name}/Chart.yaml`)) errors.push(`${where}: chart charts/${env.project.name}/ is not generated`);
    if (!arr(envProjectSpec.sourceRepos).some((r) => globMatches(String(r), String(source.repoURL)))) errors.push(`${where}: repo ${source.repoURL} is not in the AppProject's sourceRepos`);
    if (!arr(envProjectSpec.destinations).some((d) => globMatches(String(obj(d).namespace), env.namespace) && (destination.server === IN_CLUSTER ? obj(d).server === IN_CLUSTER : obj(d).name === destination.name))) errors.push(`${where}: the AppProject does not allow namespace ${env.namespace} on ${String(destination.server ?? destination.name)}`);
    const helm = obj(source.helm);
    if (helm.releaseName !== env.release) errors.push(`${where}: releaseName ${JSON.stringify(helm.releaseName)}, expected "${env.release}"`);
    // Helm validates the merged values against values.schema.json before it renders anything.
    const schemaText = tree.get(`charts/${env.project.name}/values.schema.json`);
    const valuesText = tree.get(`charts/${env.project.name}/values.yaml`);
    if (schemaText === undefined || valuesText === undefined) errors.push(`${where}: chart lacks values.yaml or values.schema.json`);
    else {
      const ajv = newJsonSchemaAjv();
      const schema = JSON.parse(schemaText) as Record<string, unknown>;
      const defaults = parseValues(valuesText, `charts/${env.project.name}/values.yaml`, errors);
      // Helm checks values.schema.json against the draft-07 meta-schema and refuses to render if it fails.
      if (!ajv.validateSchema(schema)) errors.push(`charts/${env.project.name}/values.schema.json: not a valid JSON Schema: ${ajv.errorsText(ajv.errors)}`);
      else {
        const validate = ajv.compile(schema);
        if (!validate(mergeValues(defaults, helm.valuesObject))) errors.push(`${where}: Helm would refuse the values: ${ajv.errorsText(validate.errors)}`);
      }
    }
    // Every kind the env renders must be allowed by the AppProject, or Argo CD refuses the sync.
    const whitelist = arr(envProjectSpec.namespaceResourceWhitelist).map(obj);
    for (const { object } of renderedByEnv.get(env) ?? []) {
      const group = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/')[0]! : '';
      if (!whitelist.some((w) => globMatches(String(w.group), group) && globMatches(String(w.kind), String(object.kind)))) errors.push(`${where}: the AppProject does not allow ${group || 'core'}/${String(object.kind)}`);
    }
    const urls = arr(spec.info).map((i) => str(obj(i).value));
    const expectedUrls = env.project.routes.map((r) => `https://${hostLabel(r.label, env.developer)}.${cluster.domain}${r.path === '/' ? '' : r.path}`);
    if (JSON.stringify(urls) !== JSON.stringify(expectedUrls)) errors.push(`${where}: info URLs ${JSON.stringify(urls)}, expected ${JSON.stringify(expectedUrls)}`);
  }
  if (arr(envProjectSpec.clusterResourceWhitelist).length > 0) errors.push('apps/appproject.yaml: env AppProject allows cluster-scoped objects');

  // One namespace file per developer with envs: Namespace, ResourceQuota, LimitRange, access RBAC, sleep/wake jobs.
  const developers = [...new Set(plan.envs.map((e) => e.developer))];
  const namespaceFiles = new Set(objects.filter((o) => o.file.startsWith('apps/namespaces/')).map((o) => o.file));
  for (const file of namespaceFiles) {
    if (!developers.some((d) => file === `apps/namespaces/${d}.yaml`)) errors.push(`${file}: no developer with envs`);
  }
  for (const developer of developers) {
    const file = `apps/namespaces/${developer}.yaml`;
    const namespace = namespaceName(cluster.namespacePrefix, developer);
    const docs = objects.filter((o) => o.file === file).map((o) => o.object);
    const kinds = new Set(docs.map((o) => String(o.kind)));
    for (const kind of ['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'Role', 'RoleBinding']) if (!kinds.has(kind)) errors.push(`${file}: holds no ${kind}`);
    for (const kind of kinds) if (!['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ExternalSecret', 'Role', 'RoleBinding', 'ServiceAccount', 'CronJob'].includes(kind)) errors.push(`${file}: holds an unexpected ${kind}`);
    for (const o of docs) {
      if (o.kind === 'Namespace') {
        const labels = obj(o.metadata?.labels);
        if (o.metadata?.name !== namespace) errors.push(`${file}: Namespace ${String(o.metadata?.name)}, expected ${namespace}`);
        if (labels['pod-security.kubernetes.io/enforce'] !== 'baseline') errors.push(`${file}: pod-security enforce is ${JSON.stringify(labels['pod-security.kubernetes.io/enforce'])}, expected baseline`);
        if (labels['pod-security.kubernetes.io/warn'] !== 'restricted') errors.push(`${file}: pod-security warn is ${JSON.stringify(labels['pod-security.kubernetes.io/warn'])}, expected restricted`);
        if (labels['devfleet.dev/developer'] !== developer) errors.push(`${file}: label devfleet.dev/developer=${JSON.stringify(labels['devfleet.dev/developer'])}`);
        const syncOptions = String(obj(o.metadata?.annotations)['argocd.argoproj.io/sync-options'] ?? '').split(',');
        if (!syncOptions.includes('Delete=false') || !syncOptions.includes('Prune=false')) errors.push(`${file}: Namespace holds PVCs but may be pruned or deleted by Argo CD`);
      } else if (o.metadata?.namespace !== namespace) errors.push(`${file}: ${describeObject(o)} is in namespace ${JSON.stringify(o.metadata?.namespace)}, expected ${namespace}`);
      // Node disk is bounded per namespace (issue 17), with defaults for containers that set none.
      if (o.kind === 'ResourceQuota') {
        const hard = obj(obj(o.spec).hard);
        if (hard['requests.ephemeral-storage'] !== cluster.quota.ephemeralStorage || hard['limits.ephemeral-storage'] !== cluster.quota.ephemeralStorageLimit) {
          errors.push(`${file}: ResourceQuota ephemeral storage ${JSON.stringify(hard['requests.ephemeral-storage'])}/${JSON.stringify(hard['limits.ephemeral-storage'])}, expected quota.ephemeralStorage ${cluster.quota.ephemeralStorage} / quota.ephemeralStorageLimit ${cluster.quota.ephemeralStorageLimit}`);
        }
      }
      if (o.kind === 'LimitRange') {
        const container = arr(obj(o.spec).limits).map(obj).find((l) => l.type === 'Container');
        if (!isQuantity(obj(container?.defaultRequest)['ephemeral-storage']) || !isQuantity(obj(container?.default)['ephemeral-storage'])) errors.push(`${file}: LimitRange gives containers no ephemeral-storage defaults (${JSON.stringify(container)})`);
      }
    }
  }

  // Behind the front door, the admission policy that keeps developers to the force-activation annotation.
  const policies = objects.filter((o) => o.file === 'apps/platform/front-door.yaml').map((o) => String(o.object.kind)).sort();
  const expectedPolicies = cluster.ingress.mode === 'front-door' ? ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'] : [];
  if (JSON.stringify(policies) !== JSON.stringify(expectedPolicies)) errors.push(`apps/platform/front-door.yaml: holds ${JSON.stringify(policies)}, expected ${JSON.stringify(expectedPolicies)}`);

  // bootstrap/root.yaml: the platform AppProject and the root Application that syncs apps/.
  const boot = objects.filter((o) => o.file === 'bootstrap/root.yaml').map((o) => o.object);
  const platform = boot.find((o) => o.kind === 'AppProject');
  const root = boot.find((o) => o.kind === 'Application');
  if (boot.length !== 2 || !platform || !root) errors.push(`bootstrap/root.yaml: holds ${boot.map(describeObject).join(', ')}, expected one AppProject and one Application`);
  else {
    const rootSpec = obj(root.spec);
    const platformSpec = obj(platform.spec);
    if (rootSpec.project !== platform.metadata?.name) errors.push('bootstrap/root.yaml: the root Application is not in the platform AppProject');
    const source = obj(rootSpec.source);
    if (source.path !== `clusters/${cluster.name}/apps` || source.repoURL !== cluster.argocd.repoURL || obj(source.directory).recurse !== true) errors.push(`bootstrap/root.yaml: root source ${JSON.stringify(source)} does not sync clusters/${cluster.name}/apps recursively`);
    const allows = (namespace: string) => arr(platformSpec.destinations).some((d) => obj(d).server === IN_CLUSTER && globMatches(String(obj(d).namespace), namespace));
    for (const { file, object } of objects.filter((o) => o.file.startsWith('apps/'))) {
      const group = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/')[0]! : '';
      const clusterScoped = ['Namespace', 'ClusterRole', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].includes(String(object.kind));
      const list = arr(clusterScoped ? platformSpec.clusterResourceWhitelist : platformSpec.namespaceResourceWhitelist).map(obj);
      if (!list.some((w) => globMatches(String(w.group), group) && globMatches(String(w.kind), String(object.kind)))) errors.push(`${file}: the platform AppProject does not allow ${group || 'core'}/${String(object.kind)}`);
      if (!clusterScoped) {
        const namespace = str(object.metadata?.namespace);
        if (!namespace) errors.push(`${file}: ${describeObject(object)} has no namespace (the root app's destination would put it in ${String(obj(rootSpec.destination).namespace)})`);
        else if (!allows(namespace)) errors.push(`${file}: the platform AppProject does not allow namespace ${namespace}`);
      }
    }
  }

  // Chart templates: no namespace (the Application's destination decides), created asleep.
  for (const [path, text] of tree) {
    if (!/^charts\/[^/]+\/templates\/[^/]+\.yaml$/.test(path)) continue;
    const project = plan.projects.find((p) => path.startsWith(`charts/${p.name}/`));
    const netRawAllowed = new Set(project?.containers.filter((c) => c.security.allowNetRaw).map((c) => c.name));
    for (const { object } of parseManifests(text, path)) {
      errors.push(...podBoundsErrors(object, `${path}: ${describeObject(object)}`, netRawAllowed));
      if (object.metadata && 'namespace' in object.metadata) errors.push(`${path}: ${describeObject(object)} sets metadata.namespace`);
      if (object.kind === 'Deployment' && obj(object.spec).replicas !== 0) errors.push(`${path}: Deployment replicas ${JSON.stringify(obj(object.spec).replicas)}, expected 0`);
    }
  }
  return errors;
}

/** values.yaml as Helm reads it (YAML 1.1); a duplicate key is an error (YAML forbids it, Helm silently keeps the last). */
function parseValues(text: string, file: string, errors: string[]): unknown {
  try {
    return parse(text, { version: '1.1', uniqueKeys: true, strict: true, prettyErrors: false });
  } catch (error) {
    errors.push(`${file}: ${(error as Error).message.split('\n')[0]}`);
    return {};
  }
}
