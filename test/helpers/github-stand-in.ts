/**
 * A local stand-in for the GitHub REST endpoints the bots use (node:http on 127.0.0.1, a random
 * port). It keeps pull requests and issue comments in memory, answers like GitHub, and checks
 * EVERY request and response against GitHub's published OpenAPI description (github-openapi.ts):
 * a contract violation is recorded, never silently accepted. Tests queue faults (422, 403
 * secondary rate limit, 429, 5xx) per operation, read the exchange log, and assert at the end
 * that no violation, no unused fault and no unexpected request is left.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkRequest, checkResponse, example, findOperation } from './github-openapi.ts';

export interface Fault {
  readonly operationId: string;
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  /** How many consecutive requests of the operation get this answer (default 1). */
  readonly times?: number;
}

export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly operationId: string | undefined;
  readonly status: number;
  readonly request: unknown;
  readonly response: unknown;
}

interface PullState {
  number: number;
  title: string;
  body: string | null;
  head: string;
  headSha: string;
  base: string;
  state: 'open' | 'closed';
}

interface CommentState {
  id: number;
  issue: number;
  body: string;
  login: string;
}

export const SECONDARY_RATE_LIMIT: Fault = {
  operationId: '',
  status: 403,
  headers: { 'retry-after': '1' },
  body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits' },
};

export class GitHubStandIn {
  readonly exchanges: Exchange[] = [];
  readonly violations: string[] = [];
  readonly pulls: PullState[] = [];
  readonly comments: CommentState[] = [];
  /** Login of the token's owner: what comments are created as. */
  login = 'devfleet-bot[bot]';
  /** Head commit of a branch, for pull requests (the tests wire this to the bare git remote). */
  branchHead: (branch: string) => string | undefined = () => '0'.repeat(40);
  private readonly faults: (Fault & { left: number })[] = [];
  private nextNumber = 100;
  private nextCommentId = 5000;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly owner: string,
    readonly repo: string,
  ) {}

  static async start(owner = 'example', repo = 'devfleet'): Promise<GitHubStandIn> {
    let standIn: GitHubStandIn | undefined;
    const server = createServer((req, res) => void standIn!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    standIn = new GitHubStandIn(server, `http://127.0.0.1:${port}`, owner, repo);
    return standIn;
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Faults queued but never used: a test that expected a retry that did not happen. */
  unusedFaults(): string[] {
    return this.faults.filter((f) => f.left > 0).map((f) => `${f.operationId} ${f.status} (${f.left} left)`);
  }

  /** "<operationId> <status>" per exchange since the last call; clears the log. */
  takeLog(): string[] {
    return this.exchanges.splice(0).map((e) => `${e.operationId ?? `${e.method} ${e.path}`} ${e.status}`);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let request: unknown;
    try {
      request = text === '' ? undefined : JSON.parse(text);
    } catch {
      this.violations.push(`${req.method} ${url.pathname}: body is not JSON`);
    }
    const method = req.method ?? 'GET';
    const op = findOperation(method, url.pathname);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (op) this.violations.push(...checkResponse(op, status, body));
      this.exchanges.push({ method, path: `${url.pathname}${url.search}`, operationId: op?.operationId, status, request, response: body });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (!op) {
      this.violations.push(`${method} ${url.pathname}: no such operation in GitHub's REST API`);
      return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
    this.violations.push(...checkRequest(op, url.searchParams, request));
    if (req.headers.authorization !== 'token test-token' && req.headers.authorization !== 'bearer test-token') {
      this.violations.push(`${op.operationId}: no or wrong Authorization header (${req.headers.authorization ?? 'none'})`);
    }
    if (op.params.owner !== this.owner || op.params.repo !== this.repo) {
      return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
    const fault = this.faults.find((f) => f.left > 0 && f.operationId === op.operationId);
    if (fault) {
      fault.left--;
      return reply(fault.status, fault.body, fault.headers);
    }
    const body = (request ?? {}) as Record<string, unknown>;
    switch (op.operationId) {
      case 'pulls/list': {
        const state = url.searchParams.get('state') ?? 'open';
        const head = url.searchParams.get('head');
        const found = this.pulls.filter((p) => (state === 'all' || p.state === state) && (head === null || `${this.owner}:${p.head}` === head));
        return reply(200, found.map((p) => this.pullJson(p, 'pull-request-simple-items')));
      }
      case 'pulls/create': {
        const head = String(body.head);
        const sha = this.branchHead(head);
        if (!sha) return reply(422, validation('PullRequest', 'head', 'invalid', `head does not exist: ${head}`));
        if (this.pulls.some((p) => p.state === 'open' && p.head === head && p.base === body.base)) {
          return reply(422, validation('PullRequest', undefined, 'custom', `A pull request already exists for ${this.owner}:${head}.`));
        }
        const pull: PullState = { number: this.nextNumber++, title: String(body.title), body: (body.body as string | undefined) ?? null, head, headSha: sha, base: String(body.base), state: 'open' };
        this.pulls.push(pull);
        return reply(201, this.pullJson(pull), { location: `${this.url}/repos/${this.owner}/${this.repo}/pulls/${pull.number}` });
      }
      case 'pulls/get':
      case 'pulls/update': {
        const pull = this.pulls.find((p) => p.number === Number(op.params.pull_number));
        if (!pull) return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/pulls/pulls' });
        if (op.operationId === 'pulls/update') {
          if (typeof body.title === 'string') pull.title = body.title;
          if (typeof body.body === 'string') pull.body = body.body;
        }
        pull.headSha = this.branchHead(pull.head) ?? pull.headSha;
        return reply(200, this.pullJson(pull));
      }
      case 'issues/list-comments': {
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const all = this.comments.filter((c) => c.issue === Number(op.params.issue_number));
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const next: Record<string, string> = page * perPage < all.length ? { link: `<${this.url}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
        return reply(200, slice.map((c) => this.commentJson(c)), next);
      }
      case 'issues/create-comment': {
        const comment = { id: this.nextCommentId++, issue: Number(op.params.issue_number), body: String(body.body), login: this.login };
        this.comments.push(comment);
        return reply(201, this.commentJson(comment), { location: `${this.url}/repos/${this.owner}/${this.repo}/issues/comments/${comment.id}` });
      }
      case 'issues/update-comment': {
        const comment = this.comments.find((c) => c.id === Number(op.params.comment_id));
        if (!comment) return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/issues/comments' });
        comment.body = String(body.body);
        return reply(200, this.commentJson(comment));
      }
      default:
        this.violations.push(`${op.operationId}: the bots are not expected to call this`);
        return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
  }

  private pullJson(pull: PullState, kind: 'pull-request' | 'pull-request-simple-items' = 'pull-request'): unknown {
    const base = kind === 'pull-request' ? example<Record<string, any>>('pull-request') : example<Record<string, any>[]>('pull-request-simple-items')[0]!;
    const repoUrl = `${this.url}/repos/${this.owner}/${this.repo}`;
    const html = `https://github.com/${this.owner}/${this.repo}/pull/${pull.number}`;
    Object.assign(base, {
      id: 1_000_000 + pull.number,
      number: pull.number,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      url: `${repoUrl}/pulls/${pull.number}`,
      html_url: html,
      requested_reviewers: [],
      requested_teams: [],
    });
    Object.assign(base.head, { ref: pull.head, sha: pull.headSha, label: `${this.owner}:${pull.head}` });
    Object.assign(base.base, { ref: pull.base, label: `${this.owner}:${pull.base}` });
    return base;
  }

  private commentJson(comment: CommentState): unknown {
    const base = example<Record<string, any>>('issue-comment');
    Object.assign(base, {
      id: comment.id,
      body: comment.body,
      url: `${this.url}/repos/${this.owner}/${this.repo}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/issues/${comment.issue}#issuecomment-${comment.id}`,
      issue_url: `${this.url}/repos/${this.owner}/${this.repo}/issues/${comment.issue}`,
    });
    Object.assign(base.user, { login: comment.login, type: comment.login.endsWith('[bot]') ? 'Bot' : 'User' });
    return base;
  }
}

function validation(resource: string, field: string | undefined, code: string, message: string) {
  return {
    message: 'Validation Failed',
    errors: [{ resource, code, message, ...(field ? { field } : {}) }],
    documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
  };
}
