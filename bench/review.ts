// Day-in-review benchmarks against `npm run dev`: a year of data (4 sessions and 5 memos a day),
// then round trips, p50 and p99 of GET /retrospective/daily, GET /stats/focus and GET /summary/daily
// over the year (the summary job's own wall time is bench/summary-job.bench.ts, `npm run bench:summary`).
// Run alone with `npx node bench/review.ts`.
import { pathToFileURL } from 'node:url';
import { API, benchUser, countRoundTrips, devSql, formatLoad, load, withDevServer } from './lib.ts';

const TZ = 'Asia/Seoul';
const FIRST_DAY = '2025-01-01';
const DAYS = 365;
const SESSIONS_PER_DAY = 4;
const MEMOS_PER_DAY = 5;

/** Seeds in SQL (the API would need 3,285 requests); completions are spread like real ones. */
async function seedYear(userId: string) {
  const sql = devSql();
  await sql.query(
    `insert into focus_sessions (id, user_id, subject, duration_minutes, break_duration_minutes, status, reflection,
                                 started_at, completed_at, created_at, updated_at)
     select md5(random()::text || d || s), $1, 'Focus ' || s, 25, 5,
            case when s = 1 then 'reviewed' else 'completed' end, case when s = 1 then 'Went well' end,
            start, start + make_interval(mins => 15 + s * 3), start, start + interval '30 minutes'
     from generate_series(0, $3 - 1) d, generate_series(1, $4) s,
          lateral (select (($2::date + d)::timestamp at time zone $5) + make_interval(hours => 8 + s * 2) as start) t`,
    [userId, FIRST_DAY, DAYS, SESSIONS_PER_DAY, TZ],
  );
  await sql.query(
    `insert into memos (id, user_id, content, tags, category, attachments, created_at, updated_at)
     select md5(random()::text || d || m), $1, 'Memo ' || m || ' of day ' || d, array['bench'],
            (array['work', 'idea', null, 'study', 'life'])[m],
            case when m = 2 then '[{"id":"a","type":"image","key":"k","filename":"f.png","contentType":"image/png","size":1}]'::jsonb else '[]'::jsonb end,
            at, at
     from generate_series(0, $3 - 1) d, generate_series(1, $4) m,
          lateral (select (($2::date + d)::timestamp at time zone $5) + make_interval(hours => 9 + m * 2) as at) t`,
    [userId, FIRST_DAY, DAYS, MEMOS_PER_DAY, TZ],
  );
}

export async function benchReview() {
  const { userId, headers } = await benchUser();
  console.log(`\nSeeding a year (${DAYS} days from ${FIRST_DAY}, ${TZ}): ${SESSIONS_PER_DAY} sessions and ${MEMOS_PER_DAY} memos a day...`);
  await seedYear(userId);

  const day = '2025-07-15';
  const reads: [string, string][] = [
    ['GET /retrospective/daily', `/retrospective/daily?date=${day}&tz=${encodeURIComponent(TZ)}`],
    ['GET /stats/focus (a month)', `/stats/focus?tz=${encodeURIComponent(TZ)}&start_date=2025-07-01&end_date=2025-07-31`],
    ['GET /stats/focus (the year, 365 days)', `/stats/focus?tz=${encodeURIComponent(TZ)}&start_date=${FIRST_DAY}&end_date=2025-12-31`],
  ];
  // Summarised once, so the timed reads below answer a fresh summary (1 Neon, 1 Upstash).
  const summaryPath = `/summary/daily?date=${day}&tz=${encodeURIComponent(TZ)}`;
  const queueing = await countRoundTrips(() => fetch(`${API}${summaryPath}`, { headers }));
  await untilSummarised(headers, summaryPath);
  reads.push(['GET /summary/daily (fresh)', summaryPath]);
  console.log(`\nGET /summary/daily queueing its job: Neon ${queueing.neon}   Upstash ${queueing.upstash} (+1 queue send)`);
  console.log('\nRound trips per request (Neon / Upstash; Upstash is the auth guard):');
  for (const [name, path] of reads) {
    const counted = await countRoundTrips(() => fetch(`${API}${path}`, { headers }));
    console.log(`  ${name.padEnd(46)} ${String(counted.status).padStart(3)}   Neon ${counted.neon}   Upstash ${counted.upstash}`);
  }
  for (const [name, path] of reads) {
    const result = await load(() => fetch(`${API}${path}`, { headers }), { requests: 200, concurrency: 1 });
    console.log(formatLoad(`${name} (1 client)`, result));
    if (result.errors > 0) throw new Error(`${name} failed`);
  }
}

/** Polls a summary until it is present and current; resolves with the milliseconds waited. */
async function untilSummarised(headers: Record<string, string>, path: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { summary } = (await (await fetch(`${API}${path}`, { headers })).json()) as { summary: { stale: boolean } | null };
    if (summary && !summary.stale) return performance.now() - started;
    if (performance.now() - started > 30_000) throw new Error(`no summary for ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await withDevServer(benchReview);
