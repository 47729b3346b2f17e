/**
 * The writing half of the diff bot (.github/workflows/pr-diff-comment.yml, on `workflow_run`):
 * posts the markdown that `devfleet diff` produced in the pull request's own read-only run as ONE
 * sticky comment. That artifact was made by the pull request's code, so it is untrusted data:
 * the pull-request number it names is believed only if that pull request's head is the commit the
 * run was for (from the trusted event), its size is capped, and any marker inside is removed so
 * it cannot hijack another comment. Nothing from it is executed or interpolated into a command.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { DIFF_MARKER } from '../diff/format-markdown.ts';
import { GITHUB_BODY_MAX, GITHUB_BODY_MAX_BYTES } from '../util/github-limits.ts';
import { BotError } from './bot-error.ts';
import { getPullRequestHead } from './get-pull-request-head.ts';
import { upsertComment } from './upsert-comment.ts';

export const DIFF_ARTIFACT = { comment: 'comment.md', pullRequest: 'pull-request.json' } as const;

export interface PublishDiffCommentOptions {
  readonly owner: string;
  readonly repo: string;
  readonly artifactDir: string;
  /** `github.event.workflow_run.head_sha`: the commit the diff run checked out. */
  readonly headSha: string;
  readonly commentAuthor?: string;
}

export async function publishDiffComment(octokit: Octokit, options: PublishDiffCommentOptions): Promise<{ action: string; pullRequest: number }> {
  const { owner, repo } = options;
  const meta = JSON.parse(readCapped(join(options.artifactDir, DIFF_ARTIFACT.pullRequest), 1024)) as { number?: unknown };
  const number = meta.number;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) throw new BotError(`${DIFF_ARTIFACT.pullRequest} in the artifact has no valid pull-request number; nothing was posted`);
  if (!/^[0-9a-f]{40}$/.test(options.headSha)) throw new BotError(`head sha ${JSON.stringify(options.headSha)} is not a commit id; pass github.event.workflow_run.head_sha`);

  const head = await getPullRequestHead(octokit, { owner, repo, number });
  if (head.sha !== options.headSha) {
    throw new BotError(`the artifact names pull request #${number}, whose head is ${head.sha}, but the diff ran for ${options.headSha}; nothing was posted (a newer push will post its own diff)`);
  }
  if (head.state !== 'open') return { action: 'skipped (pull request closed)', pullRequest: number };

  const markdown = readCapped(join(options.artifactDir, DIFF_ARTIFACT.comment), GITHUB_BODY_MAX_BYTES).replaceAll(DIFF_MARKER, '');
  let body = `${DIFF_MARKER}\n${markdown.replace(/^\n+/, '')}`;
  if (body.length > GITHUB_BODY_MAX) {
    const note = '\n\n**Truncated** by the comment bot: the diff was longer than a GitHub comment. See the job summary of the pr-diff run.\n';
    body = body.slice(0, GITHUB_BODY_MAX - note.length) + note;
  }
  const posted = await upsertComment(octokit, { owner, repo, issueNumber: number, marker: DIFF_MARKER, body, ...(options.commentAuthor ? { author: options.commentAuthor } : {}) });
  return { action: posted.action, pullRequest: number };
}

function readCapped(path: string, max: number): string {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    throw new BotError(`${path} is missing from the artifact; did the pr-diff run finish?`);
  }
  if (!stat.isFile() || stat.size > max) throw new BotError(`${path} in the artifact is not a regular file of at most ${max} bytes; nothing was posted`);
  return readFileSync(path, 'utf8');
}
