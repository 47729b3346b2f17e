/**
 * A persistent volume's size may not change against the committed generated tree.
 *
 * A PVC's spec is immutable except for growing its storage request, and growing needs a
 * StorageClass with allowVolumeExpansion, which the platform's EFS class does not set
 * (terraform/modules/platform/storage.tf): EFS has no size, a request is only a label and the file
 * system grows by itself. So a smaller size is refused by Kubernetes everywhere, and a larger one
 * by this platform's StorageClass: either way every env's sync would fail. The committed chart
 * (clusters/<cluster>/charts/<project>/templates/) holds the size each existing PVC was created
 * with; a new `name` gives a new, empty PVC of any size instead.
 * Ref https://kubernetes.io/docs/concepts/storage/persistent-volumes/#expanding-persistent-volumes-claims
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { clusterDir, TREE } from '../plan/layout.ts';
import { volumeClaimName } from '../plan/names.ts';
import type { ClusterPlan } from '../plan/plan.ts';
import { compareQuantities, parseQuantity, type Quantity } from '../util/quantity.ts';
import type { LoadedFile } from './load.ts';
import { problemAt } from './problem-at.ts';
import type { Problem } from '../util/problem.ts';

/** How a chart template names the release in object names (generators/chart/helm-text.ts writes it so). */
const RELEASE_NAME = /\{\{ \.Release\.Name \}\}/g;

interface CommittedClaim {
  readonly size: Quantity;
  readonly text: string;
  /** The template file, relative to the root. */
  readonly file: string;
}

/**
 * The PVCs of a committed chart by their name for `release`, with their requested size. A chart
 * that is missing or unreadable has none (a new project, or a tree synth will rewrite anyway).
 */
export function committedClaims(root: string, chartDir: string, release: string): Map<string, CommittedClaim> {
  const claims = new Map<string, CommittedClaim>();
  const templates = join(chartDir, 'templates');
  let names: string[];
  try {
    names = readdirSync(join(root, templates)).filter((name) => name.endsWith('.yaml')).sort();
  } catch {
    return claims;
  }
  for (const name of names) {
    const file = `${templates}/${name}`;
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue;
    }
    if (!text.includes('PersistentVolumeClaim')) continue;
    for (const doc of parseAllDocuments(text)) {
      if (!('errors' in doc) || doc.errors.length > 0) continue;
      const object = doc.toJS({ maxAliasCount: 100 }) as { kind?: unknown; metadata?: { name?: unknown }; spec?: { resources?: { requests?: { storage?: unknown } } } } | null;
      const claim = object?.metadata?.name;
      const storage = object?.spec?.resources?.requests?.storage;
      if (object?.kind !== 'PersistentVolumeClaim' || typeof claim !== 'string' || typeof storage !== 'string') continue;
      let size: Quantity;
      try {
        size = parseQuantity(storage);
      } catch {
        continue; // a templated size, not a committed one
      }
      claims.set(claim.replace(RELEASE_NAME, release), { size, text: storage, file });
    }
  }
  return claims;
}

export function checkVolumeSizes(root: string, plan: ClusterPlan, loadedOf: (file: string) => LoadedFile): Problem[] {
  const { cluster } = plan;
  const problems: Problem[] = [];
  for (const project of plan.projects) {
    // Every env of a project is a release named after the project (plan/plan.ts `release`).
    const release = plan.envs.find((env) => env.project === project)?.release ?? project.name;
    const committed = committedClaims(root, `${clusterDir(cluster.name)}/${TREE.chart(project.name)}`, release);
    if (committed.size === 0) continue;
    const loaded = loadedOf(project.file);
    const definition = loaded.value as { containers?: { volumes?: { size?: unknown }[] }[] };
    project.containers.forEach((container, c) => {
      container.volumes.forEach((volume, v) => {
        if (!volume.persistent || volume.size === undefined) return;
        const before = committed.get(volumeClaimName(release, container.name, volume));
        if (!before) return;
        const order = compareQuantities(parseQuantity(volume.size), before.size);
        if (order === 0) return;
        const explicit = definition.containers?.[c]?.volumes?.[v]?.size !== undefined;
        const now = explicit ? `"${volume.size}"` : `The default size ${volume.size}`;
        const why =
          order < 0
            ? `is smaller than the ${before.text} its PVC was created with (${before.file}); Kubernetes never shrinks a PVC, so every env's sync would fail`
            : `is larger than the ${before.text} its PVC was created with (${before.file}); the platform's StorageClass "${cluster.storageClass}" does not allow volume expansion (terraform/modules/platform/storage.tf), so every env's sync would fail`;
        problems.push(
          problemAt(
            loaded,
            ['containers', c, 'volumes', v, explicit ? 'size' : 'persistent'],
            `${now} ${why}. Keep size "${before.text}": on EFS the size is only a request and the volume holds what the data needs, so nothing is gained by changing it. To start over with an empty volume instead, give it a new \`name\` (a new PVC; the old one and its data stay until ops delete them)`,
          ),
        );
      });
    });
  }
  return problems;
}
