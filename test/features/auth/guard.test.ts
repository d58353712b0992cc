// The auth guard's two edge costs: reads run their query alongside the revocation check (a revoked
// token still gets 401 and no data), and writes count against per-user limits in the same Upstash
// round trip as the check (test limits: 30 writes a minute per kind, see test/vitest.config.ts).
import { describe, expect, it } from 'vitest';
import { api, json, problem } from '../../helpers/api';
import { createSession, sessionInput } from '../../helpers/sessions';
import { createTestUser, type TestUser } from '../../helpers/users';
import { createMemo, memoForm, postMemo, requestUpload } from '../memos/helpers';

const TEST_WRITE_LIMIT = 30;
const today = new Date().toISOString().slice(0, 10);
const logout = (user: TestUser) => api('/auth/logout', { method: 'POST', headers: user.bearer });

async function userWithData() {
  const user = await createTestUser();
  const session = await createSession(user, { subject: 'Secret subject' });
  const memo = await createMemo(user, { content: 'Secret memo' });
  const reads = [
    `/session/${session.id}`,
    `/session/list?tz=UTC&start_date=${today}&end_date=${today}`,
    `/memo/${memo.id}`,
    `/memo/list?tz=UTC&start_date=${today}&end_date=${today}`,
  ];
  return { user, reads };
}

describe('reads whose query runs while the token is checked', () => {
  it('answer with the data while the sign-in stands', async () => {
    const { user, reads } = await userWithData();
    for (const path of reads) {
      const response = await api(path, { headers: user.bearer });
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toMatch(/Secret (subject|memo)/);
    }
  });

  it('answer 401 with no data once the sign-in is revoked, cookie or bearer', async () => {
    const { user, reads } = await userWithData();
    expect((await logout(user)).status).toBe(200);
    for (const headers of [user.bearer, user.cookie]) {
      for (const path of reads) {
        const response = await api(path, { headers });
        expect(response.status, path).toBe(401);
        const body = await problem(response);
        expect(body.detail).toBe('Invalid token');
        expect(JSON.stringify(body)).not.toMatch(/Secret|session_id|content/);
      }
    }
  });

  it('answer 401, not the route’s own 404 or 422, for a revoked sign-in', async () => {
    const user = await createTestUser();
    await logout(user);
    for (const path of ['/session/0123456789abcdef01234567', '/memo/list?tz=Nowhere/Else&start_date=x']) {
      expect((await api(path, { headers: user.bearer })).status, path).toBe(401);
    }
  });

  it('still refuse a missing token and another user’s session', async () => {
    const { reads } = await userWithData();
    const other = await createTestUser();
    expect((await api(reads[0]!)).status).toBe(401);
    expect((await api(reads[0]!, { headers: other.bearer })).status).toBe(403);
  });
});

describe('per-user write limits', () => {
  const postSession = (user: TestUser) => api('/session', { method: 'POST', ...json(sessionInput(), user.bearer) });

  it('refuse writes beyond the limit with 429 and Retry-After, per user and per kind of write', async () => {
    const user = await createTestUser();
    for (let i = 0; i < TEST_WRITE_LIMIT; i++) expect((await postSession(user)).status).toBe(200);

    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await postSession(user);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('Retry-After'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await problem(refused)).detail).toMatch(/^Too many sessions writes; try again in \d+ seconds$/);
    }

    // Reads, other kinds of write and other users are not affected.
    expect((await api(`/session/list?tz=UTC&start_date=${today}&end_date=${today}`, { headers: user.bearer })).status).toBe(200);
    expect((await requestUpload(user, { content_type: 'image/png', size: 100 })).status).toBe(200);
    expect((await postSession(await createTestUser())).status).toBe(200);
  });

  it('count status changes, edits and deletes as session writes', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    const status = (value: string) =>
      api(`/session/${session.id}/status`, { method: 'PUT', ...json({ status: value, updated_at: new Date().toISOString() }, user.bearer) });
    for (let i = 1; i < TEST_WRITE_LIMIT; i++) expect((await status(i % 2 ? 'started' : 'paused')).status).toBe(200);
    expect((await api(`/session/${session.id}`, { method: 'DELETE', headers: user.bearer })).status).toBe(429);
  });

  it('count memo uploads on their own limit', async () => {
    const user = await createTestUser();
    for (let i = 0; i < TEST_WRITE_LIMIT; i++) expect((await requestUpload(user, { content_type: 'image/png', size: 100 })).status).toBe(200);
    expect((await requestUpload(user, { content_type: 'image/png', size: 100 })).status).toBe(429);
    expect((await postMemo(user, memoForm({ content: 'memos have a limit of their own' }))).status).toBe(200);
  });

  it('refuse a write without credentials with 401, uncounted', async () => {
    expect((await api('/session', { method: 'POST', ...json(sessionInput()) })).status).toBe(401);
  });
});
