import { defineConfig } from 'vitest/config';

/**
 * The Terraform suites that run a Terraform tool (test/helpers/terraform-tools.ts: `terraform fmt`,
 * evaluation through test/helpers/terraform-evaluate.ts, TFLint, checkov). The other tests of
 * terraform/'s HCL (test/hcl/) and of the tfvars generator (test/terraform/) need no tool and run
 * in `npm test`; test/architecture/test-tiers.test.ts keeps this list equal to the files that
 * import a tool.
 */
export const TERRAFORM_TOOL_SUITES = [
  'test/hcl/access.annotations.test.ts',
  'test/hcl/access.test.ts',
  'test/hcl/alb-logs.test.ts',
  'test/hcl/argocd-webhook.test.ts',
  'test/hcl/argocd.test.ts',
  'test/hcl/checkov.test.ts',
  'test/hcl/external-secrets.test.ts',
  'test/hcl/fmt.test.ts',
  'test/hcl/front-door-network-policy.test.ts',
  'test/hcl/front-door.test.ts',
  'test/hcl/ingress.class.test.ts',
  'test/hcl/platform-network-policy.test.ts',
  'test/hcl/pod-identity.test.ts',
  'test/hcl/telepresence-network-policy.test.ts',
  'test/hcl/tflint.test.ts',
  'test/hcl/vpc.test.ts',
  'test/terraform/tfvars.contract.test.ts',
];

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
  // Terraform v1.8.5 (fmt, and evaluating the platform's locals and variable checks), TFLint, checkov.
  ...TERRAFORM_TOOL_SUITES,
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
