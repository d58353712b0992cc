import { Redis } from '@upstash/redis/cloudflare';
import type { Config } from '../env';

/**
 * Redis over Upstash's REST API. Auto-pipelining is off and values are not JSON-decoded, so every
 * round trip is an explicit call or `pipeline()` in a repository (easy to count), and ids that
 * happen to look like numbers stay strings.
 */
export function createRedis(config: Config['redis']) {
  return new Redis({
    url: config.url,
    token: config.token,
    enableTelemetry: false,
    enableAutoPipelining: false,
    automaticDeserialization: false,
  });
}

export type RedisClient = ReturnType<typeof createRedis>;
