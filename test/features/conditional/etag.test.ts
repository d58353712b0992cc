import { describe, expect, it } from 'vitest';
import { api, json, problem, WEB_ORIGIN } from '../../helpers/api';
import { createSession, getSession } from '../../helpers/sessions';
import { createTestUser, type TestUser } from '../../helpers/users';
import { createMemo, fixtureFile, memoForm } from '../memos/helpers';

async function createMood(user: TestUser) {
  const response = await api('/moods', { method: 'POST', ...json({ score: 3, emotions: ['calm'] }, user.bearer) });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; score: number };
}

/** The three single resources, each with its read and a write a client makes with If-Match. */
const resources = [
  {
    kind: 'memo',
    create: async (user: TestUser) => (await createMemo(user, { content: 'first', image_0: fixtureFile('photo.png') })).id,
    path: (id: string) => `/memo/${id}`,
    write: (user: TestUser, id: string, headers: Record<string, string> = {}) =>
      api(`/memo/${id}`, { method: 'PUT', headers: { ...user.bearer, ...headers }, body: memoForm({ content: `edited ${crypto.randomUUID()}` }) }),
  },
  {
    kind: 'session',
    create: async (user: TestUser) => (await createSession(user)).id,
    path: (id: string) => `/session/${id}`,
    write: (user: TestUser, id: string, headers: Record<string, string> = {}) =>
      api(`/session/${id}`, { method: 'PUT', ...json({ subject: `edited ${crypto.randomUUID()}`, updated_at: new Date().toISOString() }, { ...user.bearer, ...headers }) }),
  },
  {
    kind: 'mood',
    create: async (user: TestUser) => (await createMood(user)).id,
    path: (id: string) => `/moods/${id}`,
    write: (user: TestUser, id: string, headers: Record<string, string> = {}) =>
      api(`/moods/${id}`, { method: 'PATCH', ...json({ note: `edited ${crypto.randomUUID()}` }, { ...user.bearer, ...headers }) }),
  },
];

describe.each(resources)('conditional requests on a $kind', ({ create, path, write }) => {
  it('sends a strong ETag; If-None-Match with it is 304 with no body, and a change makes a new one', async () => {
    const user = await createTestUser();
    const id = await create(user);
    const first = await api(path(id), { headers: user.bearer });
    const tag = first.headers.get('ETag');
    expect(tag).toMatch(/^"[^"]+"$/);
    expect((await api(path(id), { headers: user.bearer })).headers.get('ETag')).toBe(tag);

    const cached = await api(path(id), { headers: { ...user.bearer, 'If-None-Match': tag! } });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe('');
    expect(cached.headers.get('ETag')).toBe(tag);
    expect((await api(path(id), { headers: { ...user.bearer, 'If-None-Match': '"something-else"' } })).status).toBe(200);

    expect((await write(user, id)).status).toBe(200);
    const changed = await api(path(id), { headers: { ...user.bearer, 'If-None-Match': tag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).not.toBe(tag);
  });

  it('writes with a current If-Match and answers the new tag; a stale one is 412 and writes nothing', async () => {
    const user = await createTestUser();
    const id = await create(user);
    const stale = (await api(path(id), { headers: user.bearer })).headers.get('ETag')!;
    const written = await write(user, id, { 'If-Match': stale });
    expect(written.status, await written.clone().text()).toBe(200);
    const current = written.headers.get('ETag')!;
    const read = await api(path(id), { headers: user.bearer });
    expect(read.headers.get('ETag')).toBe(current);
    const before = await read.text();

    const refused = await write(user, id, { 'If-Match': stale });
    expect(refused.status).toBe(412);
    expect(refused.headers.get('Content-Type')).toContain('application/problem+json');
    expect((await problem(refused)).detail).toMatch(/changed since you read it/);
    const after = await api(path(id), { headers: user.bearer });
    expect(after.headers.get('ETag')).toBe(current);
    expect(await after.text()).toBe(before);

    // Without If-Match, a write goes through as it always has.
    expect((await write(user, id)).status).toBe(200);
  });

  it("answers another user's resource as before, with or without conditions, and 401 without credentials", async () => {
    const [owner, other] = [await createTestUser(), await createTestUser()];
    const id = await create(owner);
    const tag = (await api(path(id), { headers: owner.bearer })).headers.get('ETag')!;
    const plain = (await api(path(id), { headers: other.bearer })).status;
    expect([403, 404]).toContain(plain);
    expect((await api(path(id), { headers: { ...other.bearer, 'If-None-Match': tag } })).status).toBe(plain);
    expect((await write(other, id, { 'If-Match': tag })).status).toBe(plain);
    expect((await api(path(id), { headers: { 'If-None-Match': tag } })).status).toBe(401);
  });
});

describe('conditional writes retried with an Idempotency-Key', () => {
  it('does not replay a 412 to a retry that brings a new If-Match: that is another request (422)', async () => {
    const user = await createTestUser();
    const mood = await createMood(user);
    const stale = (await api(`/moods/${mood.id}`, { headers: user.bearer })).headers.get('ETag')!;
    expect((await api(`/moods/${mood.id}`, { method: 'PATCH', ...json({ note: 'moved on' }, user.bearer) })).status).toBe(200);
    const current = (await api(`/moods/${mood.id}`, { headers: user.bearer })).headers.get('ETag')!;
    const send = (ifMatch: string) =>
      api(`/moods/${mood.id}`, { method: 'PATCH', ...json({ note: 'mine' }, { ...user.bearer, 'If-Match': ifMatch, 'Idempotency-Key': 'edit-note-1' }) });
    expect((await send(stale)).status).toBe(412);
    expect((await send(stale)).headers.get('Idempotent-Replayed')).toBe('true');
    expect((await send(current)).status).toBe(422);
  });
});

describe('CORS for conditional requests', () => {
  it('lets the web client send the conditional headers and read the ETag', async () => {
    const preflight = await api('/memo/x', {
      method: 'OPTIONS',
      headers: { Origin: WEB_ORIGIN, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'if-match, if-none-match, idempotency-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toEqual(expect.stringContaining('if-match'));
    expect(preflight.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toEqual(expect.stringContaining('if-none-match'));
    const user = await createTestUser();
    const session = await createSession(user);
    const read = await api(`/session/${session.id}`, { headers: { ...user.bearer, Origin: WEB_ORIGIN } });
    expect(read.headers.get('Access-Control-Expose-Headers')).toContain('ETag');
    expect((await getSession(user, session.id)).id).toBe(session.id);
  });
});
