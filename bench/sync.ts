// Delta sync benchmarks against `npm run dev`: a client syncing 10,000 changes from the beginning
// (memos, sessions, check-ins, categories and tombstones), page by page, with the round trips each
// page makes; and a feed of large memos, where pages are bounded by size. Run alone with `npx node bench/sync.ts`.
import { pathToFileURL } from 'node:url';
import { API, benchUser, countRoundTrips, devSql, withDevServer } from './lib.ts';

interface SyncPage {
  changes: { type: string; op: string }[];
  next_cursor: string;
  has_more: boolean;
}

/** 4,950 memos (950 then deleted: tombstones), 3,000 sessions, 2,000 check-ins and 50 categories: 10,000 changes. */
async function seedTenThousand(userId: string) {
  const sql = devSql();
  const id = (prefix: string) => `lpad(to_hex(g), 8, '0') || '${prefix}' || substr(md5(random()::text), 1, 14)`;
  await sql.query(
    `insert into memos (id, user_id, content, tags) select ${id('aa')}, $1, 'memo ' || g || ' ' || repeat('text ', 40), array['bench'] from generate_series(1, 4950) g`,
    [userId],
  );
  await sql.query(
    `insert into focus_sessions (id, user_id, subject, duration_minutes, break_duration_minutes, status, created_at)
     select ${id('bb')}, $1, 'session ' || g, 25, 5, 'completed', now() - g * interval '1 hour' from generate_series(1, 3000) g`,
    [userId],
  );
  await sql.query(
    `insert into mood_checkins (id, user_id, score, emotions, recorded_at) select ${id('cc')}, $1, 1 + g % 5, array['calm'], now() - g * interval '1 hour' from generate_series(1, 2000) g`,
    [userId],
  );
  await sql.query(
    `insert into custom_categories (id, user_id, key, name, icon, color) select ${id('dd')}, $1, 'key_' || g, 'Category ' || g, 'book', '#3B82F6' from generate_series(1, 50) g`,
    [userId],
  );
  await sql.query(`delete from memos where id in (select id from memos where user_id = $1 order by id limit 950)`, [userId]);
}

async function syncEverything(headers: Record<string, string>, limit: number) {
  let cursor: string | undefined;
  let pages = 0;
  let changes = 0;
  let deletes = 0;
  let largest = 0;
  let neon = 0;
  let upstash = 0;
  const started = performance.now();
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { since: cursor } : {}) });
    let body = '';
    const counted = await countRoundTrips(async () => {
      const response = await fetch(`${API}/sync?${query}`, { headers });
      body = await response.text();
      if (!response.ok) throw new Error(`${response.status} ${body}`);
      return new Response(null);
    });
    neon += counted.neon;
    upstash += counted.upstash;
    const page = JSON.parse(body) as SyncPage;
    pages++;
    changes += page.changes.length;
    deletes += page.changes.filter((change) => change.op === 'delete').length;
    largest = Math.max(largest, Buffer.byteLength(body));
    cursor = page.next_cursor;
    if (!page.has_more) break;
    // Changes are waiting behind a transaction still committing: ask again shortly, as a client would.
    if (page.changes.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    if (pages > 10_000) throw new Error('the feed never ran dry');
  }
  return { pages, changes, deletes, largest, neon, upstash, ms: performance.now() - started };
}

export async function benchSync() {
  const user = await benchUser();
  await seedTenThousand(user.userId);
  console.log('\nGET /sync of 10,000 changes from the beginning (4,000 memos, 950 of them tombstones, 3,000 sessions, 2,000 check-ins, 50 categories):');
  for (const limit of [500, 1000]) {
    const run = await syncEverything(user.headers, limit);
    console.log(
      `  limit ${String(limit).padEnd(5)} ${run.changes} changes (${run.deletes} deletes) in ${run.pages} pages, ${run.ms.toFixed(0)} ms wall ` +
        `(${(run.ms / run.pages).toFixed(1)} ms a page), Neon ${run.neon} / Upstash ${run.upstash} round trips, largest answer ${(run.largest / 1e6).toFixed(2)} MB`,
    );
  }

  const large = await benchUser();
  await devSql().query(`insert into memos (id, user_id, content) select lpad(to_hex(g), 8, '0') || substr(md5(random()::text), 1, 16), $1, repeat('가', 100000) from generate_series(1, 100) g`, [large.userId]);
  const run = await syncEverything(large.headers, 1000);
  console.log(
    `  100 memos of 100,000 characters (30 MB of UTF-8): ${run.pages} pages, ${run.ms.toFixed(0)} ms wall, largest page ${(run.largest / 1e6).toFixed(2)} MB, Neon ${run.neon} / Upstash ${run.upstash}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await withDevServer(benchSync);
