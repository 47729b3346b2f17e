import { resolveRoot } from '../root.ts';
import type { Register } from './context.ts';
import { rootOption } from './options.ts';

export const register: Register = (program, { io, readOnly }) => {
  program
    .command('list')
    .description('One row per env: cluster, developer, project, namespace, Argo CD Application, URLs.')
    .addOption(rootOption())
    .option('--cluster <name>', 'only this cluster')
    .option('--json', 'print a JSON array of {cluster, developer, project, namespace, application, hosts, replicas, ingressGroup, chart}')
    .option('--developer <name>', 'only the envs of this developer')
    .action((opts: { root?: string; cluster?: string; json?: boolean; developer?: string }) => readOnly(async () => (await import('../commands/list.ts')).listCommand(resolveRoot(opts.root), opts, io)));
};
