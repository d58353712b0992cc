// The wall time of one summary job for a day of 100 memos: the review service's summariseDay (the
// day's db.batch, the builtin summariser, the conditional upsert) called as the queue consumer
// calls it, inside workerd against the local cloud, and the builtin summariser alone. The queue's
// delivery delay is not included. (`npm run dev` cannot start while wrangler.toml declares the AI
// binding without credentials, so this runs in the test pool instead of against the dev server.)
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { it } from 'vitest';
import { summariseBuiltin } from '../src/ai/builtin/summariser';
import { summariseDay } from '../src/features/review';
import { createServices } from '../src/platform/services';
import { createTestUser, testDb } from '../test/helpers/users';

const RUNS = 20;
const topics = ['login page', 'release notes', 'budget', 'reading list'];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const describeTimes = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms (${times.length} runs)`;
};

it('one summary job for a day of 100 memos', async () => {
  const user = await createTestUser();
  await testDb().execute(sql`
    insert into memos (id, user_id, content, tags, category, created_at, updated_at)
    select md5(random()::text || m), ${user.userId},
           'Memo ' || m || ': worked on the ' || (${`{${topics.map((topic) => `"${topic}"`).join(',')}}`}::text[])[1 + m % 4] || ' today. It went better than expected, and tomorrow comes the next step.',
           array['tag' || (m % 5)], (array['work', 'idea', null, 'study', 'life'])[1 + m % 5], at, at
    from generate_series(1, 100) m, lateral (select '2025-07-15T00:00:00Z'::timestamptz + make_interval(mins => m * 10) as at) t`);
  const services = createServices(env);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // A new fingerprint each run (one memo touched), so every run really generates and writes.
    await testDb().execute(sql`update memos set updated_at = now() where id = (select id from memos where user_id = ${user.userId} order by random() limit 1)`);
    const started = performance.now();
    await summariseDay(services, { kind: 'summarise-day', userId: user.userId, date: '2025-07-15', tz: 'UTC', fingerprint: '' });
    times.push(performance.now() - started);
  }
  const facts = {
    seed: 'bench',
    memos: Array.from({ length: 100 }, (_, m) => ({ content: `Memo ${m}: worked on the ${topics[m % 4]} today. It went better than expected.`, category: ['work', 'idea', 'study'][m % 3]!, tags: [`tag${m % 5}`] })),
    completedSessions: 4,
    focusMinutes: 100,
    reflections: [],
  };
  const builtin: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    summariseBuiltin(facts);
    builtin.push(performance.now() - started);
  }
  console.log(`One summary job, a day of 100 memos (builtin, 1 db.batch + 1 upsert, queue delivery excluded): ${describeTimes(times)}`);
  console.log(`The builtin summariser alone, 100 memos: ${describeTimes(builtin)}`);
});
