import type { TargetOptions } from '../../lifecycle/target.ts';
import { resolveRoot } from '../root.ts';
import type { Register } from './context.ts';
import { lifecycle } from './options.ts';

export const register: Register = (program, { io, readOnly }) => {
  lifecycle(program.command('open').argument('<project>', 'project whose URL to open'))
    .description('Print the URL of your env of a project and open it in the browser (on a terminal).')
    .option('--print', 'only print the URL')
    .option('--route <host>', 'the route to open, by its host in the definition (default: the first)')
    .action((project: string, opts: TargetOptions & { root?: string; print?: boolean; route?: string }) => readOnly(async () => (await import('../commands/open.ts')).openCommand(resolveRoot(opts.root), project, opts, io)));
};
