import { describe, expect, it } from 'vitest';
import { api, problem } from './helpers/api';

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
    const response = await api('/categories/custom', { headers: { 'X-Request-Id': 'trace-123' } });
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
  });
});
