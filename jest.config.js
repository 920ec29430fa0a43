/** One jest run over every package; each package keeps its own jest.config.js. */
module.exports = {
  projects: [
    '<rootDir>/packages/*/jest.config.js',
    '<rootDir>/services/*/jest.config.js',
    '<rootDir>/bench/jest.config.js',
  ],
};
