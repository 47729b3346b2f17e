/**
 * Links into Argo CD's web UI that show one env, or one developer's envs, instead of the list of
 * every Application of the cluster (which takes minutes to load at a few thousand: argoproj/argo-cd
 * #15276, #21830). The paths and query parameters are the UI's own (the pinned Argo CD's
 * ui/src/app/applications/components/applications-container.tsx `/applications/:appnamespace/:name`
 * and applications-list.tsx `labels`: comma-separated `key=value` selectors, each URI-encoded, all
 * of which must match).
 */
import { LABELS } from './labels.ts';
import type { ClusterModel } from './model.ts';
import type { Env } from './plan.ts';

/** The env's Application page: its resources, sync status and history. */
export function envArgocdLink(env: Env): string {
  const { url, namespace } = env.cluster.argocd;
  return `${url}/applications/${encodeURIComponent(namespace)}/${encodeURIComponent(env.application)}`;
}

/** The Applications list filtered to one developer's envs (by the label every env Application carries). */
export function developerArgocdLink(cluster: ClusterModel, developer: string): string {
  return `${cluster.argocd.url}/applications?labels=${encodeURIComponent(`${LABELS.developer}=${developer}`)}`;
}
