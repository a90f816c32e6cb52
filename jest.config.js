/**
 * Jest under native ESM (NODE_OPTIONS=--experimental-vm-modules), TypeScript compiled by SWC. Three layers:
 * unit (pure rules, beside the code), medium (services on a real PostgreSQL, no HTTP), e2e (the HTTP API).
 */
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['@swc/jest', { swcrc: true }] },
  testEnvironment: 'node',
};

/** Tests on PostgreSQL: one migrated template per run, a throwaway clone of it per test file (test/setup). */
const database = {
  setupFiles: ['<rootDir>/test/setup/fresh-orm-metadata.js'],
  setupFilesAfterEnv: ['<rootDir>/test/setup/roarr-teardown.js'],
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
};

export default {
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
  // A worker exits once its event loop is empty. After every e2e and medium file nothing but the worker's IPC pipe
  // is left open (checked with process._getActiveHandles() in an afterAll), yet on a busy 2-core runner a worker
  // that ran many files sometimes took longer than Jest's default 500 ms to go, and was force-exited with a warning
  // about leaking tests. A leak would still be reported, after this long.
  workerGracefulExitTimeout: 5_000,
  // Hooks that start two app instances take most of 30 s on a busy 2-core runner.
  testTimeout: 60_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      // Beside the code, and test/*.spec.ts for what is not under src (the benchmark's README generator).
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    },
    {
      ...common,
      ...database,
      displayName: 'medium',
      testMatch: ['<rootDir>/test/medium/**/*.medium-spec.ts'],
    },
    {
      ...common,
      ...database,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
