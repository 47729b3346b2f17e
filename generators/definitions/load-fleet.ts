/**
 * The one entry point from files to a validated plan: load every definition, check it against
 * its JSON Schema, cross-check, then plan. Returns every problem at once, or the plan.
 */
import { DEFINITION_DIRS, projectFile } from '../plan/layout.ts';
import { clusterModel, projectModel, type ClusterModel, type ProjectModel } from '../plan/model.ts';
import { planFleet, type Fleet } from '../plan/plan.ts';
import { checkAccessGuard } from './check-access.ts';
import { checkAlwaysOnFitQuota, checkIngressCapacity } from './check-capacity.ts';
import { awsManagedPolicyWarnings, checkProjectPolicies } from './check-iam.ts';
import { checkLatestTags, explainImageProblems, followsLatestWarnings } from './check-image.ts';
import { checkDeploymentSize, checkFilesSize } from './check-object-size.ts';
import { checkPodFitsQuota, checkRequestsWithinLimits, checkVolumesFitQuota } from './check-resources.ts';
import { checkVolumeSizes } from './check-volume-sizes.ts';
import { checkPrivateUse, escapePrivateUse } from './check-private-use.ts';
import { checkReservedSecrets, checkSecretOwners, checkSecretShares, checkSharedSecrets } from './check-secrets.ts';
import { checkNamespaceObjectNames, checkProjectObjectNames } from './check-object-names.ts';
import type { ClusterDefinition } from '../schema/cluster.ts';
import type { ProjectDefinition } from '../schema/project.ts';
import { checkCluster, checkDerivedNames, checkFleet, checkProject, type Checked } from './cross-check.ts';
import { TypeScriptImporter } from './import-typescript.ts';
import { EXTENSIONS, loadDefinitions, type LoadedFile, type LoadResult } from './load.ts';
import { DefinitionError, joinPath, WHOLE_FILE, type Problem } from '../util/problem.ts';
import { checkSchema, schemaValidPart } from './schema-check.ts';

export interface LoadFleetResult {
  readonly fleet: Fleet | undefined;
  readonly problems: readonly Problem[];
  /** Said by `validate` but not refused (a container following latest, an AWS-managed policy in aws.allowedPolicies); empty when there are problems. */
  readonly warnings?: readonly Problem[];
  /** Of those, the containers following latest (imagePullPolicy: Always), which `synth` says too: they concern every env it generates. */
  readonly followsLatest?: readonly Problem[];
}

export async function validateFleet(root: string): Promise<LoadFleetResult> {
  return checkFleetFiles(root, await loadFleetFiles(root));
}

interface FleetFiles {
  readonly projects: LoadResult;
  readonly clusters: LoadResult;
}

async function loadFleetFiles(root: string): Promise<FleetFiles> {
  // One importer bounds the sandboxes of both folders' TypeScript definitions (see ./import-typescript.ts).
  const importer = new TypeScriptImporter();
  const [projects, clusters] = await Promise.all([loadDefinitions(root, 'project', importer), loadDefinitions(root, 'cluster', importer)]).finally(() => importer.close());
  return { projects, clusters };
}

/** Checks and plans the loaded files, leaving out the project files in `without` (see loadValidPart). */
function checkFleetFiles(root: string, loaded: FleetFiles, without: ReadonlySet<string> = new Set()): LoadFleetResult {
  const kept = (result: LoadResult): LoadResult => ({ files: result.files.filter((f) => !without.has(f.file)), problems: result.problems.filter((p) => !without.has(p.file)) });
  const [projectFiles, clusterFiles] = [kept(loaded.projects), kept(loaded.clusters)];
  const problems: Problem[] = [...projectFiles.problems, ...clusterFiles.problems];

  const check = <D, M>(files: readonly LoadedFile[], toModel: (file: string, def: D) => M, crossCheck: (l: LoadedFile, m: M, p: Problem[]) => void): Checked<M>[] =>
    files.flatMap((loaded) => {
      // Private-use characters first: a schema message about the same field would only repeat it.
      const markerProblems = checkPrivateUse(loaded);
      const markerPaths = new Set(markerProblems.map((p) => p.path));
      // A `latest` image without imagePullPolicy: Always is refused like a schema problem of the field (the pattern cannot see the sibling).
      const schemaProblems = [...explainImageProblems(loaded, checkSchema(loaded)), ...checkLatestTags(loaded)];
      const fileProblems = [...markerProblems, ...schemaProblems.filter((p) => !markerPaths.has(escapePrivateUse(p.path)))];
      problems.push(...fileProblems);
      if (schemaProblems.length === 0) {
        const model = toModel(loaded.file, loaded.value as D);
        crossCheck(loaded, model, problems);
        return [{ loaded, model }];
      }
      // All problems of a file in one run: the checks that can run on the part that conforms do
      // (see schemaValidPart), and say nothing about a field the schema already refused.
      const part = schemaValidPart(loaded);
      if (part === undefined || part.removed.some(referencedBy(loaded.kind))) return [];
      const partial = { ...loaded, value: part.value };
      // A field the schema refused, and the object around a field left out, are said once: by the schema.
      const refused = [...fileProblems.map((p) => p.path), ...part.removed.map((field) => joinPath(field.slice(0, -1)))];
      const found: Problem[] = [];
      try {
        const model = toModel(loaded.file, part.value as D);
        crossCheck(partial, model, found);
        problems.push(...found.filter((p) => !refused.some((field) => within(p.path, field))));
        return [{ loaded: partial, model }];
      } catch {
        // A check that cannot read what is left is skipped: its input is missing, and the schema's problems stand.
        return [];
      }
    });
  const projects = check<ProjectDefinition, ProjectModel>(projectFiles.files, projectModel, (loaded, model, found) => {
    checkProject(loaded, model, found);
    found.push(...checkRequestsWithinLimits(loaded, model), ...checkDeploymentSize(loaded, model), ...checkFilesSize(loaded, model), ...checkProjectObjectNames(loaded, model));
  });
  const clusters = check<ClusterDefinition, ClusterModel>(clusterFiles.files, clusterModel, (loaded, model, found) => {
    checkCluster(loaded, model, found);
    found.push(...checkAccessGuard(loaded, model));
  });
  if (clusterFiles.files.length === 0 && clusterFiles.problems.length === 0) {
    problems.push({ file: `${DEFINITION_DIRS.cluster}/`, path: WHOLE_FILE, message: `no cluster definition found; add ${DEFINITION_DIRS.cluster}/<name>.ts (see terraform/README.md "Add a cluster")` });
  }
  checkFleet(projects, clusters, problems);
  const fileNames = projectFileNames(loaded.projects);
  problems.push(...checkReservedSecrets(projects, clusters.map((c) => c.model)), ...checkSecretShares(projects, fileNames));
  if (problems.length > 0) return { fleet: undefined, problems: unique(problems) };

  const fleet = planFleet(clusters.map((c) => c.model), projects.map((p) => p.model));
  // Checks that need the envs: which projects run in which cluster, for whom.
  const loadedByFile = new Map([...projects, ...clusters].map(({ loaded }) => [loaded.file, loaded]));
  const loadedOf = (file: string) => loadedByFile.get(file)!;
  const clusterNames = fleet.clusters.map((plan) => plan.cluster.name);
  const planned = fleet.clusters.flatMap((plan) => [...checkIngressCapacity(plan), ...checkProjectPolicies(plan, loadedOf), ...checkPodFitsQuota(plan, loadedOf), ...checkVolumesFitQuota(plan, loadedOf), ...checkAlwaysOnFitQuota(plan, loadedOf), ...checkVolumeSizes(root, plan, loadedOf), ...checkSharedSecrets(plan, loadedOf), ...checkSecretOwners(plan, clusterNames, loadedOf, fileNames), ...checkNamespaceObjectNames(plan, loadedOf)]);
  planned.push(...checkDerivedNames(fleet, projects, clusters));
  if (planned.length > 0) return { fleet: undefined, problems: planned };
  const followsLatest = projects.flatMap(({ loaded }) => followsLatestWarnings(loaded));
  return { fleet, problems: [], warnings: [...followsLatest, ...clusters.flatMap(({ loaded, model }) => awsManagedPolicyWarnings(loaded, model))], followsLatest };
}

/**
 * The project names of every project file, loadable or not, and left out or not: a `shareWith`
 * naming a project whose own file has problems is not a second problem (that file's are the ones to fix).
 */
function projectFileNames(result: LoadResult): Set<string> {
  const stem = (file: string) => file.slice(file.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  const names = new Set([...result.files.map((f) => f.stem), ...result.problems.map((p) => stem(p.file))]);
  for (const { value } of result.files) {
    const name = (value as { name?: unknown } | null)?.name;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

/**
 * Whether a field left out of a file's schema-valid part is one that other fields or files name,
 * so that checks would report its absence as a problem of theirs: a project's containers (their
 * names and ports, which routes, readiness and swap name) and secrets (which env values name);
 * a cluster's developers (which projects name). Its file then gets no checks beyond the schema's.
 */
function referencedBy(kind: LoadedFile['kind']): (field: readonly (string | number)[]) => boolean {
  return kind === 'project'
    ? ([top, , inner]) => top === 'secrets' || (top === 'containers' && (inner === undefined || inner === 'ports' || inner === 'name'))
    : ([top]) => top === 'developers';
}

/** Whether field path `path` is `field` or lies inside it (`containers[0].image` inside `containers[0]`). */
function within(path: string, field: string): boolean {
  return field === WHOLE_FILE || path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

/** Each problem once: a partial file's check can meet the same problem another check reports. */
function unique(problems: readonly Problem[]): Problem[] {
  const seen = new Map<string, Problem>();
  for (const p of problems) seen.set(`${p.file}\0${p.path}\0${p.message}`, p);
  return [...seen.values()];
}

/** Like validateFleet, but throws a DefinitionError listing every problem. */
export async function loadFleet(root: string): Promise<Fleet> {
  const { fleet, problems } = await validateFleet(root);
  if (!fleet) throw new DefinitionError(problems);
  return fleet;
}

/** The valid part of a fleet, and the problems of the project files left out to get it. */
export interface ValidPart {
  readonly fleet: Fleet;
  /** Every problem of the project files left out, as validate reports them. */
  readonly skipped: readonly Problem[];
}

/**
 * For read-only commands (list, open, status, cost, render, swap): the fleet without the project
 * files that have problems, so that one broken project does not hide every other env. Problems of
 * a cluster definition (or of no file) still throw: every env of a cluster depends on it, and a
 * project's developer list is checked against it.
 */
export async function loadValidPart(root: string): Promise<ValidPart> {
  const files = await loadFleetFiles(root);
  const projectFiles = new Set([...files.projects.files.map((f) => f.file), ...files.projects.problems.map((p) => p.file)]);
  const without = new Set<string>();
  const skipped: Problem[] = [];
  for (;;) {
    const { fleet, problems } = checkFleetFiles(root, files, without);
    if (fleet) return { fleet, skipped };
    // A problem outside the project files cannot be left out; neither can one that leaving files out did not remove.
    if (problems.some((p) => !projectFiles.has(p.file) || without.has(p.file))) throw new DefinitionError([...skipped, ...problems]);
    for (const p of problems) without.add(p.file);
    skipped.push(...problems);
  }
}

/** Whether a definition file (relative to the root) is the one of project `name` (the file name equals the name). */
export function isProjectFile(name: string): (file: string) => boolean {
  return (file) => EXTENSIONS.some((ext) => file === projectFile(name, ext));
}

/** Refuses, with every problem of the file, when the command asked for something a left-out file defines. */
export function requireValid(part: ValidPart, files: (file: string) => boolean): void {
  const own = part.skipped.filter((p) => files(p.file));
  if (own.length > 0) throw new DefinitionError(own);
}
