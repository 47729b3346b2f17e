#!/usr/bin/env node
// Entry point of the `devfleet` command. The CLI and the definition files are TypeScript,
// run through tsx; the resolve hook lets definition files anywhere `import ... from 'devfleet'`.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('./resolve-devfleet.js', import.meta.url);
const { main } = await import('../generators/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
