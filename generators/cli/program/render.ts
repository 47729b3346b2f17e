import { resolveRoot } from '../root.ts';
import type { Register } from './context.ts';
import { rootOption } from './options.ts';

export const register: Register = (program, { io, readOnly }) => {
  program
    .command('render')
    .description('Print the manifests Helm renders for one env, or every env of a cluster (multi-document YAML).')
    .addOption(rootOption())
    .option('--cluster <name>', 'the cluster (default: the only one defined)')
    .option('--env <developer/project>', 'one env, e.g. alice/my-app, or its Argo CD Application name (default: every env)')
    .action((opts: { root?: string; cluster?: string; env?: string }) => readOnly(async () => (await import('../commands/render.ts')).renderCommand(resolveRoot(opts.root), opts, io)));
};
