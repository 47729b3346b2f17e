/**
 * Every path devfleet reads or writes in a repository, in one place: the definition folders, the
 * generated tree of each cluster, and each cluster's Terraform inputs. Everything else asks here.
 *
 *   projects/<project>.ts|yaml|json                 definitions (hand-written)
 *   clusters/<cluster>.ts|yaml|json
 *   clusters/<cluster>/                             generated, one tree per cluster:
 *     README.md                                     what is here, one row per env
 *     bootstrap/root.yaml                           applied once by Terraform: platform AppProject + root app
 *     apps/appproject.yaml                          the AppProject of the env Applications
 *     apps/platform/<part>.yaml                     cluster-wide objects (access, ...)
 *     apps/namespaces/<developer>.yaml              a developer's namespace and what lives in it
 *     apps/envs/<developer>/<project>.yaml          one Argo CD Application per env
 *     charts/<project>/...                          one Helm chart per project
 *   terraform/clusters/<cluster>/devfleet.auto.tfvars.json   generated Terraform inputs
 *
 * Paths inside a cluster tree are relative to `clusters/<cluster>/`; the others to the root.
 */
import type { EnvId } from './env-id.ts';

/** Folders of the hand-written definitions, relative to the root. */
export const DEFINITION_DIRS = { project: 'projects', cluster: 'clusters' } as const;

/** A project's definition file, relative to the root: `projects/<project><extension>` (extension with its dot). */
export function projectFile(project: string, extension: string): string {
  return `${DEFINITION_DIRS.project}/${project}${extension}`;
}

/** The generated tree of a cluster, relative to the root. */
export function clusterDir(cluster: string): string {
  return `${DEFINITION_DIRS.cluster}/${cluster}`;
}

/** The generated Terraform inputs of a cluster, relative to the root. */
export function tfvarsFile(cluster: string): string {
  return `terraform/clusters/${cluster}/devfleet.auto.tfvars.json`;
}

/** Paths inside `clusters/<cluster>/`. */
export const TREE = {
  readme: 'README.md',
  bootstrap: 'bootstrap/root.yaml',
  /** What the root app-of-apps syncs (recursively). */
  apps: 'apps',
  appProject: 'apps/appproject.yaml',
  platform: (part: string) => `apps/platform/${part}.yaml`,
  namespace: (developer: string) => `apps/namespaces/${developer}.yaml`,
  env: (id: EnvId) => `apps/envs/${id.developer}/${id.project}.yaml`,
  chart: (project: string) => `charts/${project}`,
} as const;

/** What a path inside a cluster tree is, for code that walks a tree (diff, bots). */
export type TreeEntry =
  | { readonly kind: 'env'; readonly id: EnvId }
  | { readonly kind: 'chart'; readonly project: string; readonly file: string }
  | { readonly kind: 'other' };

export function classifyTreePath(path: string): TreeEntry {
  const env = /^apps\/envs\/([^/]+)\/([^/]+)\.yaml$/.exec(path);
  if (env) return { kind: 'env', id: { developer: env[1]!, project: env[2]! } };
  const chart = /^charts\/([^/]+)\/(.+)$/.exec(path);
  if (chart) return { kind: 'chart', project: chart[1]!, file: chart[2]! };
  return { kind: 'other' };
}

/** A path (relative to the root) that `devfleet synth` writes: a cluster tree's file or a cluster's Terraform inputs. */
export function isGeneratedPath(path: string): boolean {
  return /^clusters\/[a-z][a-z0-9-]*\/[A-Za-z0-9._/-]+$/.test(path) || /^terraform\/clusters\/([a-z][a-z0-9-]*)\/devfleet\.auto\.tfvars\.json$/.test(path);
}
