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
    // .ci/run asks for a JSON report (it prints "N passed, N failed" from its counts).
    reporters: process.env.SIGNPOST_TEST_REPORT
      ? ['default', ['json', { outputFile: process.env.SIGNPOST_TEST_REPORT }]]
      : ['default'],
  },
});
