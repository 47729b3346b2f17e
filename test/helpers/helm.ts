/**
 * The real Helm binary, installed by scripts/install-tools.sh (npm test runs it first): the release
 * the pinned Argo CD (tools/argocd/) renders charts with (tools/versions.env HELM_VERSION, from
 * Argo CD's hack/tool-versions.sh). A missing binary fails the tests: they never skip silently.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../../scripts/lib/versions.ts';
import { REPO, tempRoot } from './fixtures.ts';

export const HELM = process.env.DEVFLEET_HELM ?? join(REPO, '.tools', 'bin', 'helm');

/** The Helm release the pinned Argo CD bundles, which scripts/install-tools.sh builds. */
export const ARGOCD_HELM_VERSION = version('HELM_VERSION');

export function requireHelm(): string {
  if (!existsSync(HELM)) {
    throw new Error(`Helm not found at ${HELM}: run \`npm run tools\` (scripts/install-tools.sh) to build the pinned version, Helm ${ARGOCD_HELM_VERSION}`);
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
