import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Snapshots change only through `npm run test:update-snapshots`, never by `npm test`.
    update: false,
    pool: 'forks',
    // The local kube-apiserver of test/integration/ (started by the first file that needs it).
    globalSetup: ['test/integration/global-setup.ts'],
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: '.vitest/report.json' }]],
  },
});
