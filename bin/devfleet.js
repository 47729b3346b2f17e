#!/usr/bin/env node
// Entry point of the `devfleet` command: the CLI is TypeScript, run through tsx.
// (Definition files are loaded by generators/definitions/import-typescript.ts.)
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../generators/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
