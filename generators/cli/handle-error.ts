/**
 * Every failure of the CLI is formatted here, once.
 * Exit codes (docs/design-notes.md "CLI contract"): 0 ok, 1 invalid input or a failed check, 2 usage error.
 */
import { DefinitionError, formatProblem } from '../util/problem.ts';
import { KubeError } from '../kube/kube-error.ts';
import { NotFoundError, RefusedError, UsageError } from '../util/errors.ts';

export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** `writes`: whether the command would have written files; read-only commands do not say "nothing was written". */
export function handleError(error: unknown, stderr: (line: string) => void, { writes = true }: { writes?: boolean } = {}): number {
  if (error instanceof DefinitionError) {
    for (const problem of error.problems) stderr(formatProblem(problem));
    const files = new Set(error.problems.map((p) => p.file)).size;
    stderr(`devfleet: ${error.problems.length} problem(s) in ${files} file(s)${writes ? '; nothing was written' : ''}`);
    return EXIT.invalid;
  }
  if (error instanceof UsageError) {
    stderr(`devfleet: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof NotFoundError || error instanceof RefusedError || error instanceof KubeError) {
    stderr(`devfleet: ${error.message}`);
    return EXIT.invalid;
  }
  const detail = error instanceof Error ? (process.env.DEVFLEET_DEBUG ? error.stack ?? error.message : error.message) : String(error);
  stderr(`devfleet: unexpected error: ${detail}`);
  stderr(`devfleet: ${writes ? 'nothing was written. ' : ''}Run again with DEVFLEET_DEBUG=1 for a stack trace, and report it if it persists.`);
  return EXIT.invalid;
}
