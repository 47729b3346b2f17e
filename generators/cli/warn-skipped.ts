/**
 * Read-only commands work on the valid part of the fleet (definitions/load-fleet.ts loadValidPart);
 * what they left out is said once, on stderr, so the output on stdout stays the command's own.
 */
import { formatProblem, type Problem } from '../util/problem.ts';
import type { Io } from './io.ts';

export function warnSkipped(io: Io): (skipped: readonly Problem[]) => void {
  return (skipped) => {
    if (skipped.length === 0) return;
    for (const problem of skipped) io.stderr(`devfleet: warning: ${formatProblem(problem)}`);
    const files = [...new Set(skipped.map((p) => p.file))];
    io.stderr(`devfleet: warning: left out ${files.length} invalid definition(s) (${files.join(', ')}): their envs are not in this output; \`devfleet synth\` refuses until they are fixed`);
  };
}
