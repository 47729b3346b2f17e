/**
 * The error types every layer may throw. They live at the bottom so that no module has to import
 * the CLI to report a problem; `generators/cli/handle-error.ts` turns each into a message and an
 * exit code, once. Invalid definitions are `DefinitionError` (./problem.ts).
 */

/** A mistake in how a command was called (unknown flag, missing argument, unknown cluster): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A request about data that does not exist (an env, a developer): exit 1 with a hint. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** A request the current definitions make pointless or unsafe (e.g. `down` of an always-on env): exit 1, saying why. */
export class RefusedError extends Error {
  override name = 'RefusedError';
}
