import { createTableRelationsHelpers, extractTablesRelationalConfig } from 'drizzle-orm/relations';
import type { NeonHttpDatabase } from 'drizzle-orm/neon-http';
import { NeonHttpSession } from 'drizzle-orm/neon-http/session';
import { PgDatabase } from 'drizzle-orm/pg-core/db';
import { PgDialect } from 'drizzle-orm/pg-core/dialect';
import type { Config } from '../env';
import * as schema from '../db/schema';

type QueryOptions = { arrayMode?: boolean; fullResults?: boolean };
type NeonClient = import('@neondatabase/serverless').NeonQueryFunction<false, false>;

/**
 * The Neon driver, evaluated when a request first needs Postgres rather than when the isolate
 * starts: its module's top level was the largest single part of a cold start, and /health,
 * OPTIONS, /docs and answers served from Redis alone never pay it.
 */
async function loadNeon(config: Config['database']): Promise<NeonClient> {
  const { neon, neonConfig, types } = await import('@neondatabase/serverless');
  // What drizzle's NeonHttpDriver sets when `drizzle()` builds it (its module imports the driver
  // eagerly, so it is not used here): dates, times and intervals stay text, as drizzle maps them.
  // OIDs as drizzle lists them: timestamptz, timestamp, date, interval, and array types of these and of numeric.
  for (const oid of [1184, 1114, 1082, 1186, 1231, 1115, 1185, 1187, 1182]) {
    types.setTypeParser(oid, (value: string) => value);
  }
  // A global of the Neon client; only set locally, where the endpoint is the stand-in in scripts/.
  if (config.fetchEndpoint) neonConfig.fetchEndpoint = config.fetchEndpoint;
  // The client spreads fetchOptions into every fetch it makes, so a getter gives each call (and
  // the read of its body) a fresh deadline; one signal made here would be shared by all of them.
  const fetchOptions = {
    get signal() {
      return AbortSignal.timeout(config.timeoutMs);
    },
  };
  return neon(config.url, { fetchOptions });
}

/** A query drizzle has built but not run: like the driver's own, it runs when awaited, or as part of a batch. */
class DeferredQuery implements PromiseLike<unknown> {
  constructor(
    private readonly client: () => Promise<NeonClient>,
    readonly sql: string,
    readonly params: unknown[],
    readonly options: QueryOptions,
  ) {}

  then<Result = unknown, Failure = never>(onFulfilled?: (value: unknown) => Result | PromiseLike<Result>, onRejected?: (reason: unknown) => Failure | PromiseLike<Failure>) {
    return this.client()
      .then((client) => client.query(this.sql, this.params, this.options))
      .then(onFulfilled, onRejected);
  }
}

/** The two calls drizzle's Neon session makes of its client, answered by the driver once it is loaded. */
function deferredClient(config: Config['database']) {
  let loaded: Promise<NeonClient> | undefined;
  const client = () => (loaded ??= loadNeon(config).catch((error: unknown) => {
    loaded = undefined;
    throw error;
  }));
  return {
    query: (sql: string, params: unknown[], options: QueryOptions) => new DeferredQuery(client, sql, params, options),
    transaction: async (queries: DeferredQuery[], options: QueryOptions) => {
      const neonClient = await client();
      return neonClient.transaction(queries.map((query) => neonClient.query(query.sql, query.params, query.options) as never), options);
    },
  };
}

/** drizzle's NeonHttpDatabase (its class lives beside the driver's import): `batch` is one atomic POST. */
class NeonHttpDb extends PgDatabase<never, typeof schema> {
  constructor(
    dialect: PgDialect,
    private readonly neonSession: NeonHttpSession<typeof schema, never>,
    relationalSchema: never,
  ) {
    super(dialect, neonSession as never, relationalSchema);
  }

  batch(queries: never) {
    return this.neonSession.batch(queries);
  }
}

/** What `db.query.<table>` needs to know of the schema; the same for every request, so made once. */
function relationalSchema() {
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  return { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
}
let relational: ReturnType<typeof relationalSchema> | undefined;

/**
 * Postgres over Neon's HTTP SQL API: every query is one HTTPS round trip and there are no
 * interactive transactions, so multi-statement writes go through `db.batch` (one atomic POST).
 * Each call has a deadline (DATABASE_TIMEOUT_MS); onError answers its failures with a 503.
 * Built as `drizzle({ client, schema })` builds it, with the client deferred (see loadNeon).
 */
export function createDb(config: Config['database']): NeonHttpDatabase<typeof schema> {
  const dialect = new PgDialect();
  relational ??= relationalSchema();
  const session = new NeonHttpSession(deferredClient(config) as never, dialect, relational, {});
  return new NeonHttpDb(dialect, session as never, relational as never) as unknown as NeonHttpDatabase<typeof schema>;
}

export type Db = NeonHttpDatabase<typeof schema>;

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

/** The SQLSTATE of a failed query, found on the NeonDbError that drizzle wraps in `cause`. */
export function sqlState(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
