/** Flags several commands share, described once. */
import { Option, type Command } from 'commander';

export const rootOption = () => new Option('--root <dir>', 'folder shaped like the devfleet repository, with projects/ and clusters/ (default: this repository)');

/** Env lifecycle commands (up, down, status, open, swap): whose env, in which cluster. */
export const lifecycle = (command: Command) =>
  command
    .addOption(rootOption())
    .option('--developer <name>', 'whose env (default: $DEVFLEET_DEVELOPER, else developer in ~/.config/devfleet/config.yaml, else you, from `git config user.email` matched against the cluster definition)')
    .option('--cluster <name>', 'the cluster (default: the only one defined)');

/** Commands that talk to the cluster of the current kubeconfig context. */
export const kube = (command: Command) => command.option('--context <name>', 'kubeconfig context (default: the current one)');
