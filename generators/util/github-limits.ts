/**
 * GitHub's limit on the text of an issue, a pull request or a comment: its REST API refuses a
 * longer body with 422 "Body is too long (maximum is 65536 characters)"
 * (https://docs.github.com/en/rest/issues/comments#create-an-issue-comment answers so).
 */
export const GITHUB_BODY_MAX = 65_536;

/** The most bytes such a body can take in UTF-8 (4 bytes a character at most): a bound for reading files that claim to hold one. */
export const GITHUB_BODY_MAX_BYTES = GITHUB_BODY_MAX * 4;
