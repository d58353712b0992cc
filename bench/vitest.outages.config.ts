import testConfig from '../test/vitest.config';

/**
 * `npm run bench:outages`: bench/outages.bench.ts inside workerd, with the test run's local cloud and
 * its fault stack (test/global-setup.ts, scripts/fault-injection.ts). It prints timings; it asserts nothing.
 */
export default { ...testConfig, test: { ...testConfig.test, include: ['bench/outages.bench.ts'], testTimeout: 120_000 } };
