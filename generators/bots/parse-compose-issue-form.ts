/**
 * Reads the body GitHub writes for the "New project from compose" issue form
 * (.github/ISSUE_TEMPLATE/new-project-from-compose.yml, label COMPOSE_ISSUE_LABEL): the project
 * name, the compose file (a `render: yaml` textarea, which GitHub wraps in a ```yaml fence), the
 * registry and image overrides `devfleet import compose` takes as --registry and --image, and who
 * gets envs. Sections are read as for the "New project" form (scaffold/parse-issue-form.ts).
 */
import { parseImageOverride } from '../compose/import-compose.ts';
import { isProjectName, type Located } from '../scaffold/build-project.ts';
import { findHiddenCharacter } from '../scaffold/hidden-characters.ts';
import { quote, type InputProblem } from '../scaffold/input-problem.ts';
import { readIssueForm } from '../scaffold/parse-issue-form.ts';
import { PROJECT_NAME_MAX } from '../schema/common.ts';

/** The label the form applies and the workflow waits for, besides the "New project" form's `new-project`. */
export const COMPOSE_ISSUE_LABEL = 'new-project-from-compose';

/** The form's field labels (keep in sync with .github/ISSUE_TEMPLATE/new-project-from-compose.yml). */
export const COMPOSE_ISSUE_FIELDS = {
  name: 'Project name',
  compose: 'Compose file',
  registry: 'Registry for built images',
  images: 'Image overrides',
  developers: 'Who gets envs',
} as const;

export interface ComposeIssueInput {
  readonly name: string;
  /** The compose file's text, without the fence GitHub adds. */
  readonly compose: string;
  readonly registry: string | undefined;
  /** service -> image, and the form line each came from. */
  readonly images: ReadonlyMap<string, string>;
  readonly imageLines: ReadonlyMap<string, string>;
  readonly developers: readonly string[] | 'all';
}

export function parseComposeIssueForm(body: string): { input?: ComposeIssueInput; problems: InputProblem[] } {
  const form = readIssueForm<keyof typeof COMPOSE_ISSUE_FIELDS>(body, COMPOSE_ISSUE_FIELDS, ['name', 'compose'], 'New project from compose');
  if (!form.fields) return { problems: form.problems };
  const { single, perLine } = form.fields;
  const problems: InputProblem[] = [];
  const report = (where: string, message: string) => problems.push({ where, message });

  const oneLine = (located: Located | undefined): string => {
    if (!located) return '';
    const hidden = findHiddenCharacter(located.value);
    if (hidden) report(located.where, `contains the invisible or text-reordering character ${hidden}; retype the value without it`);
    else if (located.value.includes('\n')) report(located.where, 'has more than one line; give one value');
    return located.value;
  };

  const name = oneLine(single('name'));
  if (name === '') report(COMPOSE_ISSUE_FIELDS.name, 'is missing; give the project a name, e.g. "my-app"');
  else if (!isProjectName(name) && !problems.some((p) => p.where === COMPOSE_ISSUE_FIELDS.name)) {
    report(COMPOSE_ISSUE_FIELDS.name, `${quote(name)} is not a valid project name: use lower-case letters, digits and single hyphens, start with a letter and end with a letter or digit (at most ${PROJECT_NAME_MAX} characters), e.g. "my-app"`);
  }

  const compose = unfenced(single('compose')?.value ?? '');
  if (compose.trim() === '') report(COMPOSE_ISSUE_FIELDS.compose, 'is empty; paste the compose file (compose.yaml) into it');

  const registryText = oneLine(single('registry'));
  if (/\s/.test(registryText)) report(COMPOSE_ISSUE_FIELDS.registry, `${quote(registryText)} contains spaces; give a registry such as ghcr.io/acme`);

  const images = new Map<string, string>();
  const imageLines = new Map<string, string>();
  for (const line of perLine('images')) {
    const hidden = findHiddenCharacter(line.value);
    const override = parseImageOverride(line.value);
    if (hidden) report(line.where, `contains the invisible or text-reordering character ${hidden}; retype the line without it`);
    else if (!override || /\s/.test(line.value)) report(line.where, `${quote(line.value)} is not SERVICE=IMAGE:TAG; write one override per line, e.g. proxy=nginx:1.27`);
    else if (images.has(override.service)) report(line.where, `overrides service "${override.service}" again (${imageLines.get(override.service)} already does); keep one line per service`);
    else {
      images.set(override.service, override.image);
      imageLines.set(override.service, line.where);
    }
  }

  const developerText = oneLine(single('developers')).trim();
  const developers = developerText === '' || developerText === 'all' ? 'all' : developerText.split(/[\s,]+/).filter((d) => d !== '');

  if (problems.length > 0) return { problems };
  return { input: { name, compose, registry: registryText === '' ? undefined : registryText, images, imageLines, developers }, problems };
}

/**
 * The textarea's value without the code fence GitHub wraps a `render:` field in (```yaml ... ```,
 * the fence as long as needed), or as typed when it has none. `_No response_` is an empty field.
 */
function unfenced(value: string): string {
  if (value === '_No response_') return '';
  const lines = value.split('\n');
  const open = /^(`{3,}|~{3,})[ \t]*[A-Za-z0-9_-]*[ \t]*$/.exec(lines[0] ?? '');
  if (!open || lines.length < 2 || lines.at(-1)!.trim() !== open[1]) return value.endsWith('\n') || value === '' ? value : `${value}\n`;
  const inner = lines.slice(1, -1).join('\n');
  return inner === '' ? '' : `${inner}\n`;
}
