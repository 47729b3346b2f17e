import type { TargetOptions } from '../../lifecycle/target.ts';
import { resolveRoot } from '../root.ts';
import type { Register } from './context.ts';
import { lifecycle } from './options.ts';

export const register: Register = (program, { io, readOnly }) => {
  lifecycle(program.command('swap').argument('<project[:container]>', 'project, and the container to replace (default: its swap.container)').argument('[command...]', 'the local command, after --'))
    .description('Run one container of your env on this machine (Telepresence replace, or mirrord) while the rest stays in the cluster.')
    .option('--tool <tool>', 'telepresence or mirrord', 'telepresence')
    .option('--print', 'print the commands (and mirrord config) instead of running them')
    .addHelpText('after', '\nExample:\n  npx devfleet swap my-app:go -- go run .\n  npx devfleet swap my-app --tool mirrord --print -- go run .')
    .action((spec: string, command: string[], opts: TargetOptions & { root?: string; tool?: string; print?: boolean }) =>
      readOnly(async () => (await import('../commands/swap.ts')).swapCommand(resolveRoot(opts.root), spec, command, opts, io)),
    );
};
