import { neon, neonConfig } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-http';
import type { Config } from '../env';
import * as schema from '../db/schema';

/**
 * Postgres over Neon's HTTP SQL API: every query is one HTTPS round trip and there are no
 * interactive transactions, so multi-statement writes go through `db.batch` (one atomic POST).
 * Each call has a deadline (DATABASE_TIMEOUT_MS); onError answers its failures with a 503.
 */
export function createDb(config: Config['database']) {
  // A global of the Neon client; only set locally, where the endpoint is the stand-in in scripts/.
  if (config.fetchEndpoint) neonConfig.fetchEndpoint = config.fetchEndpoint;
  // The client spreads fetchOptions into every fetch it makes, so a getter gives each call (and
  // the read of its body) a fresh deadline; one signal made here would be shared by all of them.
  const fetchOptions = {
    get signal() {
      return AbortSignal.timeout(config.timeoutMs);
    },
  };
  return drizzle({ client: neon(config.url, { fetchOptions }), schema });
}

export type Db = ReturnType<typeof createDb>;

/** The SQLSTATE of a failed query, found on the NeonDbError that drizzle wraps in `cause`. */
/**
 * A write that named a user who no longer exists (a foreign key to `users` violated): the token was
 * valid but its account is gone, whichever table the write went to.
 */
export function referencesMissingUser(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const { code, detail } = current as { code?: unknown; detail?: unknown };
    if (code === '23503') return typeof detail === 'string' && /is not present in table "users"/.test(detail);
  }
  return false;
}

export function sqlState(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
