// The local cloud: real PostgreSQL and Redis behind local stand-ins for Neon's SQL-over-HTTP and
// Upstash's REST API, so the Worker runs offline with its production clients unchanged.
//
//   node scripts/local-cloud.ts [--neon-port 4444] [--upstash-port 8079]
//
// starts the dev stack, prints the Worker env, and runs until SIGINT/SIGTERM.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startNeonHttpServer } from './neon-http-server.ts';
import {
  createDatabase,
  databaseUrl,
  dropDatabase,
  ensurePostgres,
  ensureRedis,
  migrateDatabase,
  startEmbeddedPostgres,
} from './services.ts';
import type { PostgresService } from './services.ts';
import { startUpstashRestServer } from './upstash-rest-server.ts';

export type LocalCloudEnv = {
  DATABASE_URL: string;
  NEON_FETCH_ENDPOINT: string;
  UPSTASH_REDIS_REST_URL: string;
  UPSTASH_REDIS_REST_TOKEN: string;
};

export type LocalCloud = {
  env: LocalCloudEnv;
  pgAdminUrl: string;
  databaseName: string;
  stop(): Promise<void>;
};

const DEV_DATABASE = 'omood_dev';
const DEV_NEON_PORT = 4444;
const DEV_UPSTASH_PORT = 8079;
const DEV_TOKEN = 'local-dev-token';

/** What the Worker gets in dev mode with the default ports (also in .dev.vars.example; used by bench/). */
export const DEV_ENDPOINTS: LocalCloudEnv = {
  DATABASE_URL: `postgresql://omood:omood@localhost/${DEV_DATABASE}`,
  NEON_FETCH_ENDPOINT: `http://127.0.0.1:${DEV_NEON_PORT}/sql`,
  UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEV_UPSTASH_PORT}`,
  UPSTASH_REDIS_REST_TOKEN: DEV_TOKEN,
};

/**
 * test: a fresh, migrated database per call (dropped on stop), a private redis-server, endpoints
 *       on free ports and a random token.
 * dev:  the `omood_dev` database (created and migrated as needed), the shared redis, endpoints on
 *       fixed ports and a fixed token; embedded PGlite when no PostgreSQL can be had.
 */
export async function startLocalCloud(opts: {
  mode: 'test' | 'dev';
  neonPort?: number;
  upstashPort?: number;
}): Promise<LocalCloud> {
  const test = opts.mode === 'test';
  // Undo in reverse order; also used when start-up fails half-way.
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((err: Error) => console.error('[local-cloud] cleanup failed:', err.message));
    }
  };

  try {
    // Started side by side; whichever came up is registered for cleanup even if the other failed.
    const [postgres, redis] = await Promise.allSettled([provisionPostgres(test), ensureRedis({ dedicated: test })]);
    for (const service of [postgres, redis]) {
      if (service.status === 'fulfilled' && service.value.stop) cleanups.push(service.value.stop);
    }
    if (postgres.status === 'rejected') throw postgres.reason;
    if (redis.status === 'rejected') throw redis.reason;
    const { adminUrl, embedded } = postgres.value;

    // Embedded PGlite has exactly one database, `postgres`.
    const databaseName = embedded ? 'postgres' : test ? `omood_test_${Date.now()}_${randomBytes(4).toString('hex')}` : DEV_DATABASE;
    if (!embedded) await createDatabase(adminUrl, databaseName);
    if (test) cleanups.push(() => dropDatabase(adminUrl, databaseName));
    await migrateDatabase(databaseUrl(adminUrl, databaseName));

    const token = test ? randomBytes(24).toString('base64url') : DEV_TOKEN;
    // Registered after the database drop, so their connections are gone before it runs.
    const neon = await startNeonHttpServer({
      databaseUrl: databaseUrl(adminUrl, databaseName),
      port: test ? 0 : (opts.neonPort ?? DEV_NEON_PORT),
      // PGlite is a single session: one connection, so batches cannot interleave.
      ...(embedded && { maxConnections: 1 }),
    });
    cleanups.push(neon.close);
    const upstash = await startUpstashRestServer({
      redisHost: redis.value.host,
      redisPort: redis.value.port,
      token,
      port: test ? 0 : (opts.upstashPort ?? DEV_UPSTASH_PORT),
    });
    cleanups.push(upstash.close);

    return {
      env: {
        // Only a label for the Neon client, which insists on user, host and database; the endpoint
        // connects to the real server and uses just the database name.
        DATABASE_URL: `postgresql://omood:omood@localhost/${databaseName}`,
        NEON_FETCH_ENDPOINT: neon.url,
        UPSTASH_REDIS_REST_URL: upstash.url,
        UPSTASH_REDIS_REST_TOKEN: token,
      },
      pgAdminUrl: adminUrl,
      databaseName,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Tests always need a real server. Dev mode falls back to embedded PGlite, loudly, so the stack
 * still comes up on a machine where PostgreSQL can be neither found nor installed.
 */
async function provisionPostgres(test: boolean): Promise<PostgresService & { embedded: boolean }> {
  try {
    return { ...(await ensurePostgres()), embedded: false };
  } catch (err) {
    // An explicit PG_ADMIN_URL that does not work is a configuration error, not a reason to fall back.
    if (test || process.env.PG_ADMIN_URL) throw err;
    const rule = '!'.repeat(96);
    console.warn(
      [
        rule,
        `No PostgreSQL server is available: ${(err as Error).message}`,
        'FALLING BACK TO EMBEDDED PGlite (.local/pglite): one connection, one database, WASM build.',
        'Fine for trying the API; install PostgreSQL for real-server behaviour and for `npm test`.',
        rule,
      ].join('\n'),
    );
    return { ...(await startEmbeddedPostgres()), embedded: true };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'neon-port': { type: 'string' }, 'upstash-port': { type: 'string' } },
  });
  const port = (value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`Invalid port: ${value}`);
    return n;
  };
  const cloud = await startLocalCloud({
    mode: 'dev',
    neonPort: port(values['neon-port']),
    upstashPort: port(values['upstash-port']),
  });
  console.log('\nLocal cloud is up. Worker env (.dev.vars):\n');
  for (const [key, value] of Object.entries(cloud.env)) console.log(`${key}=${value}`);
  console.log('\nPress Ctrl+C to stop.');

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    cloud.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (import.meta.main) {
  main().catch((err: Error) => {
    console.error(`[local-cloud] ${err.message}`);
    process.exit(1);
  });
}
