/** `devfleet completion bash|zsh|fish` (generators/cli/completion.ts), checked by running bash on it. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

describe('devfleet completion', () => {
  it('GIVEN the bash script WHEN bash completes "devfleet va" and "devfleet list --js" THEN it offers validate and --json', async () => {
    const script = (await runCli('completion', 'bash')).stdout;
    const complete = (words: string) =>
      spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _devfleet; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).stdout.trim();
    expect(complete('devfleet va')).toBe('validate');
    expect(complete('devfleet list --js')).toBe('--json');
    expect(complete('devfleet up my-app --ti')).toBe('--timeout');
  });

  it('GIVEN zsh and fish WHEN asked THEN zsh loads the bash function through bashcompinit and fish gets one line per command and flag', async () => {
    const zsh = await runCli('completion', 'zsh');
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toContain('autoload -U +X bashcompinit && bashcompinit');
    expect(zsh.stdout).toContain('complete -o default -F _devfleet devfleet');
    const fish = (await runCli('completion', 'fish')).stdout;
    expect(fish).toContain("complete -c devfleet -n __fish_use_subcommand -a status -d");
    expect(fish).toContain("complete -c devfleet -n '__fish_seen_subcommand_from diff' -l json -d");
  });
});
