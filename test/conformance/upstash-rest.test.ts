// Conformance of the local Upstash REST endpoint (scripts/upstash-rest-server.ts), exercised from
// inside workerd with the production client, @upstash/redis/cloudflare, in its default
// configuration (auto-pipelining and base64 responses on).
import { Redis } from '@upstash/redis/cloudflare';
import { errors } from '@upstash/redis/cloudflare';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const redis = new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN });

// Keys of this file live under their own prefix, so runs and files never collide.
const prefix = `conformance:upstash:${crypto.randomUUID()}:`;
const key = (name: string) => `${prefix}${name}`;

/** A raw REST call, for protocol details the typed client does not expose. */
function post(path: string, body: unknown, token = env.UPSTASH_REDIS_REST_TOKEN): Promise<Response> {
  return fetch(`${env.UPSTASH_REDIS_REST_URL}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'upstash-encoding': 'base64' },
    body: JSON.stringify(body),
  });
}

describe('single commands', () => {
  it('round-trips strings, objects and unicode, with nil as null', async () => {
    await redis.set(key('obj'), { a: 1, list: [true, null], text: '한국어 ✓' });
    expect(await redis.get(key('obj'))).toEqual({ a: 1, list: [true, null], text: '한국어 ✓' });
    await redis.set(key('str'), 'plain text with "quotes"');
    expect(await redis.get(key('str'))).toBe('plain text with "quotes"');
    expect(await redis.get(key('missing'))).toBeNull();
  });

  it('honours SET NX/EX and returns status replies', async () => {
    expect(await redis.set(key('lock'), 'worker-a', { nx: true, ex: 30 })).toBe('OK');
    expect(await redis.set(key('lock'), 'worker-b', { nx: true, ex: 30 })).toBeNull();
    expect(await redis.get(key('lock'))).toBe('worker-a');
    expect(await redis.ttl(key('lock'))).toBeGreaterThan(0);
    expect(await redis.type(key('lock'))).toBe('string');
    expect(await redis.ping()).toBe('PONG');
  });

  it('keeps integers as numbers and decodes bulk-string scores', async () => {
    expect(await redis.incr(key('n'))).toBe(1);
    expect(await redis.incrby(key('n'), 41)).toBe(42);
    await redis.zadd(key('z'), { score: 1.5, member: 'a' });
    expect(await redis.zscore(key('z'), 'a')).toBe(1.5);
  });

  it('batches concurrent commands through /pipeline and keeps their order', async () => {
    const [a, b, c, missing] = await Promise.all([
      redis.set(key('p1'), 'one'),
      redis.set(key('p2'), 'two'),
      redis.incr(key('p3')),
      redis.get(key('nothing')),
    ]);
    expect([a, b, c, missing]).toEqual(['OK', 'OK', 1, null]);
    expect(await redis.mget(key('p1'), key('p2'), key('nothing'))).toEqual(['one', 'two', null]);
  });
});

describe('nested base64 replies', () => {
  it('decodes ZRANGE WITHSCORES and hashes', async () => {
    await redis.zadd(key('scores'), { score: 1, member: 'first' }, { score: 2, member: 'second' });
    expect(await redis.zrange(key('scores'), 0, -1, { withScores: true })).toEqual(['first', 1, 'second', 2]);
    expect(await redis.zrange(key('scores'), 1, '+inf', { byScore: true, offset: 0, count: 1 })).toEqual(['first']);
    await redis.hset(key('h'), { name: 'omood', n: 3 });
    expect(await redis.hgetall(key('h'))).toEqual({ name: 'omood', n: 3 });
  });

  it('decodes nested arrays and status replies returned by EVAL', async () => {
    const script = "return {KEYS[1], ARGV[1], 7, {'deep', {redis.status_reply('OK'), false}}}";
    expect(await redis.eval(script, [key('k')], ['arg'])).toEqual([key('k'), 'arg', 7, ['deep', ['OK', null]]]);
  });

  it('loads scripts and runs them by SHA', async () => {
    const sha = await redis.scriptLoad("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await redis.evalsha(sha, [key('script')], [5])).toBe(5);
    const script = redis.createScript<number>("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    expect(await script.exec([key('script')], ['2'])).toBe(7);
  });
});

describe('pipelines and transactions', () => {
  it('runs an explicit pipeline', async () => {
    const results = await redis.pipeline().incr(key('hits')).expire(key('hits'), 60).get(key('hits')).exec();
    expect(results).toEqual([1, 1, 1]);
  });

  it('reports per-command errors in a pipeline without stopping the rest', async () => {
    await redis.set(key('text'), 'x');
    const pipeline = () => redis.pipeline().set(key('text'), 'y').incr(key('text')).get(key('text'));
    await expect(pipeline().exec()).rejects.toThrow(/Command 2 \[ incr \] failed: ERR value is not an integer/);
    const results = await pipeline().exec({ keepErrors: true });
    expect(results.map((r) => r.error)).toEqual([undefined, 'ERR value is not an integer or out of range', undefined]);
    expect(results[2]!.result).toBe('y');
  });

  it('runs MULTI/EXEC atomically through /multi-exec', async () => {
    const results = await redis.multi().incr(key('tx')).incr(key('tx')).expire(key('tx'), 60).ttl(key('tx')).exec();
    expect(results).toEqual([1, 2, 1, 60]);
  });

  it('answers 400 EXECABORT when Redis refuses to queue a command', async () => {
    const response = await post('/multi-exec', [['set', key('never'), '1'], ['incr']]);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'EXECABORT Transaction discarded because of previous errors.' });
    expect(await redis.exists(key('never'))).toBe(0);
  });
});

describe('errors', () => {
  it('rejects a failing command with the Redis error text', async () => {
    await redis.set(key('not-a-number'), 'abc');
    await expect(redis.incr(key('not-a-number'))).rejects.toThrow(/ERR value is not an integer or out of range/);
    // HGETALL is never auto-pipelined, so this one takes the single-command route (400).
    await expect(redis.hgetall(key('not-a-number'))).rejects.toThrow(/WRONGTYPE/);
  });

  it('answers a wrong token with 401, which the client raises as UpstashError', async () => {
    const intruder = new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: 'wrong-token' });
    const err = await intruder.get(key('anything')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.UpstashError);
    expect((err as Error).message).toMatch(/^Unauthorized/);
    const response = await post('/', ['get', key('anything')], 'wrong-token');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Unauthorized' });
  });

  it('answers malformed requests with JSON errors', async () => {
    const badJson = await fetch(env.UPSTASH_REDIS_REST_URL, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.UPSTASH_REDIS_REST_TOKEN}` },
      body: '{not json',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toHaveProperty('error');
    const wrongMethod = await fetch(env.UPSTASH_REDIS_REST_URL, {
      headers: { authorization: `Bearer ${env.UPSTASH_REDIS_REST_TOKEN}` },
    });
    expect(wrongMethod.status).toBe(405);
  });
});
