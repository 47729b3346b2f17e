import { resolveRoot } from '../root.ts';
import type { Register } from './context.ts';
import { rootOption } from './options.ts';

type CostOptions = import('../commands/cost.ts').CostOptions;

export const register: Register = (program, { io, readOnly }) => {
  program
    .command('cost')
    .description('Monthly cost estimate per env, developer, project and cluster: compute while awake, storage, load balancers, platform.')
    .addOption(rootOption())
    .option('--cluster <name>', 'only this cluster')
    .option('--json', 'print the estimate as JSON (integer cents; every total is the sum of its parts)')
    .option('--prices <file>', 'prices and assumptions to use instead of the bundled generators/cost/prices.json (same shape)')
    .addHelpText('after', '\nThe model, its assumptions and the sources of every price: docs/cost.md.')
    .action((opts: CostOptions & { root?: string }) => readOnly(async () => (await import('../commands/cost.ts')).costCommand(resolveRoot(opts.root), opts, io)));
};
