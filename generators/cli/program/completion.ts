import { EXIT } from '../handle-error.ts';
import type { Register } from './context.ts';

/** `completion`: a shell script made from the program it is registered on (../completion.ts). */
export const register: Register = (program, { io, run }) => {
  program
    .command('completion')
    .argument('<shell>', 'bash, zsh or fish')
    .description('Print a shell completion script for commands and flags.')
    .addHelpText('after', '\nInstall:\n  bash: echo \'eval "$(npx devfleet completion bash)"\' >> ~/.bashrc\n  zsh:  echo \'eval "$(npx devfleet completion zsh)"\' >> ~/.zshrc\n  fish: npx devfleet completion fish > ~/.config/fish/completions/devfleet.fish')
    .action((shell: string) => run(async () => {
      io.stdout((await import('../completion.ts')).completionScript(shell, program));
      return EXIT.ok;
    }));
};
