/**
 * What the bot entry points share: settings from the environment (as GitHub Actions sets it),
 * and one way to fail: a single-line `::error::` annotation that says what to do, exit 1.
 * Ref https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 */
import { BotError } from '../bot-error.ts';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new BotError(`the environment variable ${name} is not set; the workflow step must pass it in env:`);
  return value;
}

export function repository(): { owner: string; repo: string } {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(requireEnv('GITHUB_REPOSITORY'));
  if (!match) throw new BotError(`GITHUB_REPOSITORY must be owner/name, got ${JSON.stringify(process.env.GITHUB_REPOSITORY)}`);
  return { owner: match[1]!, repo: match[2]! };
}

export function positiveInteger(name: string): number {
  const value = Number(requireEnv(name));
  if (!Number.isSafeInteger(value) || value < 1) throw new BotError(`${name} must be a positive whole number`);
  return value;
}

/** Workflow-command escaping (as @actions/core does), so no message can start a command of its own. */
function escape(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

export async function runBot(name: string, step: () => Promise<string>): Promise<void> {
  try {
    process.stdout.write(`${name}: ${escape(await step())}\n`);
  } catch (error) {
    const message = error instanceof BotError ? error.message : `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}; report it`;
    process.stdout.write(`::error title=${name}::${escape(message)}\n`);
    process.exitCode = 1;
  }
}
