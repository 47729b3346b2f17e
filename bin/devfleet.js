#!/usr/bin/env node
// Entry point of the `devfleet` command. It runs the compiled CLI in dist/ (bin/build.js, run by
// `npm ci`, `npm test` and `npm run bench`) when that build matches the sources; otherwise (no
// build yet, or a source edited since) it runs the TypeScript sources through tsx: slower to
// start, never stale. Definition files are TypeScript either way
// (generators/definitions/import-typescript.ts).
import { isFresh } from './build.js';

// `devfleet list | head` closes the pipe early: stop quietly, as other command-line tools do.
// Any other failure to write the output (a full disk: ENOSPC) is said in one line, exit 1, not as a crash.
process.stdout.on('error', (error) => {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  if (code === 'EPIPE') process.exit(0);
  process.stderr.write(`devfleet: could not write the output (${code ?? error.message}); check where stdout goes (a full disk?) and run again\n`);
  process.exit(1);
});

let main;
if (isFresh()) {
  ({ main } = await import('../dist/main.js'));
} else {
  if (process.stderr.isTTY) process.stderr.write('devfleet: dist/ is missing or older than generators/; running the TypeScript sources (`npm run build` makes start-up fast again)\n');
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(new URL('../generators/cli/main.ts', import.meta.url).href));
}
process.exitCode = await main(process.argv.slice(2));
