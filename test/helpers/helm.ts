/**
 * The real Helm binary, installed by scripts/install-tools.sh (npm test runs it first).
 * A missing binary fails the tests: they never skip silently (design.md section 8).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, tempRoot } from './fixtures.ts';

export const HELM = process.env.DEVFLEET_HELM ?? join(REPO, '.tools', 'bin', 'helm');

export function requireHelm(): string {
  if (!existsSync(HELM)) {
    throw new Error(`Helm not found at ${HELM}: run \`npm run tools\` (scripts/install-tools.sh) to build the pinned version`);
  }
  return HELM;
}

export function helmVersion(): string {
  return execFileSync(requireHelm(), ['version', '--short'], { encoding: 'utf8' }).trim();
}

export interface HelmRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmRun {
  const result = spawnSync(requireHelm(), args, {
    encoding: 'utf8',
    // Helm must not read a developer's own repositories, plugins or kubeconfig.
    env: { PATH: process.env.PATH ?? '', HOME: tempRoot(), HELM_CACHE_HOME: tempRoot(), HELM_CONFIG_HOME: tempRoot(), HELM_DATA_HOME: tempRoot(), KUBECONFIG: '/dev/null' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A values file holding `values`, for --values. */
export function valuesFile(values: unknown): string {
  const file = join(tempRoot(), 'values.json');
  writeFileSync(file, JSON.stringify(values));
  return file;
}
