import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

// wrangler warns on every test file that wrangler.toml's local S3 credentials (used by `wrangler
// dev` for presigned URLs) are experimental; a green run shows errors only.
process.env.WRANGLER_LOG ??= 'error';

/**
 * wrangler hands the tests a developer's .dev.vars when there is one; every variable it may hold
 * (all are listed in .dev.vars.example) is unset here, so a run never depends on the machine.
 */
const developerVars = Object.fromEntries(
  [...readFileSync(`${root}/.dev.vars.example`, 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => [match[1], '']),
);

/** Test-only configuration: the rest is wrangler.toml's, or the Worker's defaults, as in production. */
const testBindings = {
  JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
  ALLOWED_ORIGINS: 'http://127.0.0.1:3000,https://omood.minjacho.com',
  COOKIE_SECURE: 'true',
  AUTH_RATE_LIMIT_PER_MINUTE: '5',
  // Cheaper password hashes, so a test that signs up pays milliseconds; the production cost is measured in bench/.
  PASSWORD_SCRYPT_LOG_N: '10',
  WRITE_LIMITS_PER_MINUTE: 'sessions=30,memos=30,uploads=30,moods=30,categories=30,ai=30',
};

export default defineConfig({
  root,
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: `${root}/wrangler.toml` },
            remoteBindings: false,
            // workerd's own traces of connections that tests drop or refuse on purpose stay out of
            // the run; what the Worker logs is captured per test (test/setup/capture-logs.ts).
            verbose: false,
            miniflare: { bindings: { ...developerVars, ...testBindings, ...inject('localCloudEnv'), ...inject('providerStandIns'), ...inject('aiStandIn'), ...inject('mailStandIn') } },
          })),
        ],
        test: {
          name: 'worker',
          include: ['test/**/*.test.ts'],
          exclude: ['test/local-cloud/**', 'test/node/**', 'test/browser/**'],
          globalSetup: ['test/global-setup.ts', 'test/oauth-stand-in/setup.ts', 'test/ai-stand-in/setup.ts', 'test/mail-stand-in/setup.ts'],
          setupFiles: ['test/setup/capture-logs.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      // Checks of the Worker's code that need Node (the OpenAPI validator compiles code at run time).
      {
        test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node', testTimeout: 20_000 },
      },
      // /docs in headless Chromium against `wrangler dev` (a browser cannot reach the workerd of the tests).
      {
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 60_000 },
      },
      // The local cloud's own behaviour (it starts servers, so it runs in Node, not in workerd).
      {
        test: { name: 'local-cloud', include: ['test/local-cloud/**/*.test.ts'], environment: 'node', testTimeout: 20_000, hookTimeout: 90_000 },
      },
    ],
  },
});
