/**
 * `devfleet completion bash|zsh|fish`: completion scripts made from the commander program itself,
 * so a new command or flag completes without anyone editing a script. zsh runs the bash function
 * through its bashcompinit layer (as the zsh manual describes for bash completions).
 * Ref https://www.gnu.org/software/bash/manual/html_node/Programmable-Completion-Builtins.html
 * Ref https://fishshell.com/docs/current/cmds/complete.html
 */
import type { Command } from 'commander';
import { UsageError } from '../util/errors.ts';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

interface Entry {
  readonly name: string;
  readonly description: string;
  readonly flags: readonly { long: string; description: string }[];
}

function entries(program: Command): Entry[] {
  return program.commands.map((command) => ({
    name: command.name(),
    description: command.description().split('\n')[0]!,
    flags: [...command.options.flatMap((o) => (o.long ? [{ long: o.long, description: o.description }] : [])), { long: '--help', description: 'show help' }],
  }));
}

const single = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function bash(list: Entry[]): string {
  const cases = list.map((e) => `    ${e.name}) words=${single(e.flags.map((f) => f.long).join(' '))} ;;`).join('\n');
  return `# devfleet completion (bash); load it with: eval "$(devfleet completion bash)"
_devfleet() {
  local cur=\${COMP_WORDS[COMP_CWORD]} words
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W ${single(`${list.map((e) => e.name).join(' ')} --help --version`)} -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
    *) words='' ;;
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$words" -- "$cur")); else COMPREPLY=(); fi
}
complete -o default -F _devfleet devfleet
`;
}

function fish(list: Entry[]): string {
  const lines = ['# devfleet completion (fish); save it as ~/.config/fish/completions/devfleet.fish'];
  for (const e of list) lines.push(`complete -c devfleet -n __fish_use_subcommand -a ${e.name} -d ${single(e.description)}`);
  for (const e of list) {
    for (const f of e.flags) lines.push(`complete -c devfleet -n ${single(`__fish_seen_subcommand_from ${e.name}`)} -l ${f.long.slice(2)} -d ${single(f.description.split('\n')[0]!)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: string, program: Command): string {
  const list = entries(program);
  if (shell === 'bash') return bash(list);
  if (shell === 'zsh') return `# devfleet completion (zsh); load it with: eval "$(devfleet completion zsh)"\nautoload -U +X bashcompinit && bashcompinit\n${bash(list).split('\n').slice(1).join('\n')}`;
  if (shell === 'fish') return fish(list);
  throw new UsageError(`completion ${shell}: give one of ${SHELLS.join(', ')}`);
}
