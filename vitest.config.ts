import { defineConfig } from 'vitest/config';
import { PlainSummaryReporter } from './test/support/plainSummaryReporter.js';

export const config = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start real servers on loopback; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', new PlainSummaryReporter()],
  },
});
// Vitest looks for a default export; this is the one place the rule bends.
export default config;
