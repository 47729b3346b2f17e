import { resolveRoot } from '../root.ts';
import type { Register } from './context.ts';
import { rootOption } from './options.ts';

export const register: Register = (program, { io, run }) => {
  program
    .command('validate')
    .description('Check every project and cluster definition; print one line per problem.')
    .addOption(rootOption())
    .option('--json', 'print {"valid": bool, "problems": [{file, path, message, line}]} on stdout')
    .addHelpText('after', '\nEach problem is printed as: <file>: <field path>: <what is wrong; what to do>')
    .action((opts: { root?: string; json?: boolean }) => run(async () => (await import('../commands/validate.ts')).validateCommand(resolveRoot(opts.root), opts, io)));
};
