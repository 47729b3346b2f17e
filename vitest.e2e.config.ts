import { defineConfig } from 'vitest/config';
import { HEAVY_TESTS } from './vitest.config.ts';

/**
 * `npm run test:e2e`: the tests `npm test` leaves out (vitest.config.ts HEAVY_TESTS), with the tools
 * scripts/install-tools.sh --all builds. Two projects run one after the other: `tools` (the real
 * API server's integration tests and the Terraform and workflow linters, files in parallel), then
 * `e2e` (test/e2e/, one file at a time: they share one local Argo CD cluster and change what it
 * syncs). A missing tool fails the tests, never skips them.
 */
export default defineConfig({
  test: {
    update: false,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: '.vitest/report-e2e.json' }]],
    sequence: { groupOrder: 0 },
    projects: [
      {
        test: {
          name: 'tools',
          include: HEAVY_TESTS.filter((p) => !p.startsWith('test/e2e/')),
          testTimeout: 120_000,
          hookTimeout: 300_000,
          pool: 'forks',
          // The local kube-apiserver of test/integration/ (started by the first file that needs it).
          globalSetup: ['test/integration/global-setup.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          pool: 'forks',
          fileParallelism: false,
          // One local GitOps cluster (scripts/cluster.ts gitops profile) for the whole run.
          globalSetup: ['test/e2e/global-setup.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
