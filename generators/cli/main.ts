/**
 * The `devfleet` command line (docs/design-notes.md "CLI contract"). Commands are thin: they parse flags with
 * commander, call the generators and print; every failure goes through handle-error.ts. Each
 * command registers itself (program/<command>.ts: its arguments, flags and help) and its action
 * loads the command's module (commands/<command>.ts) only when it runs.
 */
import { CommanderError } from 'commander';
import { EXIT, handleError } from './handle-error.ts';
import { processIo, type Io } from './io.ts';
import type { CommandContext, Register } from './program/context.ts';
import { createProgram } from './program/devfleet.ts';
import { register as completion } from './program/completion.ts';
import { register as cost } from './program/cost.ts';
import { register as diff } from './program/diff.ts';
import { register as importFile } from './program/import.ts';
import { register as list } from './program/list.ts';
import { register as newProject } from './program/new.ts';
import { register as open } from './program/open.ts';
import { register as render } from './program/render.ts';
import { register as status } from './program/status.ts';
import { register as swap } from './program/swap.ts';
import { register as synth } from './program/synth.ts';
import { register as upDown } from './program/up-down.ts';
import { register as validate } from './program/validate.ts';
import { register as version } from './program/version.ts';

/** In the order --help lists them. */
const COMMANDS: readonly Register[] = [validate, synth, render, list, upDown, status, open, swap, newProject, importFile, diff, cost, version, completion];

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = createProgram(io);

  // Whether the running command writes files (definitions, the generated tree); see handle-error.ts.
  let writes = true;
  const context: CommandContext = {
    io,
    run: async (action) => {
      exitCode = await action();
    },
    readOnly: async (action) => {
      writes = false;
      exitCode = await action();
    },
  };
  for (const register of COMMANDS) register(program, context);

  try {
    // Bare `devfleet` is a request for help, as with git or kubectl.
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.ok;
    }
    // `help <command>` for a command that does not exist: commander would print the program's help
    // and exit 2 without a word; answer as for the mistyped command itself (named, did you mean).
    const known = (name: string) => program.commands.some((c) => c.name() === name || c.aliases().includes(name));
    const args = argv[0] === 'help' && argv[1] !== undefined && !known(argv[1]) ? [argv[1]] : [...argv];
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return handleError(error, io.stderr, { writes });
  }
}
