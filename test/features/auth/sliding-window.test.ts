// The sliding window behind the sign-in and write limits (SLIDING_WINDOW_SCRIPT in
// features/auth/repository.ts), counted against the real Redis at chosen instants: what the HTTP
// tests cannot reach without waiting for a window to end.
import { describe, expect, it } from 'vitest';
import { checkSignIn, takeSignInAttempt } from '../../../src/features/auth/repository';
import { testRedis } from '../../helpers/sessions';

const WINDOW_MS = 60_000;
const LIMIT = 5;

/** Counts `times` attempts of `identifier` at `nowMs`, and says which were allowed. */
async function attempts(identifier: string, nowMs: number, times: number) {
  const redis = testRedis();
  const allowed: boolean[] = [];
  for (let i = 0; i < times; i++) allowed.push((await takeSignInAttempt(redis, identifier, LIMIT, nowMs)).allowed);
  return allowed;
}

describe('sliding-window limits', () => {
  // A window that started a little while ago, so the keys are named as a request now would name them.
  const windowStart = (Math.floor(Date.now() / WINDOW_MS) - 2) * WINDOW_MS;

  it('weigh the previous window by the share of it still inside the last 60 seconds', async () => {
    const identifier = `test-${crypto.randomUUID()}`;
    const redis = testRedis();
    expect(await attempts(identifier, windowStart + 59_000, LIMIT + 1)).toEqual([true, true, true, true, true, false]);
    const window = windowStart / WINDOW_MS;
    // Counted under the key forgetUserKeysIn deletes by name; the refusal was not counted.
    expect(await redis.get(`ratelimit:sign-in:${identifier}:${window}`)).toBe('5');
    const ttl = await redis.pttl(`ratelimit:sign-in:${identifier}:${window}`);
    expect(ttl).toBeGreaterThan(WINDOW_MS);
    expect(ttl).toBeLessThanOrEqual(2 * WINDOW_MS + 1000);

    // A tenth into the next window, 90% of the previous one counts (floor(5 × 0.9) = 4): one more.
    expect(await attempts(identifier, windowStart + WINDOW_MS + 6_000, 1)).toEqual([true]);
    // Halfway, half of it (floor(5 × 0.5) = 2) and the one just counted: two more, then refused.
    expect(await attempts(identifier, windowStart + WINDOW_MS + 30_000, 3)).toEqual([true, true, false]);
    expect(await redis.get(`ratelimit:sign-in:${identifier}:${window + 1}`)).toBe('3');
  });

  it('refuse an identifier this isolate saw refused until its window ends, without asking Redis', async () => {
    const identifier = `test-${crypto.randomUUID()}`;
    const redis = testRedis();
    expect(await attempts(identifier, windowStart + 1000, LIMIT + 1)).toEqual([true, true, true, true, true, false]);
    const window = windowStart / WINDOW_MS;
    await redis.del(`ratelimit:sign-in:${identifier}:${window}`);
    // Redis has forgotten the count, the isolate has not: still refused, and nothing is counted.
    expect(await takeSignInAttempt(redis, identifier, LIMIT, windowStart + WINDOW_MS)).toEqual({ allowed: false, resetAt: windowStart + WINDOW_MS });
    expect(await redis.exists(`ratelimit:sign-in:${identifier}:${window}`, `ratelimit:sign-in:${identifier}:${window + 1}`)).toBe(0);
    // Past the window's end Redis decides again (the previous window is empty now).
    expect(await attempts(identifier, windowStart + WINDOW_MS + 1, 1)).toEqual([true]);
  });

  it('count writes in the guard pipeline under ratelimit:writes:<bucket>:<user>:<window>', async () => {
    // Three counts in one window: not in the last second of one.
    if (Date.now() % WINDOW_MS > WINDOW_MS - 1000) await new Promise((resolve) => setTimeout(resolve, 1000));
    const redis = testRedis();
    const userId = crypto.randomUUID();
    const limit = { bucket: 'memos', userId, limit: 2, windowSeconds: 60 };
    const check = () => checkSignIn(redis, { signInId: crypto.randomUUID(), userId }, ['no-such-key'], limit);
    const first = await check();
    expect(first).toMatchObject({ revoked: false, limited: undefined, values: [null] });
    expect((await check()).limited).toBeUndefined();
    const refused = await check();
    expect(refused.values).toEqual([null]);
    expect(refused.limited!.resetAt % WINDOW_MS).toBe(0);
    expect(refused.limited!.resetAt).toBeGreaterThan(Date.now() - 1000);
    const window = refused.limited!.resetAt / WINDOW_MS - 1;
    expect(await redis.get(`ratelimit:writes:memos:${userId}:${window}`)).toBe('2');
  });
});
