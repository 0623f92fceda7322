import { defineConfig } from 'vitest/config';

// One run over every package. Two cores: integration suites that start PostgreSQL or spawn
// worker threads share the machine with the runner, so files run two at a time.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'bench', 'docs'],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
