import { createScheduledController } from 'cloudflare:test';
import { afterAll, describe, expect, inject, it } from 'vitest';
import worker from '../src/index';
import { env, problem } from './helpers/api';
import { claimsOf, googleUserinfo, signInRequest, tokenFromCookie } from './helpers/oauth';
import { runCron } from './helpers/sessions';
import { deleteMe, googlePerson, liveALittle, redisKeysNaming, rowsOf, signInWithGoogle } from './features/account/helpers';
import { capturedLogs } from './helpers/logs';
import { apiWith } from './helpers/env-override';
import { createTestUser, type TestUser } from './helpers/users';
import { fixtureFile, memoForm, storedKeys } from './features/memos/helpers';

/**
 * Dependencies that hang, die or refuse, for real: the redis-server behind these requests is
 * stopped with SIGSTOP and killed with SIGKILL, and the Neon endpoint holds requests unanswered
 * (scripts/fault-injection.ts). Deadlines are shortened so the run stays quick; without them
 * every request below hangs until the test times out.
 */
const faults = inject('faults');
const deadlines = { REDIS_TIMEOUT_MS: '400', DATABASE_TIMEOUT_MS: '800' };
const faultyRedis = { ...deadlines, UPSTASH_REDIS_REST_URL: faults.upstashUrl, UPSTASH_REDIS_REST_TOKEN: faults.upstashToken };
const hangingNeon = { ...deadlines, NEON_FETCH_ENDPOINT: faults.neonEndpoint };

const order = async (path: string) => {
  const response = await fetch(`${faults.controlUrl}${path}`, { method: 'POST' });
  expect(response.status, await response.clone().text()).toBe(200);
};

const day = 'tz=UTC&start_date=2026-01-01&end_date=2026-01-01';
const hotEndpoints = ['/session/current', '/auth/me', `/session/list?${day}`, `/memo/list?${day}`];

async function expectUnavailable(response: Response, detail: RegExp) {
  expect(response.status, `${response.url} ${await response.clone().text()}`).toBe(503);
  expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0);
  const body = await problem(response);
  expect(body.detail).toMatch(detail);
  // Neither the dependency's address nor its credentials leak into the answer.
  expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|localhost|http:|token/i);
  // The operator's log line says the same, under the answer's request id.
  const logged = capturedLogs().filter((line) => line.requestId === body.requestId);
  expect(logged).toEqual([expect.objectContaining({ level: 'warn', detail: body.detail, path: body.instance })]);
}

afterAll(async () => {
  await order('/neon/pass');
});

describe('Redis paused (SIGSTOP)', () => {
  let user: TestUser;

  it('every hot endpoint answers 503 naming Redis within its deadline, and /health reports redis failed', async () => {
    user = await createTestUser();
    // Healthy first, through the same redis-server, so the 503s below are the pause's doing.
    expect((await apiWith(faultyRedis, '/session/current', { headers: user.bearer })).status).toBe(404);
    await order('/redis/pause');
    try {
      for (const path of hotEndpoints) {
        await expectUnavailable(await apiWith(faultyRedis, path, { headers: user.bearer }), /^Redis did not answer within 400 ms/);
      }
      const health = await apiWith(faultyRedis, '/health');
      expect(health.status).toBe(503);
      expect((await problem(health)).detail).toBe('Unavailable: redis');
    } finally {
      await order('/redis/resume');
    }
    expect((await apiWith(faultyRedis, '/health')).status).toBe(200);
  });
});

describe('the Neon endpoint hanging', () => {
  it('answers 503 naming Postgres on every route that reads it; answers cached in Redis keep working', async () => {
    const user = await createTestUser();
    // Filled from Postgres on first use, then answered from Redis alone.
    for (const path of ['/session/current', '/auth/me']) await apiWith(hangingNeon, path, { headers: user.bearer });
    await order('/neon/hang');
    try {
      for (const path of [`/session/list?${day}`, `/memo/list?${day}`, '/user/me']) {
        await expectUnavailable(await apiWith(hangingNeon, path, { headers: user.bearer }), /^Postgres did not answer within 800 ms/);
      }
      const health = await apiWith(hangingNeon, '/health');
      expect(health.status).toBe(503);
      expect((await problem(health)).detail).toBe('Unavailable: postgres');
      expect((await apiWith(hangingNeon, '/session/current', { headers: user.bearer })).status).toBe(404);
      expect((await apiWith(hangingNeon, '/auth/me', { headers: user.bearer })).status).toBe(200);
    } finally {
      await order('/neon/pass');
    }
  });
});

describe('the Neon endpoint down (connection refused)', () => {
  it('answers 503 naming Postgres, not 500', async () => {
    const user = await createTestUser();
    const refused = { ...deadlines, NEON_FETCH_ENDPOINT: `${faults.refusedOrigin}/sql` };
    for (const path of [`/session/list?${day}`, `/memo/list?${day}`, '/user/me']) {
      await expectUnavailable(await apiWith(refused, path, { headers: user.bearer }), /^Postgres is unavailable/);
    }
  });
});

describe('an account purge cut short by an outage', () => {
  it('leaves an account nobody can sign in to, and the next run finishes it', async () => {
    const person = googlePerson();
    const user = await signInWithGoogle(person);
    const { sessionId } = await liveALittle(user);
    expect((await deleteMe(user.bearer, { confirm: person.email, immediately: true })).status).toBe(202);

    await order('/redis/pause');
    try {
      // The files and memos go, then the first Redis call of the purge waits past its deadline. The
      // run as a whole fails too (other jobs need Redis); what the purge did is in its log line.
      await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: '* * * * *' }), { ...env, ...faultyRedis } as Env).catch(() => undefined);
    } finally {
      await order('/redis/resume');
    }
    expect(capturedLogs()).toContainEqual(expect.objectContaining({ cron: 'purgeDeletedAccounts', message: 'purge interrupted; the next run resumes it', userId: user.userId }));

    const signingIn = await signInRequest('google', googleUserinfo(person));
    // Half erased (or, if another test's cron run finished it meanwhile, gone): never signed in to.
    if (signingIn.status === 409) expect((await problem(signingIn)).detail).toMatch(/being deleted/);
    else expect(claimsOf(tokenFromCookie(signingIn)).sub).not.toBe(user.userId);

    await runCron();
    expect(Object.values(await rowsOf(user.userId)).every((count) => count === 0)).toBe(true);
    expect(await storedKeys(user.userId)).toEqual([]);
    expect(await redisKeysNaming(user.userId, sessionId)).toEqual([`account_state:${user.userId}`]);
  });
});

// Last: the fault redis-server does not come back.
describe('Redis killed (SIGKILL)', () => {
  it('answers 503 naming Redis, not 500', async () => {
    const user = await createTestUser();
    await order('/redis/kill');
    for (const path of hotEndpoints) {
      await expectUnavailable(await apiWith(faultyRedis, path, { headers: user.bearer }), /^Redis is unavailable/);
    }
    expect((await apiWith(faultyRedis, '/health')).status).toBe(503);
  });
});

describe('files uploaded before a row write that never reached Postgres', () => {
  it('are deleted at once when Neon could not connect to Postgres, not left for the orphan sweep', async () => {
    const user = await createTestUser();
    const postgresDown = { ...deadlines, NEON_FETCH_ENDPOINT: faults.neonWithoutPostgres };
    const form = memoForm({ content: 'written during an outage', image_0: fixtureFile('photo.png') });
    const response = await apiWith(postgresDown, '/memo', { method: 'POST', headers: user.cookie, body: form });
    await expectUnavailable(response, /^Postgres is unavailable/);
    expect(await storedKeys(user.userId)).toEqual([]);
  });
});
