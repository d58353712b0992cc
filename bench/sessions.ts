// Focus-session benchmarks: round trips per endpoint, latency under load, and one cron sweep of
// 100,000 expired sessions (wall time and subrequests, against the Workers limit of 1,000).
import { Redis } from '@upstash/redis';
import { API, benchUser, countRoundTrips, DEV_ENDPOINTS, devSql, formatLoad, load, roundTrips } from './lib.ts';
import { setLocalCloudLatency } from './edge.ts';

const SWEEP_SESSIONS = 100_000;
/** The sweep runs against endpoints as far away as the edge's: 20 ms per call. */
const SWEEP_LATENCY_MS = 20;

const json = (headers: Record<string, string>, body: unknown): RequestInit => ({
  method: 'PUT',
  headers: { ...headers, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

async function createSession(headers: Record<string, string>): Promise<string> {
  const response = await fetch(`${API}/session`, {
    ...json(headers, { subject: 'Bench', goal: 'Measure', duration: 25, break_duration: 5, tags: [], status: 'pending', created_at: new Date().toISOString() }),
    method: 'POST',
  });
  return ((await response.json()) as { id: string }).id;
}

export async function benchSessions() {
  const { userId, headers } = await benchUser();
  const id = await createSession(headers);
  const status = (value: string) => () => fetch(`${API}/session/${id}/status`, json(headers, { status: value, updated_at: new Date().toISOString() }));
  const today = new Date().toISOString().slice(0, 10);

  console.log('\nRound trips per request (Neon / Upstash), each measured alone on an idle server:');
  const rows: [string, () => Promise<Response>][] = [
    ['POST /session', () => fetch(`${API}/session`, { ...json(headers, { subject: 'x', duration: 25, break_duration: 5, created_at: new Date().toISOString() }), method: 'POST' })],
    ['GET /session/current', () => fetch(`${API}/session/current`, { headers })],
    [`GET /session/{id}`, () => fetch(`${API}/session/${id}`, { headers })],
    ['GET /session/list (one day)', () => fetch(`${API}/session/list?tz=Asia%2FSeoul&start_date=${today}&end_date=${today}`, { headers })],
    ['PUT /session/{id}/status started', status('started')],
    ['PUT /session/{id}/status paused', status('paused')],
    ['PUT /session/{id}/status started (resume)', status('started')],
    ['PUT /session/{id}/status pending (reset)', status('pending')],
    ['PUT /session/{id} (duration)', () => fetch(`${API}/session/${id}`, json(headers, { duration: 30, break_duration: 10, updated_at: new Date().toISOString() }))],
    ['PUT /session/{id}/status paused from pending (409)', status('paused')],
    ['DELETE /session/{id}', () => fetch(`${API}/session/${id}`, { method: 'DELETE', headers })],
  ];
  for (const [name, send] of rows) {
    const counted = await countRoundTrips(send);
    console.log(`  ${name.padEnd(46)} ${String(counted.status).padStart(3)}   Neon ${counted.neon}   Upstash ${counted.upstash}`);
  }

  const running = await createSession(headers);
  await fetch(`${API}/session/${running}/status`, json(headers, { status: 'started', updated_at: new Date().toISOString() }));
  console.log('\nUnder load (16 concurrent clients):');
  console.log(formatLoad('GET /session/current', await load(() => fetch(`${API}/session/current`, { headers }), { requests: 2000, concurrency: 16 })));
  let toggle = 0;
  console.log(
    formatLoad(
      'PUT /session/{id}/status pause/resume',
      await load(
        // One session, alternating pause and resume, so every request is an allowed transition.
        async () => {
          const next = toggle++ % 2 === 0 ? 'paused' : 'started';
          return fetch(`${API}/session/${running}/status`, json(headers, { status: next, updated_at: new Date().toISOString() }));
        },
        { requests: 200, concurrency: 1 },
      ),
    ),
  );

  await benchSweep(userId);
}

/** Seeds 10,000 sessions that expired a minute ago, queues them, fires the cron once and times it. */
async function benchSweep(userId: string) {
  const sql = devSql();
  const ids = (await sql.query(
    `insert into focus_sessions (id, user_id, subject, duration_minutes, break_duration_minutes, status, started_at, expires_at, created_at)
     select lpad(to_hex(g), 8, '0') || substr(md5(random()::text), 1, 16), $1, 'sweep', 25, 5, 'started',
            now() - interval '26 minutes', now() - interval '1 minute', now() - interval '26 minutes'
     from generate_series(1, $2) g
     returning id, extract(epoch from expires_at)::float8 as expiry`,
    [userId, SWEEP_SESSIONS],
  )) as { id: string; expiry: number }[];
  const redis = new Redis({ url: DEV_ENDPOINTS.UPSTASH_REDIS_REST_URL, token: DEV_ENDPOINTS.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false });
  for (let i = 0; i < ids.length; i += 5000) {
    const [first, ...rest] = ids.slice(i, i + 5000).map((row) => ({ score: row.expiry, member: row.id }));
    if (first) await redis.zadd('session_queue', first, ...rest);
  }

  await setLocalCloudLatency(SWEEP_LATENCY_MS);
  const before = await roundTrips();
  const t0 = performance.now();
  const response = await fetch(`${API}/__scheduled?cron=*+*+*+*+*`);
  await response.text();
  const wallMs = performance.now() - t0;
  const after = await roundTrips();
  await setLocalCloudLatency(0);
  const [{ remaining }] = (await sql.query(`select count(*)::int as remaining from focus_sessions where user_id = $1 and subject = 'sweep' and status = 'started'`, [userId])) as [{ remaining: number }];
  const neon = after.neon - before.neon;
  const upstash = after.upstash - before.upstash;
  console.log(`\nCron sweep of ${SWEEP_SESSIONS} expired sessions in one invocation (all jobs of the minute; ${SWEEP_LATENCY_MS} ms per call):`);
  console.log(`  wall ${wallMs.toFixed(0)} ms   subrequests ${neon + upstash} (Neon ${neon}, Upstash ${upstash}; limit 1000)   still started afterwards: ${remaining}`);
}
