import { describe, expect, it } from 'vitest';
import { api, problem } from '../../helpers/api';
import { credentialsFor, epochSeconds, mintToken } from '../../helpers/oauth';
import { createTestUser } from '../../helpers/users';

/** Routes whose queries or Redis keys take the token's `sub`, and the logout that takes its `exp`. */
const probes: [string, string, RequestInit?][] = [
  ['GET', '/auth/me'],
  ['GET', '/user/me'],
  ['GET', '/session/current'],
  ['GET', '/session/list?tz=UTC&start_date=2026-01-01&end_date=2026-01-01'],
  ['GET', '/memo/list?tz=UTC&start_date=2026-01-01&end_date=2026-01-01'],
  ['POST', '/session', { body: JSON.stringify({ duration: 1500 }), headers: { 'Content-Type': 'application/json' } }],
];

describe('claims of tokens signed with the real secret', () => {
  const now = epochSeconds();
  const odd: [string, Record<string, unknown>][] = [
    ['a sub with a NUL byte', { sub: `${crypto.randomUUID()}\u0000`, exp: now + 600 }],
    ['a sub that is not a user id', { sub: 'someone', exp: now + 600 }],
    ['an exp of 1e308', { sub: crypto.randomUUID(), exp: 1e308 }],
    ['an exp that is not an integer', { sub: crypto.randomUUID(), exp: now + 600.5 }],
    ['a legacy {sub, exp} token valid for a year', { sub: crypto.randomUUID(), exp: now + 365 * 24 * 3600 }],
    ['a sign-in id that is not ours', { sub: crypto.randomUUID(), exp: now + 600, sid: 'x\u0000', sia: now }],
    ['a sign-in time that is not a number', { sub: crypto.randomUUID(), exp: now + 600, sid: crypto.randomUUID(), sia: 1e308 }],
  ];

  it.each(odd)('refuses %s with 401 on every route', async (_, claims) => {
    const { bearer } = credentialsFor(await mintToken(claims));
    for (const [method, path, init = {}] of probes) {
      const response = await api(path, { ...init, method, headers: { ...(init.headers as Record<string, string>), ...bearer } });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect((await problem(response)).detail).toBe('Invalid token');
    }
  });

  it('lets logout of a token with an absurd exp answer, never 500', async () => {
    const response = await api('/auth/logout', { method: 'POST', headers: credentialsFor(await mintToken({ sub: crypto.randomUUID(), exp: 1e308 })).bearer });
    expect(response.status).toBe(200);
  });

  it('still accepts a legacy token issued for the token lifetime', async () => {
    const user = await createTestUser();
    const response = await api('/auth/me', { headers: user.bearer });
    expect(response.status).toBe(200);
  });
});
