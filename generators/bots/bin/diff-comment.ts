/**
 * .github/workflows/pr-diff-comment.yml (on workflow_run, runs the default branch's code only):
 * the pr-diff artifact in $ARTIFACT_DIR -> one sticky comment on the pull request.
 */
import { createOctokit } from '../create-octokit.ts';
import { publishDiffComment } from '../publish-diff-comment.ts';
import { repository, requireEnv, runBot } from './run-bot.ts';

await runBot('diff-comment', async () => {
  const { owner, repo } = repository();
  const octokit = createOctokit({ token: requireEnv('GITHUB_TOKEN'), baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com' });
  const result = await publishDiffComment(octokit, {
    owner,
    repo,
    artifactDir: requireEnv('ARTIFACT_DIR'),
    headSha: requireEnv('HEAD_SHA'),
    ...(process.env.COMMENT_AUTHOR ? { commentAuthor: process.env.COMMENT_AUTHOR } : {}),
  });
  return `pull request #${result.pullRequest}: comment ${result.action}`;
});
