/**
 * Shared jest settings. Type-checking is `tsc -b` (run before jest by `pnpm test`),
 * so tests are only transpiled here, with swc.
 */
const path = require('node:path');

module.exports = function preset(dir) {
  return {
    displayName: path.basename(dir),
    rootDir: dir,
    testMatch: ['<rootDir>/src/**/*.test.ts'],
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
    moduleFileExtensions: ['ts', 'js', 'json'],
    testTimeout: 30000,
  };
};
