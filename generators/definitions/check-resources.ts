/**
 * Resources that Kubernetes would refuse: an env whose Pod can never start, or whose volumes can
 * never be created, passes every schema and then fails at sync. Checked against what each
 * developer namespace gets (generators/cluster/namespaces.ts):
 *
 * - the ResourceQuota (cluster `quota`): one env's Pod must fit requests.cpu, requests.memory,
 *   limits.memory, requests.ephemeral-storage and limits.ephemeral-storage. The Deployment
 *   recreates (one Pod at a time), so one Pod is what counts.
 * - the LimitRange: it sets defaults only (no minimum or maximum), and every generated container
 *   sets its own requests and limit, so the Pod is never changed by it. The container that does
 *   get its defaults is the Telepresence traffic agent `devfleet swap` injects (the API server
 *   re-runs LimitRanger after a mutating webhook adds a container), so the Pod must also fit with
 *   one such container, or swap fails.
 * - PVCs exist while an env sleeps, so all of a developer's envs must fit quota.storage and
 *   quota.persistentVolumeClaims together.
 * - a container's memory (and ephemeral-storage) request may not exceed its limit, and its
 *   ephemeral-storage limit holds its non-persistent volumes: the kubelet counts an emptyDir toward
 *   the Pod's limit, so a smaller limit evicts the Pod before the emptyDir is full (devfleet counts
 *   each volume against the container that mounts it, which is how the default limit is made).
 *
 * Ref https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage
 * Ref https://kubernetes.io/docs/concepts/policy/resource-quotas/
 * Ref https://kubernetes.io/docs/concepts/policy/limit-range/
 */
import { LIMIT_RANGE_DEFAULTS } from '../schema/cluster.ts';
import { emptyDirSizes, ownVolumes, type ProjectModel } from '../plan/model.ts';
import type { ClusterPlan } from '../plan/plan.ts';
import { addQuantities, compareQuantities, formatBytes, formatCpu, parseQuantity, type Quantity } from '../util/quantity.ts';
import type { LoadedFile } from './load.ts';
import { problemAt } from './problem-at.ts';
import type { Problem } from '../util/problem.ts';

/**
 * Each container's memory and ephemeral-storage requests are at most their limits (Kubernetes
 * refuses the Pod otherwise), and its ephemeral-storage limit holds its non-persistent volumes.
 */
export function checkRequestsWithinLimits(loaded: LoadedFile, project: ProjectModel): Problem[] {
  const problems: Problem[] = [];
  project.containers.forEach((container, c) => {
    for (const [request, limit, what] of [['memory', 'memoryLimit', 'memory'], ['ephemeralStorage', 'ephemeralStorageLimit', 'ephemeral-storage']] as const) {
      const requested = container.resources[request];
      const limited = container.resources[limit];
      if (compareQuantities(parseQuantity(requested), parseQuantity(limited)) <= 0) continue;
      problems.push(
        problemAt(
          loaded,
          ['containers', c, 'resources', limit],
          `"${limited}" is below the ${what} request "${requested}" of container "${container.name}"; Kubernetes refuses a request above its limit, so raise ${limit} to at least "${requested}" or lower ${request}`,
        ),
      );
    }
    const emptyDirs = emptyDirSizes(container.volumes);
    const onDisk = addQuantities(...emptyDirs);
    const limit = container.resources.ephemeralStorageLimit;
    if (emptyDirs.length > 0 && compareQuantities(onDisk, parseQuantity(limit)) > 0) {
      const sizes = container.volumes.filter((v) => !v.persistent).map((v) => `${v.name} ${v.size}`).join(', ');
      problems.push(
        problemAt(
          loaded,
          ['containers', c, 'resources', 'ephemeralStorageLimit'],
          `"${limit}" is below the ${formatBytes(onDisk)} of non-persistent volumes container "${container.name}" mounts (${sizes}); the kubelet counts an emptyDir toward the Pod's ephemeral-storage limit, so the Pod would be evicted before its volumes are full. Raise ephemeralStorageLimit to at least "${formatBytes(onDisk)}" plus room for logs, leave it unset (its default adds the volumes' sizes), or lower the volumes' size`,
        ),
      );
    }
  });
  return problems;
}

type PodResource = 'cpu' | 'memory' | 'memoryLimit' | 'ephemeralStorage' | 'ephemeralStorageLimit';

/**
 * Each quota'd resource of a Pod: the container field it sums, the cluster `quota` field and the
 * ResourceQuota key that bound it. Every check of Pods against the quota iterates this table
 * (also check-capacity.ts, for the always-on envs of a namespace together), so a resource added
 * here is checked everywhere.
 */
export const POD_RESOURCES: readonly { key: PodResource; quota: 'cpu' | 'memory' | 'ephemeralStorage' | 'ephemeralStorageLimit'; quotaName: string; what: string; agent: string; format: (q: Quantity) => string }[] = [
  { key: 'cpu', quota: 'cpu', quotaName: 'requests.cpu', what: 'CPU requests', agent: LIMIT_RANGE_DEFAULTS.cpu, format: formatCpu },
  { key: 'memory', quota: 'memory', quotaName: 'requests.memory', what: 'memory requests', agent: LIMIT_RANGE_DEFAULTS.memory, format: formatBytes },
  { key: 'memoryLimit', quota: 'memory', quotaName: 'limits.memory', what: 'memory limits', agent: LIMIT_RANGE_DEFAULTS.memoryLimit, format: formatBytes },
  { key: 'ephemeralStorage', quota: 'ephemeralStorage', quotaName: 'requests.ephemeral-storage', what: 'ephemeral-storage requests', agent: LIMIT_RANGE_DEFAULTS.ephemeralStorage, format: formatBytes },
  { key: 'ephemeralStorageLimit', quota: 'ephemeralStorageLimit', quotaName: 'limits.ephemeral-storage', what: 'ephemeral-storage limits', agent: LIMIT_RANGE_DEFAULTS.ephemeralStorageLimit, format: formatBytes },
];

/** The field a container's value comes from (memoryLimit defaults to memory). */
function fieldOf(key: PodResource, explicit: boolean): string {
  return key === 'memoryLimit' && !explicit ? 'memory' : key;
}

/** One env's Pod (and the swap agent) within the namespace quota, per project running in the cluster. */
export function checkPodFitsQuota(plan: ClusterPlan, loadedOf: (file: string) => LoadedFile): Problem[] {
  const { cluster } = plan;
  const problems: Problem[] = [];
  for (const project of plan.projects) {
    if (!plan.envs.some((env) => env.project === project)) continue;
    const loaded = loadedOf(project.file);
    const definition = loaded.value as { containers?: { resources?: { memoryLimit?: unknown } }[] };
    for (const resource of POD_RESOURCES) {
      const quota = parseQuantity(cluster.quota[resource.quota]);
      const values = project.containers.map((container) => parseQuantity(container.resources[resource.key]));
      const total = addQuantities(...values);
      const withAgent = addQuantities(total, parseQuantity(resource.agent));
      if (compareQuantities(withAgent, quota) <= 0) continue;
      // Point at the largest contributor: the value most worth lowering.
      const largest = values.reduce((best, value, i) => (compareQuantities(value, values[best]!) > 0 ? i : best), 0);
      const explicitLimit = definition.containers?.[largest]?.resources?.memoryLimit !== undefined;
      const parts = project.containers.map((c, i) => `${c.name} ${resource.format(values[i]!)}`).join(', ');
      const quotaText = `${cluster.file} quota.${resource.quota} ${resource.format(quota)}, the namespace's ${resource.quotaName}`;
      const message =
        compareQuantities(total, quota) > 0
          ? `the env's Pod needs ${resource.format(total)} of ${resource.what} (${parts}), more than cluster "${cluster.name}" allows a developer namespace (${quotaText}), so it could never start; lower the containers' resources, or ask ops to raise quota.${resource.quota}`
          : `the env's Pod needs ${resource.format(total)} of ${resource.what} (${parts}) and fits cluster "${cluster.name}"'s namespace quota (${quotaText}) only without the Telepresence traffic agent \`devfleet swap\` adds, which gets the LimitRange default ${resource.agent} (${resource.format(withAgent)} in all), so swap would fail; leave ${resource.agent} of room: lower the containers' resources, or ask ops to raise quota.${resource.quota}`;
      problems.push(problemAt(loaded, ['containers', largest, 'resources', fieldOf(resource.key, explicitLimit)], message));
    }
  }
  return problems;
}

/** The persistent volumes of all of a developer's envs within quota.storage and quota.persistentVolumeClaims. */
export function checkVolumesFitQuota(plan: ClusterPlan, loadedOf: (file: string) => LoadedFile): Problem[] {
  const { cluster } = plan;
  const problems: Problem[] = [];
  const storageQuota = parseQuantity(cluster.quota.storage);
  // A claim several containers share (plan/model.ts sharedVolumeOf) is one PVC.
  const volumesOf = (project: ProjectModel) =>
    ownVolumes(project).filter((o) => o.volumeModel.persistent).map((o) => ({ container: o.containerModel.name, volume: o.volumeModel.name, size: parseQuantity(o.volumeModel.size!) }));

  // An env that alone exceeds the quota is its project's problem, reported once per project.
  const alone = new Set<ProjectModel>();
  for (const project of plan.projects) {
    if (!plan.envs.some((env) => env.project === project)) continue;
    const volumes = volumesOf(project);
    const total = addQuantities(...volumes.map((v) => v.size));
    const loaded = loadedOf(project.file);
    if (compareQuantities(total, storageQuota) > 0) {
      alone.add(project);
      const c = project.containers.findIndex((container) => container.volumes.some((v) => v.persistent));
      problems.push(
        problemAt(
          loaded,
          ['containers', c, 'volumes'],
          `the env's persistent volumes request ${formatBytes(total)} (${volumes.map((v) => `${v.container}/${v.volume} ${formatBytes(v.size)}`).join(', ')}), more than cluster "${cluster.name}" allows a developer namespace (${cluster.file} quota.storage ${formatBytes(storageQuota)}), so its PVCs could never be created; request less, or ask ops to raise quota.storage`,
        ),
      );
    }
    if (volumes.length > cluster.quota.persistentVolumeClaims) {
      alone.add(project);
      problems.push(
        problemAt(
          loaded,
          ['containers'],
          `the env needs ${volumes.length} PVCs, more than cluster "${cluster.name}" allows a developer namespace (${cluster.file} quota.persistentVolumeClaims ${cluster.quota.persistentVolumeClaims}); use fewer persistent volumes, or ask ops to raise quota.persistentVolumeClaims`,
        ),
      );
    }
  }

  // Together: a developer's envs keep their PVCs while asleep, so they all count at once.
  const clusterLoaded = loadedOf(cluster.file);
  const byDeveloper = new Map<string, ProjectModel[]>();
  for (const env of plan.envs) byDeveloper.set(env.developer, [...(byDeveloper.get(env.developer) ?? []), env.project]);
  for (const [developer, projects] of byDeveloper) {
    if (projects.some((p) => alone.has(p))) continue;
    const perProject = projects.map((project) => ({ project, volumes: volumesOf(project) })).filter((p) => p.volumes.length > 0);
    const total = addQuantities(...perProject.flatMap((p) => p.volumes.map((v) => v.size)));
    const count = perProject.reduce((n, p) => n + p.volumes.length, 0);
    const list = (show: (p: (typeof perProject)[number]) => string) => perProject.map((p) => `${p.project.name} ${show(p)}`).join(', ');
    const namespace = plan.envs.find((env) => env.developer === developer)!.namespace;
    if (compareQuantities(total, storageQuota) > 0) {
      problems.push(
        problemAt(
          clusterLoaded,
          ['quota', 'storage'],
          `developer "${developer}" gets envs whose PVCs request ${formatBytes(total)} together (${list((p) => formatBytes(addQuantities(...p.volumes.map((v) => v.size))))}), more than the ${formatBytes(storageQuota)} of namespace ${namespace}'s quota; PVCs stay while envs sleep, so the last ones could never be created. Raise quota.storage to at least ${formatBytes(total)}, or give "${developer}" fewer projects (a project's \`developers\`)`,
        ),
      );
    }
    if (count > cluster.quota.persistentVolumeClaims) {
      problems.push(
        problemAt(
          clusterLoaded,
          ['quota', 'persistentVolumeClaims'],
          `developer "${developer}" gets envs with ${count} PVCs together (${list((p) => String(p.volumes.length))}), more than the ${cluster.quota.persistentVolumeClaims} of namespace ${namespace}'s quota; PVCs stay while envs sleep, so the last ones could never be created. Raise quota.persistentVolumeClaims to at least ${count}, or give "${developer}" fewer projects`,
        ),
      );
    }
  }
  return problems;
}
