import { readFileSync } from 'node:fs';
import { EXIT } from '../handle-error.ts';
import { packageRoot } from '../../util/package-root.ts';
import type { Register } from './context.ts';

/** The version in devfleet's package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as { version: string }).version;
}

/** `version` (main() gives the program `--version` too). */
export const register: Register = (program, { io, run }) => {
  program
    .command('version')
    .description('Print the devfleet version (as --version does).')
    .action(() => run(async () => {
      io.stdout(`${packageVersion()}\n`);
      return EXIT.ok;
    }));
};
