import { Option } from 'commander';
import { processIo } from '../io.ts';
import { resolveRoot } from '../root.ts';
import type { Register } from './context.ts';
import { rootOption } from './options.ts';

type NewOptions = Parameters<typeof import('../commands/new.ts').newCommand>[2];

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `new`: scaffold a project from flags, prompts (on a terminal) or an issue-form body. */
export const register: Register = (program, { io, run }) => {
  program
    .command('new [name]')
    .description('Scaffold projects/<name>.ts (or .yaml) from flags, prompts or an issue-form body; validate it with the whole fleet, then synth.')
    .addOption(rootOption())
    .option('--container <spec>', 'a container, repeatable: name=web,image=nginx:1.27,port=http:80[,port=NAME:NUMBER...][,cpu=100m][,memory=256Mi]', collect)
    .option('--image <image>', 'shorthand for one container named "app" with this image (use with --port)')
    .option('--port <name:number>', 'a port of the --image container, repeatable, e.g. http:80', collect)
    .option('--route <host[:port][/path]>', 'a public route, repeatable, e.g. my-app.com or api.my-app.com:api (default port: the first one)', collect)
    .option('--description <text>', 'one line shown in listings')
    .option('--developers <all|names>', '"all" (default) or developer names separated by commas')
    .addOption(new Option('--format <format>', 'file format').choices(['ts', 'yaml']).default('ts'))
    .option('--force', 'replace an existing project of the same name')
    .option('--from-issue <file>', 'read every field from a GitHub "New project" issue-form body (markdown)')
    .option('--no-synth', 'only write the definition; do not regenerate clusters/')
    .addHelpText('after', '\nOn a terminal, missing fields are asked for, each answer checked as it is typed; Ctrl-C cancels (exit 130). Nothing is written unless the new definition validates with the whole fleet.\nExample: npx devfleet new my-app --container name=web,image=nginx:1.27,port=http:80 --route my-app.com')
    .action((name: string | undefined, opts: NewOptions & { root?: string }) =>
      run(async () => (await import('../commands/new.ts')).newCommand(resolveRoot(opts.root), name, opts, io, { interactive: Boolean(process.stdin.isTTY) && io === processIo })),
    );
};
