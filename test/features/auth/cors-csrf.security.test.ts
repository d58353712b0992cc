import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app';
import { requireAuth } from '../../../src/features/auth';
import { api, problem, WEB_ORIGIN } from '../../helpers/api';
import { clientIp } from '../../helpers/oauth';
import { createTestUser } from '../../helpers/users';

const FOREIGN_ORIGIN = 'https://evil.example';

function expectCorsFor(response: Response, origin: string) {
  expect(response.headers.get('Access-Control-Allow-Origin')).toBe(origin);
  expect(response.headers.get('Access-Control-Allow-Credentials')).toBe('true');
  expect(response.headers.get('Vary')).toMatch(/\bOrigin\b/);
}

describe('CORS', () => {
  it.each(['http://127.0.0.1:3000', 'https://omood.minjacho.com'])('echoes the allowed origin %s with credentials', async (origin) => {
    const response = await api('/', { headers: { Origin: origin } });
    expect(response.status).toBe(200);
    expectCorsFor(response, origin);
    expect(response.headers.get('Access-Control-Expose-Headers')).toMatch(/X-New-Token/);
  });

  it.each([
    ['PUT', '/session/0123456789abcdef01234567', 'content-type'],
    ['DELETE', '/memo/0123456789abcdef01234567', ''],
    ['POST', '/auth/google/callback', 'content-type'],
  ])('answers the preflight of a %s to %s', async (method, path, requestHeaders) => {
    const response = await api(path, {
      method: 'OPTIONS',
      headers: { Origin: WEB_ORIGIN, 'Access-Control-Request-Method': method, ...(requestHeaders ? { 'Access-Control-Request-Headers': requestHeaders } : {}) },
    });
    expect(response.status).toBe(204);
    expectCorsFor(response, WEB_ORIGIN);
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain(method);
    if (requestHeaders) expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain(requestHeaders);
    expect(response.headers.get('Access-Control-Max-Age')).toBe('600');
  });

  it('puts the CORS headers on error responses too', async () => {
    const responses = [
      await api('/auth/me', { headers: { Origin: WEB_ORIGIN } }),
      await api('/no/such/route', { headers: { Origin: WEB_ORIGIN } }),
      await api('/auth/google/callback', { method: 'POST', headers: { Origin: WEB_ORIGIN, 'Content-Type': 'application/json', 'CF-Connecting-IP': clientIp() }, body: '{}' }),
    ];
    expect(responses.map((response) => response.status)).toEqual([401, 404, 422]);
    for (const response of responses) {
      await problem(response);
      expectCorsFor(response, WEB_ORIGIN);
    }
  });

  it('gives a disallowed origin no Access-Control-Allow-Origin, simple request or preflight', async () => {
    const simple = await api('/auth/me', { headers: { Origin: 'http://localhost:3000' } });
    const preflight = await api('/auth/logout', { method: 'OPTIONS', headers: { Origin: FOREIGN_ORIGIN, 'Access-Control-Request-Method': 'POST' } });
    for (const response of [simple, preflight]) expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

/**
 * The real app plus one protected route for every unsafe method: the auth guard is route-level,
 * and the state-changing routes that use it belong to other features.
 */
const app = createApp();
app.on(['POST', 'PUT', 'PATCH', 'DELETE', 'GET'], '/csrf-probe', requireAuth, (c) => c.json({ userId: c.get('caller').userId }));
const probe = (method: string, headers: Record<string, string>) => app.request('/csrf-probe', { method, headers }, env);

describe('CSRF: cookie-authenticated state changes must come from an allowed origin', () => {
  describe.each(['POST', 'PUT', 'PATCH', 'DELETE'])('%s', (method) => {
    it('is refused from a foreign Origin (403)', async () => {
      const user = await createTestUser();
      const response = await probe(method, { Cookie: `omood_at=${user.token}`, Origin: FOREIGN_ORIGIN });
      expect(response.status).toBe(403);
      expect((await problem(response)).detail).toBe('Cross-site request refused: the Origin is not allowed');
    });

    it('is refused with neither Origin nor Referer (403)', async () => {
      const user = await createTestUser();
      expect((await probe(method, { Cookie: `omood_at=${user.token}` })).status).toBe(403);
    });

    it('is allowed from an allowed Origin', async () => {
      const user = await createTestUser();
      const response = await probe(method, user.cookie);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ userId: user.userId });
    });

    it('falls back to the Referer when there is no Origin', async () => {
      const user = await createTestUser();
      const cookie = `omood_at=${user.token}`;
      expect((await probe(method, { Cookie: cookie, Referer: `${WEB_ORIGIN}/sessions?day=today` })).status).toBe(200);
      expect((await probe(method, { Cookie: cookie, Referer: `${FOREIGN_ORIGIN}/${encodeURIComponent(WEB_ORIGIN)}` })).status).toBe(403);
      expect((await probe(method, { Cookie: cookie, Referer: 'not a url' })).status).toBe(403);
    });

    it('does not apply to bearer requests', async () => {
      const user = await createTestUser();
      expect((await probe(method, { ...user.bearer, Origin: FOREIGN_ORIGIN })).status).toBe(200);
    });
  });

  it('does not apply to safe methods', async () => {
    const user = await createTestUser();
    expect((await probe('GET', { Cookie: `omood_at=${user.token}`, Origin: FOREIGN_ORIGIN })).status).toBe(200);
  });
});
