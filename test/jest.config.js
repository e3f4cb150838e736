const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  rootDir: '..',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/src/**/*.spec.ts'],
  // NestJS 12 (and openid-client) ship as ES modules; Jest on Node 20 loads CommonJS, so those packages are compiled too.
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swc] },
  // Compiled code imports `./x.js`; in the TypeScript sources that file is `./x.ts`.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@marcbachmann|file-type|strtok3|token-types|peek-readable|@tokenizer|@borewit|uint8array-extras|jose|openid-client|oauth4webapi)/)'],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
  // Each test file has a database of its own, so two files run at once, one per core (Jest's default
  // leaves one core of two idle).
  maxWorkers: 2,
  testSequencer: '<rootDir>/test/support/slowest-first-sequencer.js',
};
