/**
 * `devfleet swap`: run ONE container of an env on the laptop while the rest of the Pod stays in
 * the cluster, with Telepresence 2 (`replace`) or mirrord (operator mode). It says first that the
 * container's environment, secrets included, comes to the laptop, and keeps every file it writes
 * outside the repository (lifecycle/swap-files.ts).
 * Ref https://telepresence.io/docs/reference/environment (replace --container --env-file)
 * Ref https://metalbear.co/mirrord/docs/reference/configuration (target path deployment/<d>/container/<c>)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { checkOutsideRepository, prepareSwapFiles, removeSwapFile, swapNotice, swapStateDir } from '../../lifecycle/swap-files.ts';
import { resolveEnv, type TargetOptions } from '../../lifecycle/target.ts';
import type { Env } from '../../plan/plan.ts';
import { NotFoundError, UsageError } from '../../util/errors.ts';
import type { Io } from '../io.ts';
import { warnSkipped } from '../warn-skipped.ts';

const NO_LOCAL_COMMAND = 'give the local command after --, e.g. `devfleet swap my-app:go -- go run .`';

export type SwapTool = 'telepresence' | 'mirrord';

export interface SwapPlan {
  readonly tool: SwapTool;
  readonly namespace: string;
  readonly workload: string;
  readonly container: string;
  readonly ports: readonly { name: string; port: number }[];
  /** Where Telepresence writes the container's environment (secrets included); undefined for mirrord. */
  readonly envFile: string | undefined;
  /** What the developer is told before anything runs. */
  readonly notice: string;
  /** Commands to run in order; the last one runs the local process. */
  readonly commands: readonly (readonly string[])[];
  /** Files the commands read (mirrord's config), by path. */
  readonly files: Readonly<Record<string, string>>;
}

export function swapPlan(env: Env, container: string | undefined, tool: SwapTool, local: readonly string[], stateDir: string): SwapPlan {
  const name = container ?? env.project.swap?.container ?? (env.project.containers.length === 1 ? env.project.containers[0]!.name : undefined);
  if (!name) {
    throw new UsageError(`${env.project.name} has ${env.project.containers.length} containers; name one as ${env.project.name}:<container> (${env.project.containers.map((c) => c.name).join(', ')}), or set swap.container in ${env.project.file}`);
  }
  const target = env.project.containers.find((c) => c.name === name);
  if (!target) throw new NotFoundError(`${env.project.name} has no container "${name}"; containers: ${env.project.containers.map((c) => c.name).join(', ')}`);
  if (local.length === 0) throw new UsageError(NO_LOCAL_COMMAND);
  const base = { tool, namespace: env.namespace, workload: env.release, container: name, ports: target.ports.map((p) => ({ name: p.name, port: p.port })) };
  if (tool === 'telepresence') {
    const envFile = join(stateDir, `${env.application}.${name}.env`);
    return {
      ...base,
      envFile,
      notice: swapNotice(target, envFile),
      files: {},
      commands: [
        ['telepresence', 'connect', '--namespace', env.namespace],
        ['telepresence', 'replace', env.release, '--container', name, '--env-file', envFile, '--', ...local],
      ],
    };
  }
  const configFile = join(stateDir, `${env.application}.${name}.mirrord.json`);
  const config = {
    target: { path: `deployment/${env.release}/container/${name}`, namespace: env.namespace },
    // The mirrord operator does the cluster side: devfleet's access model lets developers create no Pods.
    operator: true,
    feature: { network: { incoming: 'steal', outgoing: true }, env: true, fs: 'read' },
  };
  return {
    ...base,
    envFile: undefined,
    notice: swapNotice(target, undefined),
    files: { [configFile]: `${JSON.stringify(config, null, 2)}\n` },
    commands: [['mirrord', 'exec', '--config-file', configFile, '--', ...local]],
  };
}

export async function swapCommand(
  root: string,
  spec: string,
  local: readonly string[],
  opts: TargetOptions & { tool?: string; print?: boolean },
  io: Io,
): Promise<number> {
  const [project, container, ...extra] = spec.split(':') as [string, string | undefined, ...string[]];
  if (project === '' || container === '' || extra.length > 0) throw new UsageError(`${spec}: write <project> or <project>:<container>, e.g. my-app:go`);
  const tool = (opts.tool ?? 'telepresence') as SwapTool;
  if (tool !== 'telepresence' && tool !== 'mirrord') throw new UsageError(`--tool ${opts.tool}: use telepresence or mirrord`);
  if (local.length === 0) throw new UsageError(NO_LOCAL_COMMAND);
  const env = await resolveEnv(root, project, opts, warnSkipped(io));
  const stateDir = swapStateDir();
  checkOutsideRepository(stateDir, root);
  const plan = swapPlan(env, container, tool, local, stateDir);
  const ports = plan.ports.map((p) => `${p.port} (${p.name})`).join(', ') || 'none';
  io.stderr(`swap: container "${plan.container}" of deployment/${plan.workload} in namespace ${plan.namespace} -> your laptop (ports ${ports}), with ${plan.tool}`);
  io.stderr(plan.notice);
  if (opts.print) {
    // The same steps as a shell script: a private directory, the env file created 0600 first, removed at the end.
    io.stdout(`mkdir -p -m 700 ${quote([stateDir])}\n`);
    if (plan.envFile) io.stdout(`(umask 077 && : > ${quote([plan.envFile])})\n`);
    for (const [file, text] of Object.entries(plan.files)) io.stdout(`cat > ${quote([file])} <<'DEVFLEET_EOF'\n${text}DEVFLEET_EOF\n`);
    for (const command of plan.commands) io.stdout(`${quote([...command])}\n`);
    if (plan.envFile) io.stdout(`rm -f ${quote([plan.envFile])}\n`);
    return 0;
  }
  prepareSwapFiles(stateDir, plan.envFile);
  try {
    for (const [file, text] of Object.entries(plan.files)) writeFileSync(file, text, { mode: 0o600 });
    for (const [i, command] of plan.commands.entries()) {
      const result = spawnSync(command[0]!, command.slice(1), { stdio: 'inherit' });
      if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotFoundError(`${command[0]} is not installed; install it (${tool === 'telepresence' ? 'https://telepresence.io/docs/install/client' : 'https://metalbear.co/mirrord/docs/overview/quick-start'}) or use --print to see the commands`);
      }
      if (result.status !== 0 || i === plan.commands.length - 1) return result.status ?? 1;
    }
    return 0;
  } finally {
    if (plan.envFile) removeSwapFile(plan.envFile);
  }
}
