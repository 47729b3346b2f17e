/**
 * One comment per purpose on an issue or pull request ("sticky"): found by a hidden marker line
 * and updated in place, or created once. Re-runs never add a second comment.
 */
import type { Octokit } from '@octokit/rest';
import { GITHUB_BODY_MAX } from '../util/github-limits.ts';
import { BotError, explainRequestError } from './bot-error.ts';

export interface UpsertCommentOptions {
  readonly owner: string;
  readonly repo: string;
  /** Issue or pull-request number (pull requests are issues to the comments API). */
  readonly issueNumber: number;
  /** A hidden line such as `<!-- devfleet:diff -->`; the body starts with it. */
  readonly marker: string;
  readonly body: string;
  /**
   * Only a comment by this login counts as ours (e.g. `my-app[bot]`), so a marker pasted into
   * someone else's comment is never edited. Default: any author.
   */
  readonly author?: string;
}

export interface UpsertCommentResult {
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly id: number;
  readonly url: string;
}

export async function upsertComment(octokit: Octokit, options: UpsertCommentOptions): Promise<UpsertCommentResult> {
  const { owner, repo, issueNumber, marker } = options;
  if (!/^<!-- [a-z0-9:-]+ -->$/.test(marker)) throw new BotError(`marker ${JSON.stringify(marker)} must look like <!-- devfleet:name -->`);
  const body = options.body.startsWith(marker) ? options.body : `${marker}\n${options.body}`;
  if (body.length > GITHUB_BODY_MAX) {
    throw new BotError(`the comment for #${issueNumber} is ${body.length} characters; GitHub allows ${GITHUB_BODY_MAX}. Shorten it before posting (devfleet diff --max-chars does this for diffs)`);
  }

  let existing: { id: number; body?: string; html_url: string } | undefined;
  try {
    // https://docs.github.com/en/rest/issues/comments#list-issue-comments
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 })) {
      existing = page.data.find((c) => (c.body ?? '').startsWith(marker) && (options.author === undefined || c.user?.login === options.author));
      if (existing) break;
    }
  } catch (error) {
    throw explainRequestError(error, `listing the comments of #${issueNumber}`);
  }

  if (existing) {
    if (existing.body === body) return { action: 'unchanged', id: existing.id, url: existing.html_url };
    try {
      // https://docs.github.com/en/rest/issues/comments#update-an-issue-comment
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      return { action: 'updated', id: data.id, url: data.html_url };
    } catch (error) {
      throw explainRequestError(error, `updating comment ${existing.id} on #${issueNumber}`);
    }
  }
  try {
    // https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return { action: 'created', id: data.id, url: data.html_url };
  } catch (error) {
    throw explainRequestError(error, `commenting on #${issueNumber}`);
  }
}
