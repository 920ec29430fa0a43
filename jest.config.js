/** One jest run over every package; each package keeps its own jest.config.js. */
module.exports = {
  // Global option: a project's own testTimeout is ignored when jest runs projects from here.
  // Tests start real processes (services, MySQL databases) on a 2-core machine.
  testTimeout: 30000,
  projects: [
    '<rootDir>/packages/*/jest.config.js',
    '<rootDir>/services/*/jest.config.js',
    '<rootDir>/bench/jest.config.js',
  ],
};
