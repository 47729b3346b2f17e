import { ClusterSchema } from './cluster.ts';
import { ProjectSchema } from './project.ts';
import { stableJson } from '../util/stable-json.ts';

/** The published JSON Schema files, by file name under `schema/`. */
export function schemaFiles(): Record<string, string> {
  return {
    'project.schema.json': stableJson({ $schema: 'http://json-schema.org/draft-07/schema#', ...ProjectSchema }),
    'cluster.schema.json': stableJson({ $schema: 'http://json-schema.org/draft-07/schema#', ...ClusterSchema }),
  };
}
