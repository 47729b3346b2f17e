/**
 * One pull request per bot branch: the open one for the head branch is updated (title, body),
 * or one is created. A concurrent run that created it first (GitHub's 422 "A pull request
 * already exists") is handled by updating that one, so re-runs never duplicate the pull request.
 */
import type { Octokit } from '@octokit/rest';
import { explainRequestError } from './bot-error.ts';

export interface PullRequestOptions {
  readonly owner: string;
  readonly repo: string;
  /** Branch in the same repository, e.g. `devfleet/new-project-12`. */
  readonly head: string;
  /** Branch to merge into, e.g. `main`. */
  readonly base: string;
  readonly title: string;
  readonly body: string;
}

export interface PullRequestResult {
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly number: number;
  readonly url: string;
}

export async function openOrUpdatePullRequest(octokit: Octokit, options: PullRequestOptions): Promise<PullRequestResult> {
  const found = await findOpenPullRequest(octokit, options);
  if (found) return updateIfChanged(octokit, options, found);
  try {
    // https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request
    const { data } = await octokit.rest.pulls.create({ owner: options.owner, repo: options.repo, head: options.head, base: options.base, title: options.title, body: options.body, maintainer_can_modify: true });
    return { action: 'created', number: data.number, url: data.html_url };
  } catch (error) {
    const errors = (error as { status?: number; response?: { data?: { errors?: { message?: string }[] } } }).response?.data?.errors ?? [];
    if ((error as { status?: number }).status === 422 && errors.some((e) => /pull request already exists/i.test(e.message ?? ''))) {
      const raced = await findOpenPullRequest(octokit, options);
      if (raced) return updateIfChanged(octokit, options, raced);
    }
    throw explainRequestError(error, `opening a pull request from ${options.head} into ${options.base}`);
  }
}

interface Found {
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
  readonly html_url: string;
}

async function findOpenPullRequest(octokit: Octokit, options: PullRequestOptions): Promise<Found | undefined> {
  try {
    // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
    const { data } = await octokit.rest.pulls.list({ owner: options.owner, repo: options.repo, head: `${options.owner}:${options.head}`, state: 'open', per_page: 10 });
    return data[0];
  } catch (error) {
    throw explainRequestError(error, `looking for an open pull request from ${options.head}`);
  }
}

async function updateIfChanged(octokit: Octokit, options: PullRequestOptions, found: Found): Promise<PullRequestResult> {
  if (found.title === options.title && (found.body ?? '') === options.body) return { action: 'unchanged', number: found.number, url: found.html_url };
  try {
    // https://docs.github.com/en/rest/pulls/pulls#update-a-pull-request
    const { data } = await octokit.rest.pulls.update({ owner: options.owner, repo: options.repo, pull_number: found.number, title: options.title, body: options.body });
    return { action: 'updated', number: data.number, url: data.html_url };
  } catch (error) {
    throw explainRequestError(error, `updating pull request #${found.number}`);
  }
}
