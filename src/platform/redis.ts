import { Redis } from '@upstash/redis/cloudflare';
import type { Config } from '../env';

/**
 * Redis over Upstash's REST API. Auto-pipelining is off and values are not JSON-decoded, so every
 * round trip is an explicit call or `pipeline()` in a repository (easy to count), and ids that
 * happen to look like numbers stay strings. Network errors are retried twice, quickly: the
 * client's default (five retries, up to 4 s) would hold a request, or a health check, far too long.
 */
export function createRedis(config: Config['redis']) {
  return new Redis({
    url: config.url,
    token: config.token,
    enableTelemetry: false,
    enableAutoPipelining: false,
    automaticDeserialization: false,
    retry: { retries: 2, backoff: (attempt) => 25 * 2 ** attempt },
  });
}

export type RedisClient = ReturnType<typeof createRedis>;
