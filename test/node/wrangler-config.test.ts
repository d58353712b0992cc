// wrangler.toml's two environments: the top level (developers, tests, CI; offline) and
// [env.production] (deployed). Environments inherit no bindings or [vars], so production repeats
// them, and this test keeps the copies from drifting apart. Plain `npx wrangler dev` must start
// without an account or network: the AI binding, which only exists remotely, lives in production.
import { fileURLToPath } from 'node:url';
import { unstable_readConfig } from 'wrangler';
import { describe, expect, it } from 'vitest';
import { startWranglerDev } from '../helpers/wrangler-dev';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (env?: string) => unstable_readConfig({ config: `${root}/wrangler.toml`, env }, { hideWarnings: true });

/** Production may choose other values (e.g. the AI provider), never other names. */
const PRODUCTION_ONLY_VALUES = new Set(['AI_PROVIDER', 'APP_URL', 'EMAIL_PROVIDER', 'EMAIL_API_URL', 'EMAIL_FROM']);

describe('wrangler.toml', () => {
  it('declares in production every var, bucket and queue of the top level, plus the AI binding', () => {
    const local = read();
    const production = read('production');
    expect(production.name).toBe(local.name);
    expect(Object.keys(production.vars).sort()).toEqual(Object.keys(local.vars).sort());
    for (const [name, value] of Object.entries(local.vars)) if (!PRODUCTION_ONLY_VALUES.has(name)) expect(production.vars[name], name).toEqual(value);
    // The local S3 credentials only serve presigned URLs in `wrangler dev`.
    expect(production.r2_buckets).toEqual(local.r2_buckets.map(({ local_dev: _localOnly, ...bucket }: (typeof local.r2_buckets)[number]) => bucket));
    expect(production.queues).toEqual(local.queues);
    expect(production.triggers).toEqual(local.triggers);
    expect(production.ai?.binding).toBe('AI');
    expect(local.ai).toBeUndefined();
    // /docs loads Scalar from Workers Static Assets (`npm run assets` fills the folder) in both.
    expect(local.assets?.directory).toBe('./.assets');
    expect(production.assets).toEqual(local.assets);
  });

  it('lets plain `npx wrangler dev` start offline, with no account', async () => {
    const server = await startWranglerDev([], { CLOUDFLARE_API_TOKEN: '' });
    try {
      expect(server.output).not.toMatch(/remote proxy session/i);
      const response = await fetch(`${server.origin}/health`);
      expect(response.headers.get('X-Request-Id')).toBeTruthy();
    } finally {
      server.stop();
    }
  }, 60_000);
});
