/**
 * Reads the body GitHub writes for an issue form (.github/ISSUE_TEMPLATE/new-project.yml):
 * one `### <field label>` heading per field, a blank line, the value; `_No response_` for a field
 * left empty. Only the form's own labels start a field, so a `###` line typed inside a value
 * stays part of that value; a label that appears twice is refused rather than guessed.
 * Ref https://docs.github.com/en/communities/using-templates-to-encourage-useful-issues-and-pull-requests/syntax-for-issue-forms
 */
import { GITHUB_BODY_MAX } from '../util/github-limits.ts';
import type { Located, ProjectInput } from './build-project.ts';
import type { InputProblem } from './input-problem.ts';

/** The issue form's field labels (keep in sync with .github/ISSUE_TEMPLATE/new-project.yml). */
export const ISSUE_FIELDS = {
  name: 'Project name',
  description: 'Description',
  containers: 'Containers',
  routes: 'Routes',
  developers: 'Who gets envs',
} as const;

export function parseIssueForm(body: string): { input?: ProjectInput; problems: InputProblem[] } {
  const form = readIssueForm<keyof typeof ISSUE_FIELDS>(body, ISSUE_FIELDS, ['name', 'containers'], 'New project');
  if (!form.fields) return { problems: form.problems };
  const { single, perLine } = form.fields;
  const problems: InputProblem[] = [];
  const name = single('name')!;
  if (name.value.includes('\n')) problems.push({ where: ISSUE_FIELDS.name, message: 'has more than one line; give one name, e.g. "my-app"' });
  const description = single('description');
  if (description?.value.includes('\n')) problems.push({ where: ISSUE_FIELDS.description, message: 'has more than one line; the description is one line shown in listings' });
  const developers = single('developers');
  if (problems.length > 0) return { problems };
  return {
    input: { name, description, containers: perLine('containers'), routes: perLine('routes'), developers },
    problems,
  };
}

/** The fields of one issue form's body, read as `single` values or one value `perLine`. */
export interface IssueFormFields<F extends string> {
  /** The field's whole text, trimmed ('' for `_No response_`), or undefined when the field is absent. */
  readonly single: (field: F) => Located | undefined;
  /** The field's non-blank lines, list bullets and code fences dropped, each with its line number. */
  readonly perLine: (field: F) => Located[];
}

/**
 * The sections of an issue-form body (`labels`: field -> its label in the form), or the problems:
 * a body longer than GitHub allows, a label that appears twice, a `required` field missing.
 * `formName` is the form's name, as the problems tell the author to use it.
 */
export function readIssueForm<F extends string>(body: string, labels: Readonly<Record<F, string>>, required: readonly F[], formName: string): { fields?: IssueFormFields<F>; problems: InputProblem[] } {
  // GitHub limits an issue body (util/github-limits.ts): anything longer did not come from the form.
  if (body.length > GITHUB_BODY_MAX) {
    return { problems: [{ where: 'issue body', message: `is ${body.length} characters long, more than GitHub allows (${GITHUB_BODY_MAX}); open the issue with the "${formName}" form` }] };
  }
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const byLabel = new Map<string, F>((Object.entries(labels) as [F, string][]).map(([field, label]) => [label, field]));
  const sections = new Map<F, { lines: string[]; start: number }>();
  const problems: InputProblem[] = [];
  let current: { lines: string[]; start: number } | undefined;
  lines.forEach((line, index) => {
    const heading = /^###[ \t]+(.+?)[ \t]*$/.exec(line);
    const field = heading ? byLabel.get(heading[1]!) : undefined;
    if (field) {
      if (sections.has(field)) problems.push({ where: labels[field], message: 'appears twice in the issue; edit the issue so each form field appears once (do not type lines starting with "### " into a field)' });
      current = { lines: [], start: index + 1 };
      sections.set(field, current);
    } else if (current) {
      current.lines.push(line);
    }
  });
  if (problems.length > 0) return { problems };
  for (const field of required) {
    if (!sections.has(field)) problems.push({ where: labels[field], message: `is missing from the issue; open it with the "${formName}" form, which has a "${labels[field]}" field` });
  }
  if (problems.length > 0) return { problems };

  const single = (field: F): Located | undefined => {
    const section = sections.get(field);
    if (!section) return undefined;
    const value = section.lines.join('\n').trim();
    return { value: value === '_No response_' ? '' : value, where: labels[field] };
  };
  const perLine = (field: F): Located[] => {
    const section = sections.get(field);
    if (!section) return [];
    const out: Located[] = [];
    section.lines.forEach((raw, i) => {
      const line = raw.trim().replace(/^[-*][ \t]+/, '');
      // Blank lines, the empty-field marker and code fences a user may wrap the list in carry no value.
      if (line === '' || line === '_No response_' || /^(```|~~~)/.test(line)) return;
      out.push({ value: line, where: `${labels[field]}, line ${i}` });
    });
    return out;
  };
  return { fields: { single, perLine }, problems };
}
