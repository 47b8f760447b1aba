import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The example site is built once by the real CLI; output, browser and weight tests read it.
    globalSetup: ['test/setup/build-example.ts'],
    // Builds and browser tests spawn real processes; give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // CI reads the totals from the JSON report (.ci/run prints "N passed, N failed").
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/results.json' }]] : ['default'],
  },
});
