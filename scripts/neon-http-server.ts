// A local stand-in for Neon's SQL-over-HTTP endpoint (`POST /sql`), backed by a real PostgreSQL
// through node-postgres, so a Worker using @neondatabase/serverless / drizzle-orm/neon-http runs
// unchanged. Behaviour follows Neon's proxy (serverless/sql_over_http.rs); the wire protocol is
// documented in /work/shared/specs/local-cloud-protocols.md §1.
import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import pg from 'pg';
import type { FieldDef, PoolClient, QueryArrayConfig, QueryArrayResult } from 'pg';
import { BodyTooLargeError, closeServer, countingRequests, HttpError, listen, readBody, sendJson, urlHost } from './http-util.ts';
import { withLatency } from './latency.ts';
import { jsonParamToPgText, pgTextToJson } from './neon-json.ts';
import type { ArrayElementOf } from './neon-json.ts';

// Neon's default request and response caps.
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

const CORS_HEADERS: OutgoingHttpHeaders = { 'access-control-allow-origin': '*' };
const PREFLIGHT_HEADERS: OutgoingHttpHeaders = {
  ...CORS_HEADERS,
  allow: 'OPTIONS, POST',
  'access-control-allow-methods': 'OPTIONS, POST',
  'access-control-allow-headers':
    'Authorization, Content-Type, Neon-Connection-String, Neon-Raw-Text-Output, Neon-Array-Mode, ' +
    'Neon-Pool-Opt-In, Neon-Batch-Read-Only, Neon-Batch-Isolation-Level, Neon-Batch-Deferrable',
  'access-control-max-age': '86400',
};

// Neon-Batch-Isolation-Level header value → SQL.
const ISOLATION_LEVELS = new Map([
  ['Serializable', 'SERIALIZABLE'],
  ['RepeatableRead', 'REPEATABLE READ'],
  ['ReadCommitted', 'READ COMMITTED'],
  ['ReadUncommitted', 'READ UNCOMMITTED'],
]);

// Every column comes back as the exact PG text output; the client runs its own pg-types parsers.
const RAW_TEXT_TYPES = { getTypeParser: () => (value: string) => value };

// The 16 PG error fields the client copies onto NeonDbError, in Neon's order.
const PG_ERROR_FIELDS = [
  'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'severity', 'where',
  'table', 'column', 'schema', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const;

export type NeonHttpServer = { url: string; port: number; close(): Promise<void> };

type QueryData = { query: string; params: (string | null)[]; arrayMode: boolean | undefined };
type Payload = { kind: 'single'; query: QueryData } | { kind: 'batch'; queries: QueryData[] };
type Options = {
  rawOutput: boolean;
  arrayMode: boolean;
  isolationLevel: string | undefined;
  readOnly: boolean;
  deferrable: boolean;
};
type Queryable = Pick<PoolClient, 'query'>;

/** `maxConnections` caps each database's pool (1 for a single-session backend such as PGlite). */
export async function startNeonHttpServer(opts: {
  databaseUrl: string;
  port?: number;
  host?: string;
  maxConnections?: number;
}): Promise<NeonHttpServer> {
  const host = opts.host ?? '127.0.0.1';
  const pools = new PoolRegistry(opts.databaseUrl, opts.maxConnections ?? 20);
  const server = createServer(countingRequests(withLatency((req, res) => {
    handle(req, res, pools).catch((err: unknown) => {
      // handle() answers every expected failure itself; this is the last line of defence.
      console.error('[neon-http] unexpected failure:', err);
      sendError(res, 500, { message: 'internal error' });
    });
  })));
  const port = await listen(server, opts.port ?? 0, host);
  return {
    url: `http://${urlHost(host, port)}/sql`,
    port,
    async close() {
      await closeServer(server);
      await pools.end();
    },
  };
}

/**
 * One pg Pool per database. The Neon-Connection-String header names the database; its host,
 * credentials and SSL settings are ignored in favour of the configured server, because the
 * Worker's DATABASE_URL only has to look like a Neon URL.
 */
class PoolRegistry {
  readonly #base: URL;
  readonly #max: number;
  readonly #pools = new Map<string, pg.Pool>();
  readonly #arrayElements = new Map<string, Map<number, number | null>>();

  constructor(databaseUrl: string, max: number) {
    this.#base = new URL(databaseUrl);
    this.#max = max;
  }

  defaultDatabase(): string {
    return decodeURIComponent(this.#base.pathname.slice(1));
  }

  get(database: string): pg.Pool {
    let pool = this.#pools.get(database);
    if (!pool) {
      const url = new URL(this.#base);
      url.pathname = `/${encodeURIComponent(database)}`;
      // A local cluster inherits the machine's time zone; Neon computes run in UTC.
      pool = new pg.Pool({ connectionString: url.toString(), options: '-c TimeZone=UTC', max: this.#max });
      // Idle clients can fail when the server restarts; without a listener that crashes the process.
      pool.on('error', (err) => console.error(`[neon-http] idle connection to ${database} failed:`, err.message));
      this.#pools.set(database, pool);
    }
    return pool;
  }

  /** Array-type lookups for typed JSON output, cached per database. */
  arrayElements(database: string): Map<number, number | null> {
    let cache = this.#arrayElements.get(database);
    if (!cache) this.#arrayElements.set(database, (cache = new Map()));
    return cache;
  }

  async end(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.end()));
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, pools: PoolRegistry): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'OPTIONS' && path === '/sql') {
    res.writeHead(200, PREFLIGHT_HEADERS).end();
    return;
  }
  if (req.method !== 'POST' || path !== '/sql') {
    // Neon's exact answer for any other route: a 400 whose body is a JSON string.
    sendJson(res, 400, 'query is not supported', CORS_HEADERS);
    return;
  }
  try {
    const options = parseOptions(req);
    const database = databaseFromHeader(req) ?? pools.defaultDatabase();
    const payload = parsePayload(await readBody(req, MAX_REQUEST_BYTES));
    const pool = pools.get(database);
    const context = { options, arrayElements: pools.arrayElements(database) };
    const headers: OutgoingHttpHeaders = { ...CORS_HEADERS };
    let body: unknown;
    if (payload.kind === 'single') {
      body = await runQuery(pool, payload.query, context);
    } else {
      body = { results: await runBatch(pool, payload.queries, context) };
      Object.assign(headers, batchHeaders(options));
    }
    const json = JSON.stringify(body);
    if (Buffer.byteLength(json) > MAX_RESPONSE_BYTES) {
      throw new HttpError(507, `response is too large (max is ${MAX_RESPONSE_BYTES} bytes)`);
    }
    res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(json);
  } catch (err) {
    respondWithError(res, err);
  }
}

function parseOptions(req: IncomingMessage): Options {
  // Like Neon, a boolean header counts only when it is exactly `true`.
  const flag = (name: string) => req.headers[name] === 'true';
  const isolationLevel = req.headers['neon-batch-isolation-level'];
  if (isolationLevel !== undefined && (typeof isolationLevel !== 'string' || !ISOLATION_LEVELS.has(isolationLevel))) {
    throw new HttpError(400, 'invalid isolation level');
  }
  return {
    rawOutput: flag('neon-raw-text-output'),
    arrayMode: flag('neon-array-mode'),
    isolationLevel,
    readOnly: flag('neon-batch-read-only'),
    deferrable: flag('neon-batch-deferrable'),
  };
}

/** The database named by Neon-Connection-String, or undefined when the header is absent. */
function databaseFromHeader(req: IncomingMessage): string | undefined {
  const header = req.headers['neon-connection-string'];
  if (header === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(String(header));
  } catch {
    throw new HttpError(400, 'invalid connection string: not a valid URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new HttpError(400, 'invalid connection string: expected the postgres:// or postgresql:// scheme');
  }
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!database) throw new HttpError(400, 'invalid connection string: missing database name');
  return database;
}

function parsePayload(body: Buffer): Payload {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, `could not parse request payload: ${(err as Error).message}`);
  }
  if (isObject(json) && 'query' in json) return { kind: 'single', query: parseQueryData(json) };
  if (isObject(json) && Array.isArray(json.queries)) {
    return { kind: 'batch', queries: json.queries.map(parseQueryData) };
  }
  throw new HttpError(400, 'could not parse request payload: expected {"query", "params"} or {"queries": [...]}');
}

function parseQueryData(value: unknown): QueryData {
  if (!isObject(value) || typeof value.query !== 'string') {
    throw new HttpError(400, 'could not parse request payload: "query" must be a string');
  }
  const { params = [], arrayMode } = value;
  if (!Array.isArray(params)) throw new HttpError(400, 'could not parse request payload: "params" must be an array');
  if (arrayMode !== undefined && typeof arrayMode !== 'boolean') {
    throw new HttpError(400, 'could not parse request payload: "arrayMode" must be a boolean');
  }
  return { query: value.query, params: params.map(jsonParamToPgText), arrayMode };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type QueryContext = { options: Options; arrayElements: Map<number, number | null> };

async function runQuery(client: Queryable, data: QueryData, context: QueryContext): Promise<unknown> {
  // queryMode 'extended' (a pg option @types/pg does not list) forces Parse/Bind/Execute even
  // without params, as Neon does: that is what rejects a multi-statement string with 42601
  // instead of silently running all of it.
  const config: QueryArrayConfig & { queryMode: 'extended' } = {
    text: data.query,
    values: data.params,
    rowMode: 'array',
    types: RAW_TEXT_TYPES,
    queryMode: 'extended',
  };
  const result = await client.query(config);
  const arrayMode = data.arrayMode ?? context.options.arrayMode;
  const rows = context.options.rawOutput
    ? (result.rows as (string | null)[][])
    : await typedRows(client, result, context.arrayElements);
  return {
    rowAsArray: arrayMode,
    fields: result.fields.map(neonField),
    rows: arrayMode ? rows : rows.map((row) => rowObject(result.fields, row)),
    // An empty query has no command tag; Neon then reports "" and null.
    command: result.command ?? '',
    rowCount: result.rowCount ?? null,
  };
}

async function runBatch(pool: pg.Pool, queries: QueryData[], context: QueryContext): Promise<unknown[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(beginStatement(context.options));
    try {
      const results = [];
      for (const query of queries) results.push(await runQuery(client, query, context));
      await client.query('COMMIT');
      return results;
    } catch (err) {
      // The statement's own error is the answer; a failed rollback only retires the connection.
      await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
      throw err;
    }
  } catch (err) {
    if (!(err instanceof pg.DatabaseError)) broken ??= err as Error;
    throw err;
  } finally {
    client.release(broken);
  }
}

function beginStatement(options: Options): string {
  let sql = 'BEGIN';
  if (options.isolationLevel) sql += ` ISOLATION LEVEL ${ISOLATION_LEVELS.get(options.isolationLevel)}`;
  if (options.readOnly) sql += ' READ ONLY';
  if (options.deferrable) sql += ' DEFERRABLE';
  return sql;
}

/** Neon echoes the transaction settings it applied. */
function batchHeaders(options: Options): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  if (options.readOnly) headers['neon-batch-read-only'] = 'true';
  if (options.deferrable) headers['neon-batch-deferrable'] = 'true';
  if (options.isolationLevel) headers['neon-batch-isolation-level'] = options.isolationLevel;
  return headers;
}

function neonField(field: FieldDef) {
  return {
    name: field.name,
    dataTypeID: field.dataTypeID,
    tableID: field.tableID,
    columnID: field.columnID,
    dataTypeSize: field.dataTypeSize,
    dataTypeModifier: field.dataTypeModifier,
    format: 'text',
  };
}

function rowObject(fields: FieldDef[], row: unknown[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  fields.forEach((field, i) => (object[field.name] = row[i]));
  return object;
}

/** Typed JSON output needs to know which columns are arrays, which the catalog tells us. */
async function typedRows(
  client: Queryable,
  result: QueryArrayResult,
  cache: Map<number, number | null>,
): Promise<unknown[][]> {
  const unknown = [...new Set(result.fields.map((f) => f.dataTypeID))].filter((oid) => !cache.has(oid));
  if (unknown.length > 0) {
    const { rows } = await client.query<{ oid: number; typelem: number }>(
      "SELECT oid::int4 AS oid, typelem::int4 AS typelem FROM pg_type WHERE oid = ANY($1::oid[]) AND typcategory = 'A'",
      [unknown],
    );
    for (const oid of unknown) cache.set(oid, rows.find((r) => r.oid === oid)?.typelem ?? null);
  }
  const elementOf: ArrayElementOf = (oid) => cache.get(oid) ?? undefined;
  return (result.rows as (string | null)[][]).map((row) =>
    row.map((value, i) => (value === null ? null : pgTextToJson(value, result.fields[i]!.dataTypeID, elementOf))),
  );
}

function respondWithError(res: ServerResponse, err: unknown): void {
  if (err instanceof pg.DatabaseError) {
    // A Postgres error, whether from a statement or from connecting (e.g. 28P01, 3D000).
    sendError(res, 400, { ...err, message: err.message });
  } else if (err instanceof HttpError) {
    sendError(res, err.status, { message: err.message });
  } else if (err instanceof BodyTooLargeError) {
    sendError(res, 413, { message: err.message });
  } else {
    // Neon reports compute and connectivity failures (e.g. Postgres unreachable) as 500s.
    sendError(res, 500, { message: `error connecting to database: ${(err as Error).message}` });
  }
}

/** Neon's error body: every field present, `code`/`severity` "" when not a Postgres error. */
function sendError(res: ServerResponse, status: number, fields: Record<string, unknown>): void {
  const body: Record<string, unknown> = { message: fields.message };
  for (const key of PG_ERROR_FIELDS) body[key] = fields[key] ?? (key === 'code' || key === 'severity' ? '' : null);
  sendJson(res, status, body, CORS_HEADERS);
}
