import { neon, neonConfig } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-http';
import type { Config } from '../env';
import * as schema from '../db/schema';

/**
 * Postgres over Neon's HTTP SQL API: every query is one HTTPS round trip and there are no
 * interactive transactions, so multi-statement writes go through `db.batch` (one atomic POST).
 */
export function createDb(config: Config['database']) {
  // A global of the Neon client; only set locally, where the endpoint is the stand-in in scripts/.
  if (config.fetchEndpoint) neonConfig.fetchEndpoint = config.fetchEndpoint;
  return drizzle({ client: neon(config.url), schema });
}

export type Db = ReturnType<typeof createDb>;

/** The SQLSTATE of a failed query, found on the NeonDbError that drizzle wraps in `cause`. */
export function sqlState(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
