import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db';
import type { RedisClient } from '../../platform/redis';

export const pingPostgres = async (db: Db) => {
  await db.execute(sql`select 1`);
};

export const pingRedis = async (redis: RedisClient) => {
  await redis.ping();
};
