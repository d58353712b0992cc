import type { TestProjectInlineConfiguration } from 'vitest/config';
import testConfig from '../test/vitest.config';

/**
 * `npm run bench:outages`: bench/outages.bench.ts inside workerd, with the test run's local cloud and
 * its fault stack (test/global-setup.ts, scripts/fault-injection.ts). It prints timings; it asserts nothing.
 */
const worker = testConfig.test!.projects![0] as TestProjectInlineConfiguration;

export default { ...testConfig, test: { projects: [{ ...worker, test: { ...worker.test, include: ['bench/outages.bench.ts'], exclude: [], setupFiles: [], testTimeout: 120_000 } }] } };
