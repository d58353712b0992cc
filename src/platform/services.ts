import { loadConfig, type Config } from '../env';
import { createDb, type Db } from './db';
import { createRedis, type RedisClient } from './redis';

/** The clients a request or a cron run works with; nothing connects until a repository makes a call. */
export interface Services {
  config: Config;
  db: Db;
  redis: RedisClient;
  bucket: R2Bucket;
}

export function createServices(env: Env): Services {
  const config = loadConfig(env);
  return { config, db: createDb(config.database), redis: createRedis(config.redis), bucket: env.BUCKET };
}
