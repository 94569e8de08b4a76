// Jest runs in native ESM mode: Nest 12 ships ES modules only (see docs/architecture.md).
const dbLabel = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

/** @type {import('jest').Config} */
export default {
  displayName: dbLabel,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
  // Each test file loads the whole app into its own module registry, and a worker's heap keeps
  // growing across files (past 1 GB after ~10 e2e files) until garbage collection dominates:
  // a worker past this size is replaced before its next file.
  workerIdleMemoryLimit: '1GB',
};
