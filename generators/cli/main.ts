/**
 * The `devfleet` command line (docs/design-notes.md "CLI contract"). Commands are thin: they parse flags with
 * commander, call the generators and print; every failure goes through handle-error.ts.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { EXIT, handleError } from './handle-error.ts';
import { processIo, type Io } from './io.ts';
import { packageRoot } from '../util/package-root.ts';
import { resolveRoot } from './root.ts';
import type { TargetOptions } from '../lifecycle/target.ts';
import type { ScaleOptions } from './commands/up-down.ts';

// Each command's module (and the libraries behind it: cdk8s, ajv, the Kubernetes client, octokit,
// inquirer, ...) is imported only when that command runs, so `--help` and `validate` do not pay
// for the others. Only types are imported statically above; `import type` is erased.
type NewOptions = Parameters<typeof import('./commands/new.ts').newCommand>[2];
type DiffOptions = Parameters<typeof import('./commands/diff.ts').diffCommand>[1];
type CostOptions = import('./commands/cost.ts').CostOptions;

const rootOption = () => new Option('--root <dir>', 'folder shaped like the devfleet repository, with projects/ and clusters/ (default: this repository)');

function version(): string {
  return (JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as { version: string }).version;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('devfleet')
    .description('Hundreds of Kubernetes development environments from one Git repository.\nDefinitions in projects/ and clusters/ become Helm charts and Argo CD Applications in clusters/<cluster>/.')
    .version(version(), '-V, --version', 'print the devfleet version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text.replace(/\n$/, '')),
      // Every message of the CLI starts with `devfleet:` (handle-error.ts); commander's with `error:`.
      outputError: (text, write) => write(text.replace(/^error: /, 'devfleet: ')),
    })
    .addHelpText(
      'after',
      `
Examples:
  npx devfleet validate                          check every definition
  npx devfleet synth                             regenerate clusters/<cluster>/
  npx devfleet synth --check                     fail if the committed tree is out of date
  npx devfleet list --cluster dev                one row per env, with its URLs
  npx devfleet render --cluster dev --env alice/my-app   what Argo CD applies for that env
  npx devfleet up my-app --wait                  wake your env of my-app and print its URLs
  npx devfleet status                            your envs: awake/asleep, since when, next sleep
  npx devfleet swap my-app:go -- go run .        run the go container on this machine
  npx devfleet cost                              what the fleet costs per month, per env and developer

Exit codes: 0 ok, 1 invalid definitions or a failed check, 2 usage error.
Environment: DEVFLEET_DEVELOPER names your developer when --developer is absent.`,
    );

  // Whether the running command writes files (definitions, the generated tree); see handle-error.ts.
  let writes = true;
  const run = async (action: () => Promise<number>) => {
    exitCode = await action();
  };
  const readOnly = async (action: () => Promise<number>) => {
    writes = false;
    exitCode = await action();
  };

  program
    .command('validate')
    .description('Check every project and cluster definition; print one line per problem.')
    .addOption(rootOption())
    .option('--json', 'print {"valid": bool, "problems": [{file, path, message, line}]} on stdout')
    .addHelpText('after', '\nEach problem is printed as: <file>: <field path>: <what is wrong; what to do>')
    .action((opts: { root?: string; json?: boolean }) => run(async () => (await import('./commands/validate.ts')).validateCommand(resolveRoot(opts.root), opts, io)));

  program
    .command('synth')
    .description('Generate clusters/<cluster>/ (Helm charts, Argo CD Applications, namespaces) and terraform/clusters/<cluster>/devfleet.auto.tfvars.json from the definitions.')
    .addOption(rootOption())
    .option('--cluster <name>', 'only this cluster (default: every cluster)')
    .option('--check', 'write nothing; exit 1 listing the generated files that differ from the definitions')
    .addHelpText('after', '\nThe tree is replaced all-or-nothing: invalid definitions or an interrupted run leave the old tree untouched.')
    .action((opts: { root?: string; cluster?: string; check?: boolean }) => run(async () => (await import('./commands/synth.ts')).synthCommand(resolveRoot(opts.root), opts, io)));

  program
    .command('render')
    .description('Print the manifests Helm renders for one env, or every env of a cluster (multi-document YAML).')
    .addOption(rootOption())
    .option('--cluster <name>', 'the cluster (default: the only one defined)')
    .option('--env <developer/project>', 'one env, e.g. alice/my-app, or its Argo CD Application name (default: every env)')
    .action((opts: { root?: string; cluster?: string; env?: string }) => readOnly(async () => (await import('./commands/render.ts')).renderCommand(resolveRoot(opts.root), opts, io)));

  program
    .command('list')
    .description('One row per env: cluster, developer, project, namespace, Argo CD Application, URLs.')
    .addOption(rootOption())
    .option('--cluster <name>', 'only this cluster')
    .option('--json', 'print a JSON array of {cluster, developer, project, namespace, application, hosts, replicas, ingressGroup, chart}')
    .option('--developer <name>', 'only the envs of this developer')
    .action((opts: { root?: string; cluster?: string; json?: boolean; developer?: string }) => readOnly(async () => (await import('./commands/list.ts')).listCommand(resolveRoot(opts.root), opts, io)));

  // Env lifecycle: these talk to the cluster of the current kubeconfig context.
  const lifecycle = (command: Command) =>
    command
      .addOption(rootOption())
      .option('--developer <name>', 'whose env (default: $DEVFLEET_DEVELOPER, else you, from `git config user.email` matched against the cluster definition)')
      .option('--cluster <name>', 'the cluster (default: the only one defined)');
  const kube = (command: Command) => command.option('--context <name>', 'kubeconfig context (default: the current one)');

  kube(lifecycle(program.command('up').argument('<project>', 'project to wake, e.g. my-app')))
    .description('Wake your env of a project (scale it to 1) and print its URLs.')
    .option('--wait', 'wait until it is ready, showing progress')
    .option('--timeout <duration>', 'needs --wait: give up after this long, e.g. 90s or 10m (default: 5m)')
    .addHelpText(
      'after',
      '\nBehind the front door (the default) opening the env\'s URL wakes it too, with a "starting" page\nuntil it answers; after `up` it stays awake until it has had no request for its idle time\n(idleMinutes, default 60), and it sleeps at night either way.\n\nExample:\n  npx devfleet up my-app --wait',
    )
    .action((project: string, opts: ScaleOptions & { root?: string }) => readOnly(async () => (await import('./commands/up-down.ts')).upCommand(resolveRoot(opts.root), project, opts, io)));

  kube(lifecycle(program.command('down').argument('<project>', 'project to put to sleep')))
    .description('Put your env of a project to sleep (scale it to 0); its persistent data is kept.')
    .addHelpText('after', '\nBehind the front door the next request to its URL wakes it again.')
    .action((project: string, opts: ScaleOptions & { root?: string }) => readOnly(async () => (await import('./commands/up-down.ts')).downCommand(resolveRoot(opts.root), project, opts, io)));

  kube(lifecycle(program.command('status')))
    .description('Every env of a developer: awake, asleep or starting, why, since when, next scheduled sleep, URL.')
    .option('--json', 'print a JSON array of {project, developer, namespace, status, replicas, since, reason, scaledBy, idleMinutes, nextSleep, urls}')
    .addHelpText(
      'after',
      '\nSTATUS is awake, starting, asleep or missing (Argo CD has not created it yet).\nWHY is who last scaled it: request (woken by a request through the front door), idle (no request for\nits idle time), schedule (the sleep job, or the scheduled wake), cli (devfleet up/down), created\n(never woken), other (e.g. Headlamp; scaledBy names it), unknown (the API server kept no record).',
    )
    .action((opts: TargetOptions & { root?: string; context?: string; json?: boolean }) => readOnly(async () => (await import('./commands/status.ts')).statusCommand(resolveRoot(opts.root), opts, io)));

  lifecycle(program.command('open').argument('<project>', 'project whose URL to open'))
    .description('Print the URL of your env of a project and open it in the browser (on a terminal).')
    .option('--print', 'only print the URL')
    .option('--route <host>', 'the route to open, by its host in the definition (default: the first)')
    .action((project: string, opts: TargetOptions & { root?: string; print?: boolean; route?: string }) => readOnly(async () => (await import('./commands/open.ts')).openCommand(resolveRoot(opts.root), project, opts, io)));

  lifecycle(program.command('swap').argument('<project[:container]>', 'project, and the container to replace (default: its swap.container)').argument('[command...]', 'the local command, after --'))
    .description('Run one container of your env on this machine (Telepresence replace, or mirrord) while the rest stays in the cluster.')
    .option('--tool <tool>', 'telepresence or mirrord', 'telepresence')
    .option('--print', 'print the commands (and mirrord config) instead of running them')
    .addHelpText('after', '\nExample:\n  npx devfleet swap my-app:go -- go run .\n  npx devfleet swap my-app --tool mirrord --print -- go run .')
    .action((spec: string, command: string[], opts: TargetOptions & { root?: string; tool?: string; print?: boolean }) =>
      readOnly(async () => (await import('./commands/swap.ts')).swapCommand(resolveRoot(opts.root), spec, command, opts, io)),
    );

  // #5 PR bots: `new` (scaffold a project) and `diff` (what a change does to the fleet).
  const collect = (value: string, previous: string[] = []) => [...previous, value];
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
      run(async () => (await import('./commands/new.ts')).newCommand(resolveRoot(opts.root), name, opts, io, { interactive: Boolean(process.stdin.isTTY) && io === processIo })),
    );
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
    .action((opts: DiffOptions & { root?: string }) => run(async () => (await import('./commands/diff.ts')).diffCommand(resolveRoot(opts.root), opts, io)));

  program
    .command('cost')
    .description('Monthly cost estimate per env, developer, project and cluster: compute while awake, storage, load balancers, platform.')
    .addOption(rootOption())
    .option('--cluster <name>', 'only this cluster')
    .option('--json', 'print the estimate as JSON (integer cents; every total is the sum of its parts)')
    .option('--prices <file>', 'prices and assumptions to use instead of the bundled generators/cost/prices.json (same shape)')
    .addHelpText('after', '\nThe model, its assumptions and the sources of every price: docs/cost.md.')
    .action((opts: CostOptions & { root?: string }) => readOnly(async () => (await import('./commands/cost.ts')).costCommand(resolveRoot(opts.root), opts, io)));

  program
    .command('version')
    .description('Print the devfleet version (as --version does).')
    .action(() => run(async () => {
      io.stdout(`${version()}\n`);
      return EXIT.ok;
    }));

  program
    .command('completion')
    .argument('<shell>', 'bash, zsh or fish')
    .description('Print a shell completion script for commands and flags.')
    .addHelpText('after', '\nInstall:\n  bash: echo \'eval "$(npx devfleet completion bash)"\' >> ~/.bashrc\n  zsh:  echo \'eval "$(npx devfleet completion zsh)"\' >> ~/.zshrc\n  fish: npx devfleet completion fish > ~/.config/fish/completions/devfleet.fish')
    .action((shell: string) => run(async () => {
      io.stdout((await import('./completion.ts')).completionScript(shell, program));
      return EXIT.ok;
    }));

  try {
    // Bare `devfleet` is a request for help, as with git or kubectl.
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.ok;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return handleError(error, io.stderr, { writes });
  }
}
