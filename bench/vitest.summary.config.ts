import type { TestProjectInlineConfiguration } from 'vitest/config';
import testConfig from '../test/vitest.config';

/** `npm run bench:summary`: bench/summary-job.bench.ts in the tests' workerd project, with their local cloud. It prints timings; it asserts nothing. */
const worker = testConfig.test!.projects![0] as TestProjectInlineConfiguration;

export default { ...testConfig, test: { projects: [{ ...worker, test: { ...worker.test, include: ['bench/summary-job.bench.ts'], exclude: [], setupFiles: [], testTimeout: 120_000 } }] } };
