import { describe, expect, it } from 'vitest';
import { createExecutionContext } from 'cloudflare:test';
import worker from '../src/index';
import { api, BASE, env, problem } from './helpers/api';

describe('service endpoints', () => {
  it('GET / answers the original greeting', async () => {
    const response = await api('/');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ msg: 'Omood API running!' });
    expect(response.headers.get('X-Request-Id')).toMatch(/.+/);
  });

  it('GET /health reaches real Postgres and Redis', async () => {
    const response = await api('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('unknown routes are 404 problems, never 401, and keep the request id', async () => {
    const response = await api('/no-such-route', { headers: { 'X-Request-Id': 'trace-123' } });
    expect(response.status).toBe(404);
    const body = await problem(response);
    expect(body).toMatchObject({ status: 404, title: 'Not Found', requestId: 'trace-123' });
    expect(response.headers.get('X-Request-Id')).toBe('trace-123');
  });

  it('serves an OpenAPI 3.1 document and the interactive docs', async () => {
    const document = (await (await api('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/health']).toBeDefined();
    const docs = await api('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('Content-Type')).toContain('text/html');
    // The reference's bundle comes from our own static assets, never a CDN (test/browser/ renders it).
    expect(await docs.text()).toContain('src="/docs-assets/scalar.js"');
    expect(docs.headers.get('Content-Security-Policy')).toMatch(/script-src 'self' 'nonce-/);
  });
});

describe('GET /health when a dependency is down', () => {
  const unreachable = 'http://127.0.0.1:9';
  const healthWith = (overrides: Partial<Env>) => worker.fetch(new Request(`${BASE}/health`), { ...env, ...overrides }, createExecutionContext());

  it('answers 503 naming Redis when Upstash cannot be reached', async () => {
    const response = await healthWith({ UPSTASH_REDIS_REST_URL: unreachable });
    expect(response.status).toBe(503);
    expect((await problem(response)).detail).toBe('Unavailable: redis');
  });

  it('answers 503 naming Postgres when Neon cannot be reached', async () => {
    const response = await healthWith({ NEON_FETCH_ENDPOINT: `${unreachable}/sql` });
    expect(response.status).toBe(503);
    expect((await problem(response)).detail).toBe('Unavailable: postgres');
  });
});
