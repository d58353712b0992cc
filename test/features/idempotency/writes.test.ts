// Idempotency-Key on writes, through the HTTP API: replays run nothing again, a reused key for
// another request is 422, a retry of a request still running is 409, a failed first attempt is
// not kept, and keys belong to their user.
import { describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { memos, moodCheckins } from '../../../src/db/schema';
import { api, json, problem, WEB_ORIGIN } from '../../helpers/api';
import { apiWith } from '../../helpers/env-override';
import { createSession, testRedis } from '../../helpers/sessions';
import { createTestUser, testDb, type TestUser } from '../../helpers/users';
import { fixtureBytes } from '../../fixtures/media';
import { fixtureFile, memoForm, storedKeys, type MemoBody } from '../memos/helpers';

const faults = inject('faults');

const keyed = (key: string, headers: Record<string, string>) => ({ ...headers, 'Idempotency-Key': key });

/** A multipart body written by hand, so two requests can differ in nothing but the boundary. */
function multipart(boundary: string, fields: [string, string | { name: string; type: string; bytes: Uint8Array }][]) {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const [name, value] of fields) {
    if (typeof value === 'string') {
      chunks.push(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    } else {
      chunks.push(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.name}"\r\nContent-Type: ${value.type}\r\n\r\n`));
      chunks.push(value.bytes, encoder.encode('\r\n'));
    }
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

const memoRows = (user: TestUser) => testDb().select({ id: memos.id }).from(memos).where(eq(memos.userId, user.userId));
const moodRows = (user: TestUser) => testDb().select({ id: moodCheckins.id }).from(moodCheckins).where(eq(moodCheckins.userId, user.userId));

const postMood = (user: TestUser, key: string, body: Record<string, unknown>) => api('/moods', { method: 'POST', ...json(body, keyed(key, user.bearer)) });

describe('a replayed multipart memo create', () => {
  it('makes one memo and one set of files, and answers the kept memo with Idempotent-Replayed: true', async () => {
    const user = await createTestUser();
    const send = () =>
      api('/memo', {
        method: 'POST',
        headers: keyed('memo-create-1', user.cookie),
        body: memoForm({ content: 'written on a train', tags: 'travel', image_0: fixtureFile('photo.png'), audio_0: fixtureFile('voice.webm') }),
      });
    const first = await send();
    expect(first.status, await first.clone().text()).toBe(200);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    const created = (await first.json()) as MemoBody;
    const keys = await storedKeys(user.userId);
    expect(keys).toHaveLength(2);

    const again = await send();
    expect(again.status).toBe(200);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.headers.get('Content-Type')).toMatch(/^application\/json/);
    const replayed = (await again.json()) as MemoBody;
    expect(replayed.id).toBe(created.id);
    expect(replayed.attachments.map((attachment) => attachment.id)).toEqual(created.attachments.map((attachment) => attachment.id));
    expect(await memoRows(user)).toHaveLength(1);
    expect(await storedKeys(user.userId)).toEqual(keys);
  });

  it('is the same request when only the multipart boundary differs', async () => {
    const user = await createTestUser();
    const fields = (): Parameters<typeof multipart>[1] => [
      ['content', 'same memo, new boundary'],
      ['image_0', { name: 'photo.png', type: 'image/png', bytes: fixtureBytes('photo.png') }],
    ];
    const send = (boundary: string) => {
      const { body, type } = multipart(boundary, fields());
      return api('/memo', { method: 'POST', headers: { ...keyed('boundary-1', user.cookie), 'Content-Type': type }, body });
    };
    const first = await send('----first-boundary-1111');
    expect(first.status, await first.clone().text()).toBe(200);
    const again = await send('----another-boundary-2222');
    expect(again.status, await again.clone().text()).toBe(200);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await again.text()).toBe(await first.text());
    expect(await memoRows(user)).toHaveLength(1);
    expect(await storedKeys(user.userId)).toHaveLength(1);
  });

  it('is another request when a file differs: 422 naming the header, nothing written', async () => {
    const user = await createTestUser();
    const send = (file: File) => api('/memo', { method: 'POST', headers: keyed('file-swap', user.cookie), body: memoForm({ content: 'same text', image_0: file }) });
    expect((await send(fixtureFile('photo.png'))).status).toBe(200);
    const swapped = await send(fixtureFile('photo.jpg'));
    expect(swapped.status).toBe(422);
    expect((await problem(swapped)).errors).toEqual([{ field: 'header.Idempotency-Key', message: expect.stringMatching(/different request/) }]);
    expect(await memoRows(user)).toHaveLength(1);
    expect(await storedKeys(user.userId)).toHaveLength(1);
  });
});

describe('a replayed session status change', () => {
  it('changes the status once and answers the same session again', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    const body = { status: 'started', updated_at: new Date().toISOString() };
    const send = () => api(`/session/${session.id}/status`, { method: 'PUT', ...json(body, keyed('start-1', user.bearer)) });
    const first = await send();
    expect(first.status, await first.clone().text()).toBe(200);
    const again = await send();
    // Without the key the repeat would be a refused transition (started → started is 409).
    expect(again.status, await again.clone().text()).toBe(200);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    const unkeyed = await api(`/session/${session.id}/status`, { method: 'PUT', ...json(body, user.bearer) });
    expect(unkeyed.status).toBe(409);
  });
});

describe('a key reused for another request', () => {
  it('is 422 problem+json naming the header, and runs nothing', async () => {
    const user = await createTestUser();
    expect((await postMood(user, 'mood-1', { score: 3 })).status).toBe(200);
    const other = await postMood(user, 'mood-1', { score: 5 });
    expect(other.status).toBe(422);
    const body = await problem(other);
    expect(body.errors).toEqual([{ field: 'header.Idempotency-Key', message: expect.stringMatching(/different request/) }]);
    // Another path with the same key is another request too.
    const session = await api('/session', { method: 'POST', ...json({ subject: 'x', duration: 25, break_duration: 5, created_at: new Date().toISOString() }, keyed('mood-1', user.bearer)) });
    expect(session.status).toBe(422);
    expect(await moodRows(user)).toHaveLength(1);
  });
});

describe('concurrent retries', () => {
  it('run the write once: one 2xx, the other 409 or the replay, never two memos', async () => {
    const user = await createTestUser();
    const send = () =>
      api('/memo', { method: 'POST', headers: keyed('both-at-once', user.cookie), body: memoForm({ content: 'sent twice at once', image_0: fixtureFile('photo.png') }) });
    const answers = await Promise.all([send(), send()]);
    const statuses = answers.map((answer) => answer.status).sort();
    const replayed = answers.filter((answer) => answer.headers.get('Idempotent-Replayed') === 'true');
    expect(statuses[0]).toBe(200);
    if (statuses[1] === 409) {
      const refused = answers.find((answer) => answer.status === 409)!;
      expect((await problem(refused)).detail).toMatch(/still being processed/);
      expect(refused.headers.get('Retry-After')).toBe('1');
    } else {
      expect(statuses[1]).toBe(200);
      expect(replayed).toHaveLength(1);
    }
    expect(await memoRows(user)).toHaveLength(1);
    expect(await storedKeys(user.userId)).toHaveLength(1);
  });

  it('answer 409 while the first still runs (its marker in Redis)', async () => {
    const user = await createTestUser();
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('running-1'))), (byte) => byte.toString(16).padStart(2, '0')).join('');
    await testRedis().set(`idem:${user.userId}:${digest}`, 'in-flight', { ex: 60 });
    const answer = await postMood(user, 'running-1', { score: 2 });
    expect(answer.status).toBe(409);
    expect((await problem(answer)).type).toBe('urn:omood:problem:conflict');
    expect(await moodRows(user)).toHaveLength(0);
  });
});

describe('a failed first attempt', () => {
  it('is not kept (a 503 during an outage): the retry runs, once', async () => {
    const user = await createTestUser();
    const form = () => memoForm({ content: 'written during an outage', image_0: fixtureFile('photo.png') });
    const postgresDown = { REDIS_TIMEOUT_MS: '400', DATABASE_TIMEOUT_MS: '800', NEON_FETCH_ENDPOINT: faults.neonWithoutPostgres };
    const failed = await apiWith(postgresDown, '/memo', { method: 'POST', headers: keyed('after-outage', user.cookie), body: form() });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await memoRows(user)).toHaveLength(0);

    const retried = await api('/memo', { method: 'POST', headers: keyed('after-outage', user.cookie), body: form() });
    expect(retried.status, await retried.clone().text()).toBe(200);
    expect(retried.headers.get('Idempotent-Replayed')).toBeNull();
    const replayed = await api('/memo', { method: 'POST', headers: keyed('after-outage', user.cookie), body: form() });
    expect(replayed.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await memoRows(user)).toHaveLength(1);
    expect(await storedKeys(user.userId)).toHaveLength(1);
  });

  it('keeps a 4xx like a success (the draft\'s choice): the same refused request answers the same refusal', async () => {
    const user = await createTestUser();
    const first = await postMood(user, 'bad-score', { score: 9 });
    expect(first.status).toBe(422);
    const again = await postMood(user, 'bad-score', { score: 9 });
    expect(again.status).toBe(422);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    expect((await problem(again)).errors).toEqual((await problem(first)).errors);
  });

  it('refused before it ran (429, 413) is not kept', async () => {
    const user = await createTestUser();
    const tooLarge = await apiWith({ MAX_FORM_BYTES: '1024' }, '/memo', {
      method: 'POST',
      headers: keyed('big-then-small', user.cookie),
      body: memoForm({ content: 'x'.repeat(4096) }),
    });
    expect(tooLarge.status).toBe(413);
    const small = await api('/memo', { method: 'POST', headers: keyed('big-then-small', user.cookie), body: memoForm({ content: 'x'.repeat(4096) }) });
    expect(small.status, await small.clone().text()).toBe(200);
    expect(small.headers.get('Idempotent-Replayed')).toBeNull();
  });
});

describe('keys', () => {
  it('belong to their user: another user with the same key runs normally', async () => {
    const [alice, bob] = [await createTestUser(), await createTestUser()];
    const first = await postMood(alice, 'shared-key', { score: 4 });
    const theirs = await postMood(bob, 'shared-key', { score: 4 });
    expect(first.status).toBe(200);
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('Idempotent-Replayed')).toBeNull();
    expect(((await theirs.json()) as { id: string }).id).not.toBe(((await first.json()) as { id: string }).id);
    expect(await moodRows(bob)).toHaveLength(1);
  });

  it('are kept in Redis for 24 hours under the user, never the key itself', async () => {
    const user = await createTestUser();
    expect((await postMood(user, 'kept-a-day', { score: 1 })).status).toBe(200);
    const redis = testRedis();
    const [name] = (await redis.keys(`idem:${user.userId}:*`)) as string[];
    expect(name).toMatch(new RegExp(`^idem:${user.userId}:[0-9a-f]{64}$`));
    const ttl = await redis.ttl(name!);
    expect(ttl).toBeGreaterThan(24 * 3600 - 60);
    expect(ttl).toBeLessThanOrEqual(24 * 3600);
    // Listed for the account purge, which deletes them by name.
    expect(await redis.zrange(`idem-keys:${user.userId}`, 0, -1)).toEqual([name]);
  });

  it('need credentials: 401 without them, nothing kept', async () => {
    const response = await api('/moods', { method: 'POST', ...json({ score: 3 }, { 'Idempotency-Key': 'anonymous' }) });
    expect(response.status).toBe(401);
    await problem(response);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with a space', 'two words'],
    ['not ASCII', 'cl\u00e9'],
  ])('are 422 naming header.Idempotency-Key when %s', async (_, key) => {
    const user = await createTestUser();
    const response = await api('/moods', { method: 'POST', ...json({ score: 3 }, { ...user.bearer, 'Idempotency-Key': key }) });
    expect(response.status).toBe(422);
    expect((await problem(response)).errors).toEqual([{ field: 'header.Idempotency-Key', message: expect.any(String) }]);
    expect(await moodRows(user)).toHaveLength(0);
  });

  it('of 255 visible characters are fine', async () => {
    const user = await createTestUser();
    expect((await postMood(user, '~'.repeat(255), { score: 3 })).status).toBe(200);
  });

  it('are ignored on reads', async () => {
    const user = await createTestUser();
    const read = await api('/moods/list?tz=UTC&start_date=2026-01-01&end_date=2026-01-01', { headers: keyed('not a valid key!', user.bearer) });
    expect(read.status).toBe(200);
  });
});

describe('CORS', () => {
  it('allows Idempotency-Key in preflights and exposes Idempotent-Replayed', async () => {
    const preflight = await api('/memo', {
      method: 'OPTIONS',
      headers: { Origin: WEB_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, idempotency-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe(WEB_ORIGIN);
    expect(preflight.headers.get('Access-Control-Allow-Headers')?.toLowerCase().split(',')).toContain('idempotency-key');
    const user = await createTestUser();
    const write = await postMood(user, 'cors-1', { score: 3 });
    const replay = await api('/moods', { method: 'POST', ...json({ score: 3 }, { ...keyed('cors-1', user.cookie) }) });
    expect(write.status).toBe(200);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(replay.headers.get('Access-Control-Expose-Headers')?.split(',')).toContain('Idempotent-Replayed');
    expect(replay.headers.get('Access-Control-Allow-Origin')).toBe(WEB_ORIGIN);
  });
});

describe('/openapi.json', () => {
  type Operation = { parameters?: { in: string; name: string }[]; responses: Record<string, unknown> };
  it('documents the header, and its 409 and 422, on every authenticated write and nowhere else', async () => {
    const document = (await (await api('/openapi.json')).json()) as { paths: Record<string, Record<string, Operation & { security?: unknown[] }>> };
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));
    const takesKey = ({ operation }: { operation: Operation }) => (operation.parameters ?? []).some((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key');
    const writes = operations.filter(({ method, operation }) => ['post', 'put', 'patch', 'delete'].includes(method) && (operation.security ?? []).length > 0 && !(operation.security as object[]).some((requirement) => Object.keys(requirement).length === 0));
    expect(writes.map(({ method, path }) => `${method} ${path}`)).toEqual(expect.arrayContaining(['post /memo', 'put /session/{session_id}/status', 'post /moods', 'delete /user/me']));
    for (const write of writes) {
      expect(takesKey(write), `${write.method} ${write.path}`).toBe(true);
      expect(Object.keys(write.operation.responses)).toEqual(expect.arrayContaining(['409', '422']));
    }
    expect(operations.filter((operation) => !writes.includes(operation) && takesKey(operation))).toEqual([]);
  });
});
