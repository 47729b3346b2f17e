/** The state and head commit of a pull request, to check that untrusted data really belongs to it. */
import type { Octokit } from '@octokit/rest';
import { explainRequestError } from './bot-error.ts';

export async function getPullRequestHead(octokit: Octokit, options: { owner: string; repo: string; number: number }): Promise<{ sha: string; state: string }> {
  try {
    // https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request
    const { data } = await octokit.rest.pulls.get({ owner: options.owner, repo: options.repo, pull_number: options.number });
    return { sha: data.head.sha, state: data.state };
  } catch (error) {
    throw explainRequestError(error, `reading pull request #${options.number}`);
  }
}
