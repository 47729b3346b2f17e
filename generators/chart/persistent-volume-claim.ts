/**
 * One PVC per persistent volume of a container (one for a claim several containers share): ReadWriteOnce on the cluster's storage class,
 * kept when its env goes away (KEEP_DATA_ANNOTATIONS) and when the project removes or renames
 * the volume (IgnoreExtraneous, in KEEP_DATA_ANNOTATIONS).
 */
import { k8s } from 'cdk8s-plus-27';
import { ownVolumes, type ClusterModel, type ContainerModel, type ProjectModel, type VolumeModel } from '../plan/model.ts';
import { volumeClaimName as claimOf } from '../plan/names.ts';
import type { ChartObject } from './chart-object.ts';
import { release } from './helm-text.ts';
import { chartLabels, KEEP_DATA_ANNOTATIONS } from './labels.ts';
import { LABELS } from '../plan/labels.ts';

/** The claim of a persistent volume (the Deployment mounts it by this name). */
export function volumeClaimName(container: ContainerModel, volume: VolumeModel): string {
  return claimOf(release('Name'), container.name, volume);
}

export function persistentVolumeClaims(cluster: ClusterModel, project: ProjectModel): ChartObject[] {
  // A claim several containers share is made once, as the first of them (plan/model.ts sharedVolumeOf).
  return ownVolumes(project)
    .filter(({ volumeModel: volume }) => volume.persistent)
    .map(({ containerModel: container, volumeModel: volume }) => ({
        file: `persistentvolumeclaim-${container.name}-${volume.name}.yaml`,
        object: k8s.KubePersistentVolumeClaim.manifest({
          metadata: {
            name: volumeClaimName(container, volume),
            labels: { ...chartLabels(project), [LABELS.component]: container.name },
            annotations: { ...KEEP_DATA_ANNOTATIONS },
          },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: cluster.storageClass,
            // The model applies the default size to every persistent volume.
            resources: { requests: { storage: k8s.Quantity.fromString(volume.size!) } },
          },
        }),
      }));
}
