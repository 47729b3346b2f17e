/**
 * The `devfleet` program itself: its description, examples, exit codes, --version, and commander's
 * messages routed through `io` in the CLI's own words. Commands are added to it by main().
 */
import { Command } from 'commander';
import type { Io } from '../io.ts';
import { packageVersion } from './version.ts';

export function createProgram(io: Io): Command {
  return new Command('devfleet')
    .description('Hundreds of Kubernetes development environments from one Git repository.\nDefinitions in projects/ and clusters/ become Helm charts and Argo CD Applications in clusters/<cluster>/.')
    .version(packageVersion(), '-V, --version', 'print the devfleet version')
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
  npx devfleet import compose app/compose.yaml --registry ghcr.io/acme   a docker-compose app as a project

Exit codes: 0 ok, 1 invalid definitions or a failed check, 2 usage error.
Your developer (commands acting on your env): --developer NAME, else DEVFLEET_DEVELOPER, else
"developer: NAME" in $XDG_CONFIG_HOME/devfleet/config.yaml (~/.config/devfleet/config.yaml),
else your git e-mail matched in the cluster definition.`,
    );
}
