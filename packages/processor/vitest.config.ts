import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'processor',
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
