/**
 * The writing half of the new-project bot: the checked artifact of prepareNewProject ->
 *   valid:   the branch `devfleet/new-project-<issue>` (one commit on the base branch), one pull
 *            request that closes the issue, and one comment on the issue linking it;
 *   invalid: one comment on the issue listing every problem.
 * Every step is idempotent: a re-run (the issue was edited) updates the same branch, pull request
 * and comment, and changes nothing when nothing changed.
 */
import { DEFINITION_DIRS } from '../plan/layout.ts';
import type { Octokit } from '@octokit/rest';
import { codeBlock } from '../diff/format-markdown.ts';
import { GITHUB_BODY_MAX } from '../util/github-limits.ts';
import { readNewProjectArtifact, type NewProjectForm } from './new-project-artifact.ts';
import { openOrUpdatePullRequest } from './open-or-update-pull-request.ts';
import { pushBranch } from './push-branch.ts';
import { upsertComment } from './upsert-comment.ts';

/** The hidden line of the bot's comment on a "New project" issue. */
export const NEW_PROJECT_MARKER = '<!-- devfleet:new-project -->';

export interface PublishNewProjectOptions {
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
  /** The branch pull requests go into (the default branch). */
  readonly base: string;
  /** The remote to push to (https URL in Actions; a path in tests) and a git repository to work in. */
  readonly remote: string;
  readonly gitDir: string;
  readonly token?: string;
  readonly artifactDir: string;
  readonly author: { readonly name: string; readonly email: string };
  /** Login of the bot, so only its own comment is ever edited, e.g. `devfleet-bot[bot]`. */
  readonly commentAuthor?: string;
}

export type PublishNewProjectResult =
  | { readonly outcome: 'pull-request'; readonly branch: string; readonly pushed: boolean; readonly pullRequest: number; readonly pullRequestAction: string; readonly commentAction: string }
  | { readonly outcome: 'problems'; readonly problems: number; readonly commentAction: string };

export function branchFor(issueNumber: number): string {
  return `devfleet/new-project-${issueNumber}`;
}

/** Each form's name, and how to fill it in when the bot lists problems. */
const FORMS: Record<NewProjectForm, { readonly name: string; readonly hint: string }> = {
  'new-project': {
    name: 'New project',
    hint: 'Containers are one per line: `name=web, image=nginx:1.27, port=http:80` (`port` may repeat; `cpu=` and `memory=` are optional). Routes are one per line: `my-app.com` or `api.my-app.com:api`.',
  },
  compose: {
    name: 'New project from compose',
    hint: 'The bot reads only the compose file in the issue: files it names beside itself (`include`, `env_file`, `.env`, bind-mounted files, configs, build contexts) are missing, as for a compose file alone in its folder. Where a problem says `--registry` or `--image`, fill in the "Registry for built images" or "Image overrides" field. Run `devfleet import compose <file>` on your machine to import a compose file with its neighbours. The mapping: docs/import-compose.md.',
  },
};

/** Room in a comment or pull request body for one code block of problem lines. */
const LINES_MAX_CHARS = GITHUB_BODY_MAX / 2;

/** `lines` that fit in LINES_MAX_CHARS, and a last line saying how many more there are. */
function bounded(lines: readonly string[]): string {
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length + 1 > LINES_MAX_CHARS) break;
    kept.push(line);
    size += line.length + 1;
  }
  if (kept.length < lines.length) kept.push(`... and ${lines.length - kept.length} more`);
  return kept.join('\n');
}

export async function publishNewProject(octokit: Octokit, options: PublishNewProjectOptions): Promise<PublishNewProjectResult> {
  const { owner, repo, issueNumber } = options;
  const { result, files } = readNewProjectArtifact(options.artifactDir, issueNumber);
  const comment = (body: string) => upsertComment(octokit, { owner, repo, issueNumber, marker: NEW_PROJECT_MARKER, body, ...(options.commentAuthor ? { author: options.commentAuthor } : {}) });

  const form = FORMS[result.form];
  if (!result.valid) {
    const lines = result.problems.map((p) => `${p.where}: ${p.message}`);
    const body = [
      NEW_PROJECT_MARKER,
      `**devfleet could not turn this issue into a project definition** (${lines.length} problem(s)). Edit the issue to fix them; the bot runs again on every edit.`,
      '',
      codeBlock(bounded(lines), 'text'),
      '',
      form.hint,
    ].join('\n');
    const posted = await comment(body);
    return { outcome: 'problems', problems: lines.length, commentAction: posted.action };
  }

  const branch = branchFor(issueNumber);
  const push = pushBranch(options.gitDir, {
    remote: options.remote,
    base: options.base,
    branch,
    files,
    deletions: result.deletions,
    message: `Add project ${result.project} (from #${issueNumber})\n\nWritten by the devfleet new-project bot from the "${form.name}" issue form: ${result.file} and the regenerated clusters/.`,
    author: options.author,
    ...(options.token ? { token: options.token } : {}),
  });
  const pr = await openOrUpdatePullRequest(octokit, {
    owner,
    repo,
    head: branch,
    base: options.base,
    title: `Add project ${result.project}`,
    body: [
      `Adds \`${result.file}\` and the regenerated \`${DEFINITION_DIRS.cluster}/\` from the "${form.name}" issue #${issueNumber}.`,
      '',
      `Closes #${issueNumber}`,
      '',
      'Review it like any other change: the devfleet diff comment below shows every env it creates. To change it, edit the issue; the bot updates this branch.',
      ...(result.warnings.length > 0
        ? ['', `**${result.warnings.length} thing(s) in the compose file were not imported as Compose runs them**; check the app works without them:`, '', codeBlock(bounded(result.warnings.map((w) => `${w.where}: ${w.message}`)), 'text')]
        : []),
    ].join('\n'),
  });
  const posted = await comment(
    [
      NEW_PROJECT_MARKER,
      `The definition is ready for review in #${pr.number} (\`${result.file}\`, branch \`${branch}\`).`,
      '',
      'Edit this issue to change it: the bot updates the same pull request.',
    ].join('\n'),
  );
  return { outcome: 'pull-request', branch, pushed: push.pushed, pullRequest: pr.number, pullRequestAction: pr.action, commentAction: posted.action };
}
