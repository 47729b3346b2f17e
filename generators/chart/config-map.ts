/** The env's ConfigMap of single files (`files: [{ path, content }]`), mounted by chart/deployment.ts with subPath. */
import { k8s } from 'cdk8s-plus-27';
import type { ProjectModel } from '../plan/model.ts';
import { fileKey, filesConfigMapName } from '../plan/names.ts';
import type { ChartObject } from './chart-object.ts';
import { release } from './helm-text.ts';
import { chartLabels } from './labels.ts';

export function filesConfigMap(project: ProjectModel): ChartObject | undefined {
  const data: Record<string, string> = {};
  for (const container of project.containers) {
    container.files.forEach((file, i) => {
      if (file.content !== undefined) data[fileKey(container.name, i)] = file.content;
    });
  }
  if (Object.keys(data).length === 0) return undefined;
  return {
    file: 'configmap-files.yaml',
    object: k8s.KubeConfigMap.manifest({ metadata: { name: filesConfigMapName(release('Name')), labels: chartLabels(project) }, data }),
  };
}
