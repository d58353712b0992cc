// Conformance of the local Neon SQL-over-HTTP endpoint (scripts/neon-http-server.ts), exercised
// from inside workerd with the production clients: @neondatabase/serverless and drizzle-orm/neon-http.
import { neon, neonConfig, NeonDbError } from '@neondatabase/serverless';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import { bigserial, customType, jsonb, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

neonConfig.fetchEndpoint = env.NEON_FETCH_ENDPOINT;
const client = neon(env.DATABASE_URL);
const db = drizzle({ client });

// bytea travels as PG hex text; pg-types turns it into a Buffer, which is a Uint8Array.
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

// A table of our own per run, so the test depends neither on the app schema nor on other runs.
const tableName = `conformance_neon_${crypto.randomUUID().replaceAll('-', '')}`;
const items = pgTable(tableName, {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  slug: text('slug').notNull().unique(),
  at: timestamp('at', { withTimezone: true, precision: 3, mode: 'date' }),
  meta: jsonb('meta').$type<Record<string, unknown>>(),
  tags: text('tags').array(),
  blob: bytea('blob'),
  amount: numeric('amount'),
  note: text('note'),
});

beforeAll(async () => {
  await db.execute(
    sql.raw(`CREATE TABLE "${tableName}" (
      id bigserial PRIMARY KEY, slug text NOT NULL UNIQUE, at timestamptz(3), meta jsonb,
      tags text[], blob bytea, amount numeric, note text)`),
  );
});

afterAll(async () => {
  await db.execute(sql.raw(`DROP TABLE IF EXISTS "${tableName}", "${tableName}_ddl"`));
});

/** The NeonDbError behind a rejected drizzle query (drizzle wraps it in DrizzleQueryError). */
async function neonError(promise: Promise<unknown>): Promise<NeonDbError> {
  const err = await promise.then(
    () => expect.unreachable('the query should have failed'),
    (e: unknown) => e as Error,
  );
  const cause = err instanceof NeonDbError ? err : err.cause;
  expect(cause).toBeInstanceOf(NeonDbError);
  return cause as NeonDbError;
}

describe('value round-trips', () => {
  it('keeps timestamptz, jsonb, text[], bytea, numeric and null intact', async () => {
    const row = {
      slug: 'round-trip',
      at: new Date('2026-03-04T05:06:07.089Z'),
      meta: { tags: ['a', 'b'], draft: false, nested: { n: 1.5, none: null }, text: '한국어 "quoted" \\ ✓' },
      tags: ['plain', 'with,comma', 'with "quotes"', 'back\\slash', 'NULL', '', '공백 있음', '{braces}'],
      blob: new Uint8Array([0xde, 0xad, 0x00, 0xbe, 0xef]),
      amount: '12345678901234567890.0123456789',
      note: null,
    };
    const [inserted] = await db.insert(items).values(row).returning();
    const [selected] = await db.select().from(items).where(eq(items.slug, 'round-trip'));

    for (const got of [inserted, selected]) {
      expect(got).toBeDefined();
      expect(got!.at).toEqual(row.at);
      expect(got!.meta).toEqual(row.meta);
      expect(got!.tags).toEqual(row.tags);
      expect(Array.from(got!.blob!)).toEqual(Array.from(row.blob));
      expect(got!.amount).toBe(row.amount);
      expect(got!.note).toBeNull();
      expect(typeof got!.id).toBe('number');
    }
  });

  it('runs sessions in UTC and returns PG text output', async () => {
    const result = await client.query(
      "SELECT current_setting('TimeZone') AS tz, $1::timestamptz::text AS at, '{1,NULL}'::int[] AS ints, 42::int8 AS big",
      ['2026-03-04T05:06:07.089Z'],
      { fullResults: true },
    );
    expect(result.rows).toEqual([{ tz: 'UTC', at: '2026-03-04 05:06:07.089+00', ints: [1, null], big: '42' }]);
    expect(result.command).toBe('SELECT');
    expect(result.rowCount).toBe(1);
    expect(result.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
      ['tz', 25],
      ['at', 25],
      ['ints', 1007],
      ['big', 20],
    ]);
  });

  it('reports command and rowCount from the command tag', async () => {
    await db.insert(items).values([{ slug: 'count-1' }, { slug: 'count-2' }]);
    const updated = await db.update(items).set({ note: 'seen' }).where(sql`${items.slug} LIKE 'count-%'`);
    expect(updated).toMatchObject({ command: 'UPDATE', rowCount: 2 });
    const created = await db.execute(sql.raw(`CREATE TABLE "${tableName}_ddl" (x int)`));
    expect(created).toMatchObject({ command: 'CREATE', rowCount: null, fields: [], rows: [] });
  });
});

describe('batches', () => {
  it('commits every statement of a db.batch together', async () => {
    const [insert, select] = await db.batch([
      db.insert(items).values({ slug: 'batch-commit', note: 'one' }),
      db.select({ note: items.note }).from(items).where(eq(items.slug, 'batch-commit')),
    ]);
    expect(insert).toMatchObject({ command: 'INSERT', rowCount: 1 });
    expect(select).toEqual([{ note: 'one' }]);
  });

  it('rolls back the whole batch when a later statement fails', async () => {
    const err = await neonError(
      db.batch([
        db.insert(items).values({ slug: 'batch-rollback' }),
        db.insert(items).values({ slug: 'batch-rollback' }),
      ]),
    );
    expect(err.code).toBe('23505');
    const left = await db.select().from(items).where(eq(items.slug, 'batch-rollback'));
    expect(left).toEqual([]);
  });

  it('applies the transaction options sent as Neon-Batch-* headers', async () => {
    const err = await neonError(
      client.transaction((tx) => [tx`INSERT INTO ${tx.unsafe(`"${tableName}"`)} (slug) VALUES ('read-only')`], {
        isolationLevel: 'Serializable',
        readOnly: true,
      }),
    );
    expect(err.code).toBe('25006'); // read_only_sql_transaction
    const [level] = await client.transaction((tx) => [tx`SHOW transaction_isolation`], {
      isolationLevel: 'RepeatableRead',
    });
    expect(level).toEqual([{ transaction_isolation: 'repeatable read' }]);
  });
});

describe('errors', () => {
  it('surfaces a unique violation with its SQLSTATE and constraint', async () => {
    await db.insert(items).values({ slug: 'taken' });
    const err = await neonError(db.insert(items).values({ slug: 'taken' }));
    expect(err.code).toBe('23505');
    expect(err.constraint).toBe(`${tableName}_slug_key`);
    expect(err.table).toBe(tableName);
    expect(err.detail).toBe('Key (slug)=(taken) already exists.');
    expect(err.severity).toBe('ERROR');
  });

  it('rejects a multi-statement string with 42601, as the extended protocol does', async () => {
    const err = await neonError(db.execute(sql.raw('SELECT 1; SELECT 2')));
    expect(err.code).toBe('42601');
    expect(err.message).toBe('cannot insert multiple commands into a prepared statement');
  });

  it('sends the error position as a string', async () => {
    const err = await neonError(client.query('SELEC 1'));
    expect(err.code).toBe('42601');
    expect(err.position).toBe('1');
    expect(err.routine).toBeTypeOf('string');
  });
});

describe('protocol details beyond the client', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(env.NEON_FETCH_ENDPOINT, { method: 'POST', body, headers: { 'Neon-Connection-String': env.DATABASE_URL, ...headers } });

  it('answers without the raw-text and array-mode headers with typed JSON objects', async () => {
    const query = `SELECT 1::int4 AS i, 2::int8 AS big, true AS b, 1.5::float8 AS f, 'NaN'::float8 AS nan,
      '{"a": [1]}'::jsonb AS j, '{"x y",NULL}'::text[] AS texts, '{{1,2},{3,4}}'::int[] AS grid`;
    const response = await post(JSON.stringify({ query, params: [] }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rowAsArray: boolean; rows: unknown[] };
    expect(body.rowAsArray).toBe(false);
    expect(body.rows).toEqual([
      { i: 1, big: '2', b: true, f: 1.5, nan: 'NaN', j: { a: [1] }, texts: ['x y', null], grid: [[1, 2], [3, 4]] },
    ]);
  });

  it('answers a malformed body with a 400 JSON error in Neon’s shape', async () => {
    const response = await post('{not json');
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: '', severity: '', detail: null, constraint: null });
    expect(body.message).toMatch(/could not parse request payload/);
  });

  it('answers CORS preflights', async () => {
    const response = await fetch(env.NEON_FETCH_ENDPOINT, { method: 'OPTIONS' });
    expect(response.status).toBe(200);
    expect(response.headers.get('allow')).toBe('OPTIONS, POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('Neon-Connection-String');
  });
});
