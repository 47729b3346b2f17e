/**
 * The bots' GitHub calls against the local stand-in, which checks every request and response
 * against GitHub's OpenAPI description. Faults GitHub really sends (422, 403 secondary rate
 * limit, 429, 5xx) must be retried by the Octokit plugins or turned into errors that say what to do.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOctokit } from '../../generators/bots/create-octokit.ts';
import { openOrUpdatePullRequest } from '../../generators/bots/open-or-update-pull-request.ts';
import { upsertComment } from '../../generators/bots/upsert-comment.ts';
import { GitHubStandIn, SECONDARY_RATE_LIMIT } from '../helpers/github-stand-in.ts';

let gh: GitHubStandIn;
const warnings: string[] = [];
const client = () => createOctokit({ token: 'test-token', baseUrl: gh.url, backoffUnitMs: 1, spaceWrites: false, warn: (m) => warnings.push(m) });
const repo = { owner: 'example', repo: 'devfleet' };
const MARKER = '<!-- devfleet:test -->';

beforeAll(async () => {
  gh = await GitHubStandIn.start();
});
afterAll(() => gh.close());
afterEach(() => {
  // Nothing unexpected is left: no contract violation, no fault that was never hit.
  expect(gh.violations).toEqual([]);
  expect(gh.unusedFaults()).toEqual([]);
  gh.takeLog();
  gh.pulls.length = 0;
  gh.comments.length = 0;
  warnings.length = 0;
});

describe('upsertComment', () => {
  it('GIVEN no comment WHEN upserted three times (same, same, changed) THEN one comment is created, left alone, then updated', async () => {
    const octokit = client();
    const first = await upsertComment(octokit, { ...repo, issueNumber: 7, marker: MARKER, body: 'one' });
    const again = await upsertComment(octokit, { ...repo, issueNumber: 7, marker: MARKER, body: 'one' });
    const changed = await upsertComment(octokit, { ...repo, issueNumber: 7, marker: MARKER, body: 'two' });
    expect([first.action, again.action, changed.action]).toEqual(['created', 'unchanged', 'updated']);
    expect(gh.comments.map((c) => c.body)).toEqual([`${MARKER}\ntwo`]);
    expect(gh.takeLog()).toEqual([
      'issues/list-comments 200', 'issues/create-comment 201',
      'issues/list-comments 200',
      'issues/list-comments 200', 'issues/update-comment 200',
    ]);
  });

  it('GIVEN 150 comments with ours on page 2 and the marker pasted into a human comment WHEN upserted as the bot THEN only the bot\'s own comment is updated', async () => {
    for (let i = 0; i < 150; i++) gh.comments.push({ id: 10_000 + i, issue: 8, body: i === 3 ? `${MARKER}\nfake` : `comment ${i}`, login: i === 120 ? 'devfleet-bot[bot]' : 'alice' });
    gh.comments[120]!.body = `${MARKER}\nold`;
    const result = await upsertComment(client(), { ...repo, issueNumber: 8, marker: MARKER, body: 'new', author: 'devfleet-bot[bot]' });
    expect(result).toMatchObject({ action: 'updated', id: 10_120 });
    expect(gh.comments[3]!.body).toBe(`${MARKER}\nfake`);
    expect(gh.takeLog()).toEqual(['issues/list-comments 200', 'issues/list-comments 200', 'issues/update-comment 200']);
  });

  it('GIVEN a body over 65,536 characters WHEN upserted THEN it refuses before calling GitHub, saying what to do', async () => {
    await expect(upsertComment(client(), { ...repo, issueNumber: 7, marker: MARKER, body: 'x'.repeat(65_536) })).rejects.toThrow(/GitHub allows 65536\. Shorten it/);
    expect(gh.takeLog()).toEqual([]);
  });
});

describe('openOrUpdatePullRequest', () => {
  const pr = { ...repo, head: 'devfleet/new-project-7', base: 'main', title: 'Add project hello', body: 'Closes #7' };

  it('GIVEN no pull request WHEN run three times (same, same, new title) THEN one is created, left alone, then updated', async () => {
    const octokit = client();
    const results = [await openOrUpdatePullRequest(octokit, pr), await openOrUpdatePullRequest(octokit, pr), await openOrUpdatePullRequest(octokit, { ...pr, title: 'Add project hello2' })];
    expect(results.map((r) => r.action)).toEqual(['created', 'unchanged', 'updated']);
    expect(new Set(results.map((r) => r.number)).size).toBe(1);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.takeLog()).toEqual(['pulls/list 200', 'pulls/create 201', 'pulls/list 200', 'pulls/list 200', 'pulls/update 200']);
  });

  it('GIVEN another run opened the pull request after our search WHEN creating THEN GitHub\'s 422 "already exists" leads to updating that one, not a duplicate', async () => {
    gh.pulls.push({ number: 42, title: 'old title', body: null, head: pr.head, headSha: '1'.repeat(40), base: 'main', state: 'open' });
    gh.inject({ operationId: 'pulls/list', status: 200, body: [] }); // the search ran before the other run created it
    const result = await openOrUpdatePullRequest(client(), pr);
    expect(result).toMatchObject({ action: 'updated', number: 42 });
    expect(gh.pulls).toHaveLength(1);
    expect(gh.takeLog()).toEqual(['pulls/list 200', 'pulls/create 422', 'pulls/list 200', 'pulls/update 200']);
  });

  it('GIVEN a head branch that does not exist WHEN creating THEN the 422 becomes an error with GitHub\'s reason', async () => {
    gh.branchHead = () => undefined;
    try {
      await expect(openOrUpdatePullRequest(client(), pr)).rejects.toThrow(/opening a pull request from devfleet\/new-project-7 into main failed: GitHub answered 422: Validation Failed .*head does not exist/);
    } finally {
      gh.branchHead = () => '0'.repeat(40);
    }
    expect(gh.takeLog()).toEqual(['pulls/list 200', 'pulls/create 422']);
  });
});

describe('rate limits and server errors (the Octokit plugins, with fast back-off)', () => {
  it('GIVEN a 403 secondary rate limit WHEN commenting THEN the throttling plugin waits and retries once, and the comment is made once', async () => {
    gh.inject({ ...SECONDARY_RATE_LIMIT, operationId: 'issues/create-comment' });
    const result = await upsertComment(client(), { ...repo, issueNumber: 9, marker: MARKER, body: 'hi' });
    expect(result.action).toBe('created');
    expect(gh.comments).toHaveLength(1);
    expect(gh.takeLog()).toEqual(['issues/list-comments 200', 'issues/create-comment 403', 'issues/create-comment 201']);
    expect(warnings.join('\n')).toMatch(/secondary rate limit on POST .*retrying after 1 s/);
  });

  it('GIVEN a 429 with the rate limit exhausted WHEN listing THEN it is retried after the reset, then succeeds', async () => {
    gh.inject({ operationId: 'pulls/list', status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) }, body: { message: 'API rate limit exceeded for installation.', documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api' } });
    const result = await openOrUpdatePullRequest(client(), { ...repo, head: 'b', base: 'main', title: 't', body: 'b' });
    expect(result.action).toBe('created');
    expect(gh.takeLog()).toEqual(['pulls/list 429', 'pulls/list 200', 'pulls/create 201']);
  });

  it('GIVEN a 429 without rate-limit headers WHEN listing THEN the retry plugin retries it', async () => {
    gh.inject({ operationId: 'issues/list-comments', status: 429, body: { message: 'Too Many Requests', documentation_url: 'https://docs.github.com/rest' } });
    await upsertComment(client(), { ...repo, issueNumber: 10, marker: MARKER, body: 'x' });
    expect(gh.takeLog()).toEqual(['issues/list-comments 429', 'issues/list-comments 200', 'issues/create-comment 201']);
  });

  it('GIVEN one 502 WHEN updating a pull request THEN it is retried and succeeds', async () => {
    gh.pulls.push({ number: 50, title: 'a', body: 'b', head: 'x', headSha: '2'.repeat(40), base: 'main', state: 'open' });
    gh.inject({ operationId: 'pulls/update', status: 502, body: { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' } });
    const result = await openOrUpdatePullRequest(client(), { ...repo, head: 'x', base: 'main', title: 'new', body: 'b' });
    expect(result.action).toBe('updated');
    expect(gh.takeLog()).toEqual(['pulls/list 200', 'pulls/update 502', 'pulls/update 200']);
  });

  it('GIVEN GitHub answering 503 to every try WHEN commenting THEN after 3 retries the error says GitHub kept failing and to re-run later', async () => {
    gh.inject({ operationId: 'issues/list-comments', status: 503, times: 4, body: { message: 'Service Unavailable', documentation_url: 'https://docs.github.com/rest' } });
    await expect(upsertComment(client(), { ...repo, issueNumber: 11, marker: MARKER, body: 'x' })).rejects.toThrow(
      /listing the comments of #11 failed: GitHub answered 503: Service Unavailable\. What to do: GitHub kept failing after retries; re-run the workflow later/,
    );
    expect(gh.takeLog()).toEqual(Array(4).fill('issues/list-comments 503'));
    expect(gh.comments).toEqual([]);
  });

  it('GIVEN a repository the token cannot see WHEN commenting THEN the 404 says to check the name and the App installation', async () => {
    await expect(upsertComment(client(), { owner: 'example', repo: 'other', issueNumber: 1, marker: MARKER, body: 'x' })).rejects.toThrow(/GitHub answered 404.*the GitHub App is installed on this repository/);
    expect(gh.takeLog()).toEqual(['issues/list-comments 404']);
  });
});
