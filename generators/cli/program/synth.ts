import { clusterDir, tfvarsFile } from '../../plan/layout.ts';
import { resolveRoot } from '../root.ts';
import type { Register } from './context.ts';
import { rootOption } from './options.ts';

export const register: Register = (program, { io, run }) => {
  program
    .command('synth')
    .description(`Generate ${clusterDir('<cluster>')}/ (Helm charts, Argo CD Applications, namespaces) and ${tfvarsFile('<cluster>')} from the definitions.`)
    .addOption(rootOption())
    .option('--cluster <name>', 'only this cluster (default: every cluster)')
    .option('--check', 'write nothing; exit 1 listing the generated files that differ from the definitions')
    .addHelpText('after', '\nThe tree is replaced all-or-nothing: invalid definitions or an interrupted run leave the old tree untouched.')
    .action((opts: { root?: string; cluster?: string; check?: boolean }) => run(async () => (await import('../commands/synth.ts')).synthCommand(resolveRoot(opts.root), opts, io)));
};
