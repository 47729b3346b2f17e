/**
 * Job 2 of .github/workflows/new-project.yml (the bot's token): the artifact in $ARTIFACT_DIR ->
 * branch + pull request + issue comment, or one comment listing the problems.
 */
import { createOctokit } from '../create-octokit.ts';
import { publishNewProject } from '../publish-new-project.ts';
import { positiveInteger, repository, requireEnv, runBot } from './run-bot.ts';

await runBot('new-project-publish', async () => {
  const { owner, repo } = repository();
  const token = requireEnv('GITHUB_TOKEN');
  const login = process.env.BOT_LOGIN ?? '';
  const result = await publishNewProject(createOctokit({ token, baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com' }), {
    owner,
    repo,
    issueNumber: positiveInteger('ISSUE_NUMBER'),
    base: requireEnv('BASE_BRANCH'),
    remote: process.env.GIT_REMOTE ?? `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${owner}/${repo}.git`,
    gitDir: process.cwd(),
    token,
    artifactDir: requireEnv('ARTIFACT_DIR'),
    // GitHub attributes a bot's commits to <login> through its noreply address.
    author: login ? { name: login, email: `${login}@users.noreply.github.com` } : { name: 'devfleet-bot', email: 'devfleet-bot@users.noreply.github.com' },
    ...(login ? { commentAuthor: login } : {}),
  });
  return result.outcome === 'pull-request'
    ? `pull request #${result.pullRequest} ${result.pullRequestAction}, branch ${result.branch} ${result.pushed ? 'pushed' : 'already up to date'}, issue comment ${result.commentAction}`
    : `${result.problems} problem(s); issue comment ${result.commentAction}`;
});
