import { Option } from 'commander';
import { resolveRoot } from '../root.ts';
import type { Register } from './context.ts';
import { rootOption } from './options.ts';

type DiffOptions = Parameters<typeof import('../commands/diff.ts').diffCommand>[1];

/** `diff`: what a change does to the fleet (the PR bot's comment). */
export const register: Register = (program, { io, run }) => {
  program
    .command('diff')
    .description('Compare the definitions with a git commit: envs added/changed/removed, manifest diffs, validation, ALB usage.')
    .addOption(rootOption())
    .requiredOption('--base <git-ref>', 'the commit to compare with, e.g. origin/main')
    .addOption(new Option('--format <format>', 'output format (default: markdown)').choices(['markdown', 'json']))
    .option('--json', 'print the diff as JSON (the same as --format json)')
    .option('--max-chars <n>', 'upper bound of the markdown length (default fits a GitHub comment: 65,000)')
    .option('--full-output <file>', 'also write the complete, untruncated diff to this file')
    .addHelpText('after', '\nThe markdown starts with the hidden marker <!-- devfleet:diff --> that identifies the sticky PR comment.')
    .action((opts: DiffOptions & { root?: string }) => run(async () => (await import('../commands/diff.ts')).diffCommand(resolveRoot(opts.root), opts, io)));
};
