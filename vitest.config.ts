import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Definition files import from 'devfleet' (this package); the CLI maps it the same way (bin/resolve-devfleet.js).
    alias: { devfleet: fileURLToPath(new URL('./generators/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Snapshots change only through `npm run test:update-snapshots`, never by `npm test`.
    update: false,
    pool: 'forks',
  },
});
