import type { TestProjectInlineConfiguration } from 'vitest/config';
import testConfig from '../test/vitest.config';

/** `npm run bench:workerd`: the bench/*.bench.ts that measure Worker code inside workerd (no dev server). They print; they assert nothing. */
const worker = testConfig.test!.projects![0] as TestProjectInlineConfiguration;

export default {
  ...testConfig,
  test: { projects: [{ ...worker, test: { ...worker.test, include: ['bench/password-hash.bench.ts'], exclude: [], setupFiles: [], testTimeout: 120_000 } }] },
};
