/** The markdown GitHub writes for an issue form: `### <label>`, a blank line, the value or `_No response_`. */
import { COMPOSE_ISSUE_FIELDS, COMPOSE_ISSUE_LABEL } from '../../generators/bots/parse-compose-issue-form.ts';
import { ISSUE_FIELDS } from '../../generators/scaffold/parse-issue-form.ts';

export type IssueFields = Partial<Record<keyof typeof ISSUE_FIELDS, string>>;
export type ComposeIssueFields = Partial<Record<keyof typeof COMPOSE_ISSUE_FIELDS, string>>;

function formBody<F extends string>(labels: Readonly<Record<F, string>>, fields: Partial<Record<F, string>>, render: Partial<Record<F, string>> = {}): string {
  return (Object.keys(labels) as F[])
    .map((field) => {
      const value = fields[field];
      const language = render[field];
      // A `render:` textarea is wrapped in a fence of that language, as GitHub does.
      const text = value === undefined || value === '' ? '_No response_' : language === undefined ? value : `\`\`\`${language}\n${value.replace(/\n$/, '')}\n\`\`\``;
      return `### ${labels[field]}\n\n${text}`;
    })
    .join('\n\n');
}

/** A "New project" issue (.github/ISSUE_TEMPLATE/new-project.yml). */
export function issueBody(fields: IssueFields): string {
  return formBody(ISSUE_FIELDS, fields);
}

/** A "New project from compose" issue (.github/ISSUE_TEMPLATE/new-project-from-compose.yml): the compose file fenced as ```yaml. */
export function composeIssueBody(fields: ComposeIssueFields): string {
  return formBody(COMPOSE_ISSUE_FIELDS, fields, { compose: 'yaml' });
}

/** The labels each form applies. */
export const FORM_LABELS = { 'new-project': 'new-project', compose: COMPOSE_ISSUE_LABEL } as const;

/** An `issues` event payload as GitHub writes it to $GITHUB_EVENT_PATH (the fields the bot reads, and some it does not). */
export function issueEvent(number: number, body: string, association = 'MEMBER', label: string = FORM_LABELS['new-project']): unknown {
  return {
    action: 'edited',
    issue: { number, title: `New project: ${number}`, body, state: 'open', author_association: association, labels: [{ name: label }], user: { login: 'alice' } },
    repository: { full_name: 'example/devfleet', default_branch: 'main' },
  };
}
