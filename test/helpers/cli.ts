/** Runs the devfleet CLI in-process and captures what it prints. */
import { main } from '../../generators/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  const stderr: string[] = [];
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (l) => stderr.push(l), interactive: false });
  return { code, stdout, stderr: stderr.join('\n') };
}
