import { Redis } from '@upstash/redis/cloudflare';
import type { Config } from '../env';
import { markRedisFailure } from './dependencies';

/**
 * Redis over Upstash's REST API. Auto-pipelining is off and values are not JSON-decoded, so every
 * round trip is an explicit call or `pipeline()` in a repository (easy to count), and ids that
 * happen to look like numbers stay strings. Network errors are retried twice, quickly: the
 * client's default (five retries, up to 4 s) would hold a request, or a health check, far too long.
 *
 * Each call has a deadline: the client asks for a fresh signal once per call and shares it across
 * the retries, so a call (retries included) ends within `timeoutMs` even when Redis hangs. Anything
 * the client throws is marked as a Redis failure, which onError answers with a 503.
 */
export function createRedis(config: Config['redis']) {
  const redis = new Redis({
    url: config.url,
    token: config.token,
    enableTelemetry: false,
    enableAutoPipelining: false,
    automaticDeserialization: false,
    retry: { retries: 2, backoff: (attempt) => 25 * 2 ** attempt },
    signal: () => AbortSignal.timeout(config.timeoutMs),
  });
  redis.use(async (request, next) => {
    try {
      return await next(request);
    } catch (error) {
      throw markRedisFailure(error);
    }
  });
  return redis;
}

export type RedisClient = ReturnType<typeof createRedis>;

/** Commands sent together in one round trip; features add theirs to a pipeline another feature runs. */
export type RedisPipeline = ReturnType<RedisClient['pipeline']>;
