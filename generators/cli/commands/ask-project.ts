/**
 * Interactive `devfleet new` on a terminal: asks for what the flags did not give, checking each
 * answer with the same parsers the flags and the issue form use, so a typo is caught at the
 * prompt that caused it. Uses @inquirer/prompts; tests pass their own input and output streams.
 */
import { checkbox, confirm, input, select } from '@inquirer/prompts';
import type { Context } from '@inquirer/type';
import { PROJECT_NAME_MAX } from '../../schema/project.ts';
import { isProjectName, type Located, type ProjectInput } from '../../scaffold/build-project.ts';
import { explainImage } from '../../definitions/check-image.ts';
import { findHiddenCharacter } from '../../scaffold/hidden-characters.ts';
import { parseContainerSpec } from '../../scaffold/parse-container-spec.ts';
import { parseRouteSpec, ROUTE_SPEC_EXAMPLE } from '../../scaffold/parse-route-spec.ts';

export interface PartialProjectInput {
  readonly name?: Located | undefined;
  readonly description?: Located | undefined;
  readonly containers: readonly Located[];
  readonly routes: readonly Located[];
  readonly developers?: Located | undefined;
}

const visible = (value: string): string | true => {
  const hidden = findHiddenCharacter(value);
  return hidden ? `contains the invisible character ${hidden}; retype it` : true;
};

/** What the prompts can offer as pick-lists: the developers of the fleet's clusters (none when the clusters could not be read). */
export interface Choices {
  readonly developers: readonly string[];
}

export async function askProject(given: PartialProjectInput, context?: Context, choices: Choices = { developers: [] }): Promise<ProjectInput> {
  const answer = (value: string, where: string): Located => ({ value, where });

  const name =
    given.name ??
    answer(
      await input(
        {
          message: 'Project name',
          validate: (v) => visible(v) === true ? (isProjectName(v.trim()) || `use lower-case letters, digits and single hyphens, starting with a letter (at most ${PROJECT_NAME_MAX}), e.g. my-app`) : visible(v),
        },
        context,
      ),
      'prompt "Project name"',
    );
  const description = given.description ?? answer(await input({ message: 'Description (one line, optional)', validate: visible }, context), 'prompt "Description"');

  const containers = [...given.containers];
  while (containers.length === 0 || (given.containers.length === 0 && (await confirm({ message: 'Add another container?', default: false }, context)))) {
    const n = containers.length + 1;
    const containerName = await input({ message: `Container ${n}: name`, default: n === 1 ? 'app' : undefined, validate: (v) => visible(v) === true && /^[a-z](?:-?[a-z0-9])*$/.test(v.trim()) ? true : 'use lower-case letters, digits and single hyphens, e.g. web' }, context);
    // The same explanation validate gives (definitions/check-image.ts), at the prompt that caused it.
    const image = await input({ message: `Container ${n}: image with a version tag (e.g. nginx:1.27)`, validate: (v) => (visible(v) === true ? (v.includes(',') ? 'give one image reference, without commas' : explainImage(v.trim()) ?? true) : visible(v)) }, context);
    const ports = await input(
      {
        message: `Container ${n}: ports as NAME:NUMBER, comma-separated (empty for none)`,
        validate: (v) => visible(v) === true && v.split(',').every((p) => p.trim() === '' || /^[^:\s]+:[0-9]{1,5}$/.test(p.trim())) ? true : 'write e.g. http:80, metrics:9090',
      },
      context,
    );
    const spec = [`name=${containerName.trim()}`, `image=${image.trim()}`, ...ports.split(',').map((p) => p.trim()).filter((p) => p !== '').map((p) => `port=${p}`)].join(',');
    const parsed = parseContainerSpec(spec);
    if (parsed.problems.length > 0) throw new Error(`container ${n}: ${parsed.problems.join('; ')}`);
    containers.push(answer(spec, `prompt "Container ${n}"`));
  }

  let routes = [...given.routes];
  if (routes.length === 0) {
    const firstPort = containers.map((c) => parseContainerSpec(c.value).container?.ports?.[0]?.name).find((p) => p !== undefined);
    const text = await input(
      {
        message: `Routes: public hosts, comma-separated (e.g. my-app.com, or ${ROUTE_SPEC_EXAMPLE} to name the port; empty for none)`,
        validate: (v) => {
          if (visible(v) !== true) return visible(v);
          const problems = v.split(',').map((r) => r.trim()).filter((r) => r !== '').flatMap((r) => parseRouteSpec(r, firstPort).problems);
          return problems[0] ?? true;
        },
      },
      context,
    );
    const portNames = containers.flatMap((c) => parseContainerSpec(c.value).container?.ports?.map((p) => p.name) ?? []);
    const specs = text.split(',').map((r) => r.trim()).filter((r) => r !== '');
    routes = [];
    for (const [i, spec] of specs.entries()) {
      // A route without a port name picks one from the containers' ports, when there is a choice.
      const { host, port, path } = /^(?<host>[^:/]+)(?::(?<port>[^/]+))?(?<path>\/.*)?$/.exec(spec)!.groups!;
      const picked = port ?? (portNames.length > 1 ? await select({ message: `Container port for ${host}`, choices: portNames.map((value) => ({ value })), default: portNames[0] }, context) : undefined);
      routes.push(answer(picked === undefined ? spec : `${host!}:${picked}${path ?? ''}`, `prompt "Routes" #${i + 1}`));
    }
  }
  const developers = given.developers ?? answer(await askDevelopers(choices.developers, context), 'prompt "Who gets envs"');
  return { name, description, containers, routes, developers };
}

/** A pick-list of the cluster's developers (none picked: all); free text when they are not known. */
async function askDevelopers(names: readonly string[], context?: Context): Promise<string> {
  if (names.length === 0) return input({ message: 'Who gets envs: "all" or developer names, comma-separated', default: 'all', validate: visible }, context);
  const picked = await checkbox({ message: 'Who gets envs (space picks, enter confirms; none picked: all developers)', choices: names.map((value) => ({ value })) }, context);
  return picked.length === 0 || picked.length === names.length ? 'all' : picked.join(',');
}
