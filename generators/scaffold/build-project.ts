/**
 * Turns what the user typed (flags, prompt answers or issue-form fields) into a project
 * definition: plain data, checked for shape here and by the project schema afterwards.
 *
 * Every input carries `where` it came from, so a problem found later by the schema in
 * `containers[1].image` can be reported as "Containers, line 3" to the person who typed it.
 */
import { PROJECT_NAME_MAX, type ContainerDefinition, type ProjectDefinition, type RouteDefinition } from '../schema/project.ts';
import { WORDS } from '../schema/common.ts';
import type { LoadedFile } from '../definitions/load.ts';
import { checkSchema } from '../definitions/schema-check.ts';
import { findHiddenCharacter } from './hidden-characters.ts';
import { quote, type InputProblem } from './input-problem.ts';
import { parseContainerSpec } from './parse-container-spec.ts';
import { parseRouteSpec } from './parse-route-spec.ts';

export interface Located {
  readonly value: string;
  readonly where: string;
}

export interface ProjectInput {
  readonly name: Located | undefined;
  readonly description?: Located | undefined;
  readonly containers: readonly Located[];
  readonly routes?: readonly Located[];
  /** "all", or developer names separated by commas or spaces. */
  readonly developers?: Located | undefined;
}

export interface BuiltProject {
  /** Undefined when any problem was found. */
  readonly definition: ProjectDefinition | undefined;
  readonly problems: InputProblem[];
  /** Where each top-level field and list item came from: `name`, `containers[1]`, `routes[0]`... */
  readonly origins: ReadonlyMap<string, string>;
}

/** The rule the schema applies to project names, checked BEFORE the name is used in a path. */
export function isProjectName(name: string): boolean {
  return name.length <= PROJECT_NAME_MAX && new RegExp(WORDS).test(name);
}

export function buildProject(input: ProjectInput): BuiltProject {
  const problems: InputProblem[] = [];
  const origins = new Map<string, string>();
  const report = (where: string, message: string) => problems.push({ where, message });

  const all = [input.name, input.description, ...input.containers, ...(input.routes ?? []), input.developers].filter((x): x is Located => x !== undefined);
  for (const item of all) {
    const hidden = findHiddenCharacter(item.value);
    if (hidden) report(item.where, `contains the invisible or text-reordering character ${hidden}; retype the value without it (such characters make a reviewer read something else than the file says)`);
  }
  if (problems.length > 0) return { definition: undefined, problems, origins };

  const name = input.name?.value.trim() ?? '';
  if (input.name) origins.set('name', input.name.where);
  if (!input.name || name === '') report(input.name?.where ?? 'name', 'is missing; give the project a name, e.g. "my-app"');
  else if (!isProjectName(name)) {
    report(input.name.where, `${quote(name)} is not a valid project name: use lower-case letters, digits and single hyphens, start with a letter and end with a letter or digit (at most ${PROJECT_NAME_MAX} characters), e.g. "my-app"`);
  }

  const description = input.description?.value.trim() ?? '';
  if (input.description) origins.set('description', input.description.where);

  const containers: ContainerDefinition[] = [];
  if (input.containers.length === 0) report('containers', 'no container given; describe at least one, e.g. name=web,image=nginx:1.27,port=http:80');
  for (const spec of input.containers) {
    const parsed = parseContainerSpec(spec.value);
    for (const message of parsed.problems) report(spec.where, message);
    if (parsed.container) {
      origins.set(`containers[${containers.length}]`, spec.where);
      containers.push(parsed.container);
    }
  }

  const firstPort = containers.flatMap((c) => c.ports ?? [])[0]?.name;
  const routes: RouteDefinition[] = [];
  for (const spec of input.routes ?? []) {
    const parsed = parseRouteSpec(spec.value, firstPort);
    for (const message of parsed.problems) report(spec.where, message);
    if (parsed.route) {
      origins.set(`routes[${routes.length}]`, spec.where);
      routes.push(parsed.route);
    }
  }

  const developerText = input.developers?.value.trim() ?? '';
  if (input.developers) origins.set('developers', input.developers.where);
  const developers = developerText === '' || developerText === 'all' ? 'all' : developerText.split(/[\s,]+/).filter((d) => d !== '');

  const definition: ProjectDefinition = {
    name,
    ...(description !== '' ? { description } : {}),
    containers,
    ...(routes.length > 0 ? { routes } : {}),
    ...(developers !== 'all' ? { developers } : {}),
  };
  if (problems.length === 0) return { definition, problems, origins };
  // Report the schema's problems with the parts that did parse now too, so one round of fixes
  // is enough; fields that already have a problem are not reported twice.
  const reported = new Set(problems.map((p) => p.where));
  const partial: LoadedFile = { kind: 'project', file: '(input)', stem: name, value: definition, lineOf: () => undefined };
  for (const problem of checkSchema(partial)) {
    const where = locate(problem.path, origins);
    const field = /^[a-z]+(?:\[\d+\])?/i.exec(problem.path)?.[0] ?? '';
    const origin = origins.get(field) ?? origins.get(field.replace(/\[\d+\]$/, ''));
    if (field === 'name' || field === 'containers' || (origin !== undefined && reported.has(origin))) continue;
    problems.push({ where, message: problem.message });
  }
  return { definition: undefined, problems, origins };
}

/**
 * Where a schema problem's field path came from: `containers[1].image` -> "Containers, line 3
 * (containers[1].image)". Paths with no recorded origin are returned unchanged.
 */
export function locate(path: string, origins: ReadonlyMap<string, string>): string {
  const item = /^([a-z]+(?:\[\d+\])?)/i.exec(path)?.[1];
  const top = /^([a-z]+)/i.exec(path)?.[1];
  const where = (item && origins.get(item)) ?? (top && origins.get(top));
  return where ? `${where} (${path})` : path;
}
