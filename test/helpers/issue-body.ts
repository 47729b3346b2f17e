/** The markdown GitHub writes for a "New project" issue form: `### <label>`, a blank line, the value or `_No response_`. */
import { ISSUE_FIELDS } from '../../generators/scaffold/parse-issue-form.ts';

export type IssueFields = Partial<Record<keyof typeof ISSUE_FIELDS, string>>;

export function issueBody(fields: IssueFields): string {
  return (Object.keys(ISSUE_FIELDS) as (keyof typeof ISSUE_FIELDS)[])
    .map((field) => `### ${ISSUE_FIELDS[field]}\n\n${fields[field] === undefined || fields[field] === '' ? '_No response_' : fields[field]}`)
    .join('\n\n');
}

/** An `issues` event payload as GitHub writes it to $GITHUB_EVENT_PATH (the fields the bot reads, and some it does not). */
export function issueEvent(number: number, body: string, association = 'MEMBER'): unknown {
  return {
    action: 'edited',
    issue: { number, title: `New project: ${number}`, body, state: 'open', author_association: association, labels: [{ name: 'new-project' }], user: { login: 'alice' } },
    repository: { full_name: 'example/devfleet', default_branch: 'main' },
  };
}
