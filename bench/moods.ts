// Mood check-in benchmarks against `npm run dev`: round trips per endpoint, and GET /moods/stats
// over a year of check-ins (3 a day) next to a year of sessions (2 a day). Run alone with `npx node bench/moods.ts`.
import { pathToFileURL } from 'node:url';
import { API, benchUser, countRoundTrips, devSql, formatLoad, load, withDevServer } from './lib.ts';

const TZ = 'Asia/Seoul';
const YEAR_START = '2025-01-01';
const YEAR_END = '2025-12-31';
const CHECKINS_PER_DAY = 3;
const SESSIONS_PER_DAY = 2;

const send = (method: string, headers: Record<string, string>, body: unknown): RequestInit => ({
  method,
  headers: { ...headers, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

async function expectJson<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A year of check-ins and sessions, written straight to the dev database. */
async function seedYear(userId: string) {
  const sql = devSql();
  await sql.query(
    `insert into mood_checkins (id, user_id, score, emotions, recorded_at)
     select lpad(to_hex(g), 8, '0') || substr(md5(random()::text), 1, 16), $1, 1 + (g % 5),
            array[(array['joy','calm','focused','tired','anxious'])[1 + g % 5], (array['grateful','proud','sad','angry','stressed'])[1 + g % 5]],
            ($2::date::timestamp at time zone $3) + (g / $4) * interval '1 day' + (g % $4) * interval '5 hours' + interval '8 hours'
     from generate_series(0, 365 * $4 - 1) g`,
    [userId, YEAR_START, TZ, CHECKINS_PER_DAY],
  );
  await sql.query(
    `insert into focus_sessions (id, user_id, subject, duration_minutes, break_duration_minutes, status, created_at)
     select lpad(to_hex(g), 8, '0') || substr(md5(random()::text), 1, 16), $1, 'bench', 15 + (g % 4) * 10, 5,
            case when g % 3 = 0 then 'reviewed' else 'completed' end,
            ($2::date::timestamp at time zone $3) + (g / $4) * interval '1 day' + interval '9 hours'
     from generate_series(0, 365 * $4 - 1) g`,
    [userId, YEAR_START, TZ, SESSIONS_PER_DAY],
  );
}

export async function benchMoods() {
  const { userId, headers } = await benchUser();
  const other = await benchUser();
  const today = new Date().toISOString().slice(0, 10);
  const createSession = () =>
    fetch(`${API}/session`, send('POST', headers, { subject: 'Bench', duration: 25, break_duration: 5, created_at: new Date().toISOString() })).then(
      (response) => expectJson<{ id: string }>(response),
    );
  const session = await createSession();
  const toReview = await createSession();
  for (const status of ['started', 'completed']) {
    await expectJson(await fetch(`${API}/session/${toReview.id}/status`, send('PUT', headers, { status, updated_at: new Date().toISOString() })));
  }
  const theirs = await expectJson<{ id: string }>(
    await fetch(`${API}/session`, send('POST', other.headers, { subject: 'Other', duration: 25, break_duration: 5, created_at: new Date().toISOString() })),
  );
  const mood = await expectJson<{ id: string }>(await fetch(`${API}/moods`, send('POST', headers, { score: 3 })));

  console.log('\nMood check-ins: round trips per request (Neon / Upstash; Upstash is the auth guard), each measured alone on an idle server:');
  const rows: [string, () => Promise<Response>][] = [
    ['POST /moods', () => fetch(`${API}/moods`, send('POST', headers, { score: 4, emotions: ['calm'] }))],
    ['POST /moods (session_id)', () => fetch(`${API}/moods`, send('POST', headers, { score: 4, session_id: session.id }))],
    ["POST /moods (another user's session_id, 422)", () => fetch(`${API}/moods`, send('POST', headers, { score: 4, session_id: theirs.id }))],
    ['GET /moods/list (one day)', () => fetch(`${API}/moods/list?tz=${encodeURIComponent(TZ)}&start_date=${today}&end_date=${today}`, { headers })],
    ['GET /moods/{id}', () => fetch(`${API}/moods/${mood.id}`, { headers })],
    ['PATCH /moods/{id}', () => fetch(`${API}/moods/${mood.id}`, send('PATCH', headers, { score: 5, session_id: session.id }))],
    ["PATCH /moods/{id} (another user's session_id, 422)", () => fetch(`${API}/moods/${mood.id}`, send('PATCH', headers, { session_id: theirs.id }))],
    ['GET /moods/stats (one day)', () => fetch(`${API}/moods/stats?tz=${encodeURIComponent(TZ)}&start_date=${today}&end_date=${today}`, { headers })],
    ['PUT /session/{id} reviewed with a mood', () => fetch(`${API}/session/${toReview.id}`, send('PUT', headers, { status: 'reviewed', reflection: 'ok', updated_at: new Date().toISOString(), mood: { score: 4 } }))],
    ['PUT /session/{id} reviewed again with a mood (409)', () => fetch(`${API}/session/${toReview.id}`, send('PUT', headers, { status: 'reviewed', updated_at: new Date().toISOString(), mood: { score: 4 } }))],
    ['DELETE /moods/{id}', () => fetch(`${API}/moods/${mood.id}`, { method: 'DELETE', headers })],
    ['GET /moods/{id} (unknown, 404)', () => fetch(`${API}/moods/${mood.id}`, { headers })],
  ];
  for (const [name, request] of rows) {
    const counted = await countRoundTrips(request);
    console.log(`  ${name.padEnd(50)} ${String(counted.status).padStart(3)}   Neon ${counted.neon}   Upstash ${counted.upstash}`);
  }

  const year = await benchUser();
  await seedYear(year.userId);
  const yearStats = () => fetch(`${API}/moods/stats?tz=${encodeURIComponent(TZ)}&start_date=${YEAR_START}&end_date=${YEAR_END}`, { headers: year.headers });
  const stats = await expectJson<{ days: unknown[]; focus: { focused_days: { days: number }; other_days: { days: number } } }>(await yearStats());
  console.log(
    `\nGET /moods/stats over a year (${365 * CHECKINS_PER_DAY} check-ins, ${365 * SESSIONS_PER_DAY} sessions): ${stats.days.length} days, ` +
      `${stats.focus.focused_days.days} focused and ${stats.focus.other_days.days} other`,
  );
  console.log(formatLoad('GET /moods/stats, a year (1 client)', await load(yearStats, { requests: 200, concurrency: 1 })));
  console.log(formatLoad('GET /moods/stats, a year (16 clients)', await load(yearStats, { requests: 500, concurrency: 16 })));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await withDevServer(benchMoods);
