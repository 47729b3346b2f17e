import { defineConfig } from 'vitest/config';

/**
 * The test tiers (docs/testing.md). `npm test` runs every test file except these, which need the
 * heavy tools `npm run test:e2e` builds (scripts/install-tools.sh --all): a real Kubernetes API
 * server, the local Argo CD cluster, Terraform/TFLint/checkov, actionlint/ShellCheck/zizmor.
 * vitest.e2e.config.ts runs exactly these; .ci/run runs both tiers.
 */
export const HEAVY_TESTS = [
  // A real kube-apiserver (scripts/cluster.ts, control-plane profile).
  'test/integration/**/*.test.ts',
  // The local GitOps cluster: kwok nodes, Argo CD (scripts/cluster.ts gitops profile, cluster-sync.ts).
  'test/e2e/**/*.test.ts',
  // Terraform v1.8.5 (fmt, and `terraform console` evaluating the platform's locals and variable
  // checks), TFLint, checkov.
  'test/terraform/**/*.test.ts',
  // actionlint with ShellCheck, zizmor.
  'test/workflows/linters.test.ts',
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...HEAVY_TESTS],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // No suite keeps snapshots; should one, `npm test` never rewrites it (only `npx vitest run --update <file>`).
    update: false,
    pool: 'forks',
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: '.vitest/report.json' }]],
  },
});
