// The local cloud: real PostgreSQL and Redis behind local stand-ins for Neon's SQL-over-HTTP and
// Upstash's REST API, so the Worker runs offline with its production clients unchanged.
//
//   PORT=8787 node scripts/local-cloud.ts
//
// starts the dev stack of that API port (scripts/dev-stack.ts), prints the Worker env, and runs
// until SIGINT/SIGTERM.
import { randomBytes } from 'node:crypto';
import { devEndpoints, devStack, type DevStack } from './dev-stack.ts';
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

/**
 * test: a fresh, migrated database per call (dropped on stop), a private redis-server, endpoints
 *       on free ports and a random token.
 * dev:  the database, redis and endpoint ports of `stack` (derived from the API port; the
 *       database is created and migrated as needed) and a fixed token; embedded PGlite when no
 *       PostgreSQL can be had.
 */
export async function startLocalCloud(opts: { mode: 'test' } | { mode: 'dev'; stack?: DevStack }): Promise<LocalCloud> {
  const test = opts.mode === 'test';
  const stack = opts.mode === 'dev' ? (opts.stack ?? devStack()) : undefined;
  // Undo in reverse order; also used when start-up fails half-way.
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((err: Error) => console.error('[local-cloud] cleanup failed:', err.message));
    }
  };

  try {
    // Started side by side; whichever came up is registered for cleanup even if the other failed.
    const [postgres, redis] = await Promise.allSettled([provisionPostgres(test), ensureRedis({ dedicated: stack?.redis !== 'shared' })]);
    for (const service of [postgres, redis]) {
      if (service.status === 'fulfilled' && service.value.stop) cleanups.push(service.value.stop);
    }
    if (postgres.status === 'rejected') throw postgres.reason;
    if (redis.status === 'rejected') throw redis.reason;
    const { adminUrl, embedded } = postgres.value;

    // Embedded PGlite has exactly one database, `postgres`.
    const databaseName = embedded ? 'postgres' : stack ? stack.databaseName : `omood_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
    if (!embedded) await createDatabase(adminUrl, databaseName);
    if (test) cleanups.push(() => dropDatabase(adminUrl, databaseName));
    await migrateDatabase(databaseUrl(adminUrl, databaseName));

    const token = stack ? devEndpoints(stack).UPSTASH_REDIS_REST_TOKEN : randomBytes(24).toString('base64url');
    // Registered after the database drop, so their connections are gone before it runs.
    const neon = await startNeonHttpServer({
      databaseUrl: databaseUrl(adminUrl, databaseName),
      port: stack?.neonPort ?? 0,
      // PGlite is a single session: one connection, so batches cannot interleave.
      ...(embedded && { maxConnections: 1 }),
    });
    cleanups.push(neon.close);
    const upstash = await startUpstashRestServer({
      redisHost: redis.value.host,
      redisPort: redis.value.port,
      token,
      port: stack?.upstashPort ?? 0,
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
  const cloud = await startLocalCloud({ mode: 'dev' });
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
