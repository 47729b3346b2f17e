/**
 * The bots' GitHub client: @octokit/rest with GitHub's recommended request throttling
 * (@octokit/plugin-throttling: one write at a time, waiting out primary and secondary rate
 * limits) and retries of server errors with growing back-off (@octokit/plugin-retry).
 * Ref https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';

const BotOctokit = Octokit.plugin(retry, throttling);

export interface CreateOctokitOptions {
  readonly token: string;
  /** REST API root, e.g. https://api.github.com (GITHUB_API_URL in Actions). */
  readonly baseUrl?: string;
  /** Retries of a failed request (5xx, 429, network) and waits of a rate-limited one. Default 3. */
  readonly retries?: number;
  /**
   * Milliseconds per back-off unit: retries wait 1, 4, 9... units; rate limits wait the seconds
   * GitHub asks for, in units. Default 1000 (seconds); tests pass 1.
   */
  readonly backoffUnitMs?: number;
  /** Space writes apart as GitHub asks (1 s, 3 s for notifying ones). Default true; tests turn it off. */
  readonly spaceWrites?: boolean;
  /** Warnings (rate limits hit, retries). */
  readonly warn?: (message: string) => void;
}

export function createOctokit(options: CreateOctokitOptions): Octokit {
  const retries = options.retries ?? 3;
  const unit = options.backoffUnitMs ?? 1000;
  const warn = options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
  const unspaced = () => new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 });
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const again = retryCount < retries;
    warn(`GitHub ${kind} on ${request.method} ${request.url}; ${again ? `retrying after ${retryAfter} s` : 'giving up'}`);
    return again;
  };
  return new BotOctokit({
    auth: options.token,
    baseUrl: options.baseUrl ?? 'https://api.github.com',
    userAgent: 'devfleet-bot',
    retry: { retries, retryAfterBaseValue: unit },
    throttle: {
      retryAfterBaseValue: unit,
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
      ...(options.spaceWrites === false ? { write: unspaced(), notifications: unspaced() } : {}),
    },
    log: { debug: () => {}, info: () => {}, warn, error: warn },
  });
}
