import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    // most suites wait on child processes, timers and the disk rather than the CPU: two files at
    // a time even on a two-core machine (vitest's default there is one)
    maxWorkers: 2,
  },
});
