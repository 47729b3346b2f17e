import type { Command } from 'commander';
import type { Io } from '../io.ts';

/** What a command's registration gets from main(): where to print, and how to run its action. */
export interface CommandContext {
  readonly io: Io;
  /** Runs an action that may write files (definitions, the generated tree); its exit code is main()'s. */
  run(action: () => Promise<number>): Promise<void>;
  /** Runs an action that writes nothing, which handle-error.ts says when it fails. */
  readOnly(action: () => Promise<number>): Promise<void>;
}

/**
 * Adds one command (or a pair, such as up and down) to the program: its arguments, flags and help.
 * Its action imports the command's module only when it runs, so `--help` and `validate` do not pay
 * for the libraries behind the others (cdk8s, the Kubernetes client, octokit, inquirer, ...; see
 * bin/build.js, which splits the bundle at each such import).
 */
export type Register = (program: Command, context: CommandContext) => void;
