/**
 * The public API of the `devfleet` package, used by definition files:
 *
 *   import { defineProject } from 'devfleet';
 *   export default defineProject({ name: 'my-app', containers: [...] });
 *
 * The define* functions only return their argument: they exist so editors type-check and
 * complete definitions. Validation happens when devfleet loads them (see definitions/load-fleet.ts).
 */
import type { ClusterDefinition } from './schema/cluster.ts';
import type { ProjectDefinition } from './schema/project.ts';

export function defineProject<const T extends ProjectDefinition>(definition: T): T {
  return definition;
}

export function defineCluster<const T extends ClusterDefinition>(definition: T): T {
  return definition;
}

export type { ProjectDefinition, ContainerDefinition, RouteDefinition, VolumeDefinition, PortDefinition } from './schema/project.ts';
export type { ClusterDefinition, DeveloperDefinition } from './schema/cluster.ts';
