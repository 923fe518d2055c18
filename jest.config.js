/** Type checking is done once by `tsc --noEmit` (npm test); ts-jest only transpiles, which keeps the suite fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/rules'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
