import { defineConfig } from 'vitest/config';

// `unit` is pure and fast; `planner` runs the real Flink planner (JVM, no cluster); `conformance` plans generated
// programs with it and compares; `pipeline-tests` runs `pipec test` jobs on a Flink MiniCluster in one JVM (no
// ports the tests depend on); `package` packs and installs
// pipec as a dependency (npm, no cluster); `integration` runs against the real local stack, started once for the
// whole run by its global setup.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'planner',
          include: ['test/integration/flink-planner/**/*.test.ts'],
          testTimeout: 600_000,
          // Building the harness may download Flink from Maven Central on a fresh machine.
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts'],
          testTimeout: 1_800_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'pipeline-tests',
          include: ['test/integration/pipeline-tests/**/*.test.ts'],
          testTimeout: 300_000,
          // Building the test runner may download Flink from Maven Central on a fresh machine.
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'package',
          include: ['test/integration/package/**/*.test.ts'],
          testTimeout: 300_000,
          // npm pack (with its build) and npm install; install may download what npm's cache lacks.
          hookTimeout: 900_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: ['test/integration/flink-planner/**', 'test/integration/package/**', 'test/integration/pipeline-tests/**', 'test/integration/walkthrough/**'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 900_000,
          fileParallelism: false,
          // Concurrent tests (the upgrade pairs) run this many at once: each holds up to two jobs of the stack's
          // Flink (restored and from scratch), which a 2-core machine runs side by side without starving them.
          maxConcurrency: 4,
        },
      },
      {
        test: {
          // docs/local-stack.md's walkthrough starts and stops the local stack itself: run it on its own, never
          // beside the integration project, whose shared stack it would stop.
          name: 'walkthrough',
          include: ['test/integration/walkthrough/**/*.test.ts'],
          testTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
