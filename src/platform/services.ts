import { createAiModels, type AiModels } from '../ai/models';
import { loadConfig, type Config } from '../env';
import { createDb, type Db } from './db';
import { createMailer, type Mailer } from './mail';
import { createRedis, type RedisClient } from './redis';

/** The clients a request, a cron run or a queue batch works with; nothing connects until a repository makes a call. */
export interface Services {
  config: Config;
  db: Db;
  redis: RedisClient;
  bucket: R2Bucket;
  jobs: Queue;
  ai: AiModels;
  mailer: Mailer;
}

export function createServices(env: Env): Services {
  const config = loadConfig(env);
  return {
    config,
    db: createDb(config.database),
    redis: createRedis(config.redis),
    bucket: env.BUCKET,
    jobs: env.JOBS,
    ai: createAiModels(config.ai, env.AI),
    mailer: createMailer(config.mail),
  };
}
