/**
 * `devfleet render`: the manifests of an env exactly as Argo CD gets them from Helm
 * (`helm template <release> <chart> --namespace <ns> --values <env values>`), byte for byte.
 *
 * Helm renders each template file, splits it into documents, orders them by kind (its install
 * order) and prints each as `---\n# Source: <chart>/templates/<file>\n<document>\n`. Helm v4 (the
 * major Argo CD 3.6 renders with) trims only the whitespace BEFORE a document and keeps what ends
 * it (so a file's final newline leaves an empty line before the next `---`), then trims the whole
 * output and ends it with one newline.
 * Ref https://github.com/helm/helm/blob/v4.3.1/pkg/release/v1/util/kind_sorter.go,
 * pkg/release/v1/util/manifest.go (SplitManifests) and pkg/cmd/template.go
 */
import { chartFiles, mergedValues } from '../chart/chart-files.ts';
import { renderTemplate } from '../chart/helm-text.ts';
import type { Env } from '../plan/plan.ts';

/** Helm's install order of kinds (pkg/releaseutil/kind_sorter.go, InstallOrder). */
const INSTALL_ORDER = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy',
  'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass',
  'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole',
  'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

/** Chart files are generated per (cluster, project); an env render reuses them. */
export type ChartCache = Map<string, Map<string, string>>;

export function renderEnv(env: Env, cache: ChartCache = new Map()): string {
  const cacheKey = `${env.cluster.name}/${env.project.name}`;
  let files = cache.get(cacheKey);
  if (!files) {
    files = chartFiles(env.cluster, env.project);
    cache.set(cacheKey, files);
  }
  const vals = mergedValues(env.project, env);
  const manifests: { source: string; kind: string; content: string }[] = [];
  for (const [path, text] of files) {
    if (!path.startsWith('templates/') || !path.endsWith('.yaml')) continue;
    const rendered = renderTemplate(text, vals, { name: env.release, namespace: env.namespace }, `${env.project.name}/${path}`);
    // Helm v4 (what Argo CD 3.6 renders with) keeps each document's trailing newline and trims the whole output.
    const content = rendered.replace(/^\s+/, '');
    const kind = /^kind:\s*(\S+)/m.exec(content)?.[1] ?? '';
    manifests.push({ source: `${env.project.name}/${path}`, kind, content });
  }
  // Stable sort, as Helm's lessByKind: known kinds by install order, then unknown kinds (custom
  // resources such as ExternalSecret) by kind name; within a kind, the files' (sorted) order.
  manifests.sort((a, b) => {
    const ra = INSTALL_ORDER.indexOf(a.kind);
    const rb = INSTALL_ORDER.indexOf(b.kind);
    if (ra >= 0 && rb >= 0) return ra - rb;
    if (ra >= 0 || rb >= 0) return ra >= 0 ? -1 : 1;
    return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
  });
  return `${manifests.map((m) => `---\n# Source: ${m.source}\n${m.content}\n`).join('').trim()}\n`;
}
