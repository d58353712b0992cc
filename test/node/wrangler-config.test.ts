// wrangler.toml's two environments: the top level (developers, tests, CI; offline) and
// [env.production] (deployed). Environments inherit no bindings or [vars], so production repeats
// them, and this test keeps the copies from drifting apart. Plain `npx wrangler dev` must start
// without an account or network: the AI binding, which only exists remotely, lives in production.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { unstable_readConfig } from 'wrangler';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (env?: string) => unstable_readConfig({ config: `${root}/wrangler.toml`, env }, { hideWarnings: true });

/** Production may choose other values (e.g. the AI provider), never other names. */
const PRODUCTION_ONLY_VALUES = new Set(['AI_PROVIDER']);

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
    const [port, inspector] = [await freePort(), await freePort()];
    const child = spawn('npx', ['wrangler', 'dev', '--port', String(port), '--inspector-port', String(inspector), '--ip', '127.0.0.1'], {
      cwd: root,
      env: { ...process.env, CLOUDFLARE_API_TOKEN: '', CI: '1', WRANGLER_SEND_METRICS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    try {
      const ready = await new Promise<boolean>((resolve) => {
        const look = (chunk: Buffer) => {
          output += chunk.toString();
          if (/Ready on/.test(output)) resolve(true);
        };
        child.stdout.on('data', look);
        child.stderr.on('data', look);
        child.on('exit', () => resolve(false));
      });
      expect(ready, output).toBe(true);
      expect(output).not.toMatch(/remote proxy session/i);
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      expect(response.headers.get('X-Request-Id')).toBeTruthy();
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
