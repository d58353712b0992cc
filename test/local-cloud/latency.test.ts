// Latency you can dial on the local endpoints (issue 12, item 1): LOCAL_CLOUD_LATENCY_MS at start,
// `PUT /__latency` at run time. What the delay does to timings is for bench/, not for a test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../scripts/local-cloud.ts';

let cloud: LocalCloud;

beforeAll(async () => {
  process.env.LOCAL_CLOUD_LATENCY_MS = '3';
  try {
    cloud = await startLocalCloud({ mode: 'test' });
  } finally {
    delete process.env.LOCAL_CLOUD_LATENCY_MS;
  }
}, 90_000);
afterAll(() => cloud.stop());

const endpoints = () => [cloud.env.NEON_FETCH_ENDPOINT, cloud.env.UPSTASH_REDIS_REST_URL];
const latencyOf = async (endpoint: string, init?: RequestInit) => fetch(new URL('/__latency', endpoint), init);

describe('the local Neon and Upstash endpoints', () => {
  it('start with LOCAL_CLOUD_LATENCY_MS and a quarter of it as jitter', async () => {
    for (const endpoint of endpoints()) expect(await (await latencyOf(endpoint)).json()).toEqual({ ms: 3, jitter: 0.75 });
  });

  it('take a new latency and jitter at run time, and refuse a negative one', async () => {
    for (const endpoint of endpoints()) {
      expect(await (await fetch(new URL('/__latency?ms=20&jitter=2', endpoint), { method: 'PUT' })).json()).toEqual({ ms: 20, jitter: 2 });
      expect((await fetch(new URL('/__latency?ms=-1', endpoint), { method: 'PUT' })).status).toBe(400);
      expect(await (await fetch(new URL('/__latency?ms=0', endpoint), { method: 'PUT' })).json()).toEqual({ ms: 0, jitter: 0 });
    }
  });

  it('still serve their protocols with a latency set', async () => {
    const upstash = cloud.env.UPSTASH_REDIS_REST_URL;
    await fetch(new URL('/__latency?ms=5', upstash), { method: 'PUT' });
    const ping = await fetch(upstash, { method: 'POST', headers: { Authorization: `Bearer ${cloud.env.UPSTASH_REDIS_REST_TOKEN}` }, body: JSON.stringify(['PING']) });
    expect(await ping.json()).toEqual({ result: 'PONG' });
  });
});
