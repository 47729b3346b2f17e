/**
 * The command line of scripts/cluster.ts (`npm run cluster:up|cluster:down|cluster:status`), its
 * flags parsed by commander as generators/cli/main.ts does. Progress goes to stderr as
 * `cluster: <line>`, results to stdout; exit 0, 1 on failure, 2 on a usage error.
 */
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { version as pin } from '../lib/versions.ts';
import { apiGet, readyz } from './client.ts';
import { DEFAULT_DIR, IDENTITIES, readState, type Profile } from './local-cluster.ts';
import { ALL, memoryKiB, PROFILE_COMPONENTS, processesUsing, runningComponents } from './processes.ts';
import { clusterDown, clusterUp } from './up-down.ts';

const USAGE = 'usage: tsx scripts/cluster.ts up [--profile gitops|control-plane] | down | status   [--dir DIR]\n';
const DIR_HELP = 'the cluster directory (default: .cluster/ of this repository)';

/** Runs one command of `argv` (the arguments after the script) and returns its exit code. */
export async function clusterCommand(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const log = (line: string) => process.stderr.write(`cluster: ${line}\n`);
  const dirOf = (opts: { dir?: string }) => resolve(opts.dir ?? DEFAULT_DIR);

  const program = new Command('cluster')
    .description('A local Kubernetes cluster for tests and for trying devfleet (scripts/cluster.ts).')
    .helpCommand(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(text.replace(/^error: /, 'cluster: ')),
    });

  program
    .command('up')
    .description('start the cluster, or reuse the healthy one already running in the directory')
    .option('--profile <profile>', 'gitops (kwok nodes, git, Argo CD) or control-plane (API server and controllers only)', 'gitops')
    .option('--dir <dir>', DIR_HELP)
    .action(async (opts: { profile: string; dir?: string }) => {
      const profile = opts.profile as Profile;
      if (!(profile in PROFILE_COMPONENTS)) {
        process.stderr.write('cluster: --profile is gitops (default) or control-plane\n');
        exitCode = 2;
        return;
      }
      const started = Date.now();
      const cluster = await clusterUp({ dir: dirOf(opts), profile, log });
      const version = JSON.parse((await apiGet(cluster, '/version')).body).gitVersion as string;
      process.stdout.write(
        [
          `cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s: API server ${cluster.server} (kube-apiserver ${version}), ${cluster.nodes ? `kwok nodes ${cluster.nodes.join(', ')}, Argo CD ${pin('ARGOCD_VERSION')} in namespace ${cluster.argocd!.namespace}` : 'no nodes'}`,
          `  admin:    KUBECONFIG=${cluster.kubeconfigs.admin}`,
          `  alice:    KUBECONFIG=${cluster.kubeconfigs.alice}   (${IDENTITIES.alice.user}, group ${IDENTITIES.alice.groups[0]})`,
          `  outsider: KUBECONFIG=${cluster.kubeconfigs.outsider}`,
          ...(cluster.argocd ? ['  publish a tree: npm run -s cluster:sync -- --root . --cluster dev'] : []),
          '',
        ].join('\n'),
      );
    });

  program
    .command('down')
    .description('stop every component and remove the directory; fails if a process still uses it')
    .option('--dir <dir>', DIR_HELP)
    .action(async (opts: { dir?: string }) => {
      const dir = dirOf(opts);
      await clusterDown({ dir, log });
      const left = processesUsing(dir);
      if (left.length) {
        log(`processes still using ${dir}:\n${left.map((p) => `  ${p.pid} ${p.command}`).join('\n')}`);
        exitCode = 1;
        return;
      }
      log(`stopped; no process uses ${dir}`);
    });

  program
    .command('status')
    .description('each component: running (pid, memory) or stopped, and the API server\'s readyz')
    .option('--dir <dir>', DIR_HELP)
    .action(async (opts: { dir?: string }) => {
      const dir = dirOf(opts);
      const cluster = readState(dir);
      const running = runningComponents(dir);
      const memory = memoryKiB(dir);
      const components = cluster ? PROFILE_COMPONENTS[cluster.profile] : ALL.filter((c) => running[c] !== undefined);
      const states = components.map((c) => `${c}: ${running[c] !== undefined ? `running (pid ${running[c]}, RSS ${Math.round((memory[c] ?? 0) / 1024)} MiB)` : 'stopped'}`);
      const total = Object.values(memory).reduce((a, b) => a + (b ?? 0), 0);
      process.stdout.write(`${states.join('\n')}\n${Object.keys(running).length ? `total RSS: ${Math.round(total / 1024)} MiB\n` : ''}${cluster ? `readyz: ${await readyz(cluster)}\n` : ''}`);
    });

  if (argv.length === 0 || !program.commands.some((c) => c.name() === argv[0]) && !['-h', '--help'].includes(argv[0]!)) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help ends through here with exit code 0; a flag commander refuses is a usage error.
      if (error.exitCode === 0) return 0;
      process.stderr.write(USAGE);
      return 2;
    }
    throw error;
  }
}
