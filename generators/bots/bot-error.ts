/**
 * Every failure of a bot step, with what to do next. GitHub's answer (status, message) is
 * turned into advice here, once: the workflow log is all a maintainer sees.
 */
export class BotError extends Error {
  override name = 'BotError';
}

const APP_PERMISSIONS = 'contents: write, pull-requests: write, issues: write, metadata: read';

/** `doing` says what was attempted, e.g. 'creating the pull request for devfleet/new-project-12'. */
export function explainRequestError(error: unknown, doing: string): BotError {
  const e = error as { status?: number; message?: string; response?: { url?: string; data?: { message?: string; errors?: unknown } } };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const said = e.response?.data?.message ?? e.message ?? String(error);
  const details = e.response?.data?.errors ? ` ${JSON.stringify(e.response.data.errors).slice(0, 300)}` : '';
  const advice =
    status === undefined || (status === 500 && !e.response)
      ? 'GitHub could not be reached; check the network and GITHUB_API_URL, then re-run the workflow'
      : status === 401
        ? 'the token is missing, wrong or expired; check the "Create the bot token" step and the DEVFLEET_APP_ID / DEVFLEET_APP_PRIVATE_KEY settings (docs/bots.md)'
        : status === 403 && /secondary rate|rate limit/i.test(said)
          ? 'GitHub rate-limited the bot even after waiting and retrying; re-run the workflow in an hour'
          : status === 403
            ? `the token may not do this; give the GitHub App the permissions ${APP_PERMISSIONS} and install it on this repository (docs/bots.md)`
            : status === 404
              ? 'not found: check the repository name, the issue or pull request number, and that the GitHub App is installed on this repository'
              : status === 422
                ? 'GitHub refused the data; see its message above'
                : status === 429
                  ? 'GitHub rate-limited the bot even after waiting and retrying; re-run the workflow in an hour'
                  : status >= 500
                    ? 'GitHub kept failing after retries; re-run the workflow later (see https://www.githubstatus.com)'
                    : 'see GitHub\'s message above';
  return new BotError(`${doing} failed: GitHub answered ${status ?? 'nothing'}: ${said}${details}. What to do: ${advice}.`, { cause: error });
}
