/**
 * The real Terraform tooling, installed by scripts/install-tools.sh (--all; `npm run test:e2e` runs it first):
 * terraform (fmt, and provider-free evaluation in lib/evaluate.ts), tflint and checkov. A missing
 * tool fails the tests; they never skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, tempRoot } from './fixtures.ts';

export const TOOLS = {
  terraform: join(REPO, '.tools', 'bin', 'terraform'),
  tflint: join(REPO, '.tools', 'bin', 'tflint'),
  checkov: join(REPO, '.tools', 'venv', 'bin', 'checkov'),
  helm: join(REPO, '.tools', 'bin', 'helm'),
} as const;

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runTool(tool: keyof typeof TOOLS, args: readonly string[], cwd: string): ToolRun {
  const bin = TOOLS[tool];
  if (!existsSync(bin)) throw new Error(`${tool} not found at ${bin}: run \`bash scripts/install-tools.sh --all\` (npm run test:e2e does) to install the pinned version`);
  const home = tempRoot();
  const result = spawnSync(bin, [...args], {
    cwd,
    encoding: 'utf8',
    // Nothing from the developer's machine: no CLI config, plugins, credentials or API keys,
    // and checkov stays offline (no Prisma Cloud key, no guideline download).
    env: { PATH: process.env.PATH ?? '', HOME: home, TFLINT_PLUGIN_DIR: join(home, 'tflint-plugins'), CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: 'false', BC_SKIP_MAPPING: 'TRUE', LOG_LEVEL: 'WARNING' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
