// `npm run bench`: numbers for the service endpoints, the local endpoints' round-trip times, the
// focus sessions, the memos, the mood check-ins, the day in review, accounts, Idempotency-Key, the sync feed, and pins and search, against `npm run dev` (started for the run if it is not running).
// The dev server should be otherwise idle: round trips are counted at the local endpoints.
import { spawn } from 'node:child_process';
import { Redis } from '@upstash/redis';
import { API, DEV_ENDPOINTS, devSql, formatLoad, load, percentile, withDevServer } from './lib.ts';
import { benchSessions } from './sessions.ts';
import { benchMemos } from './memos.ts';
import { benchReview } from './review.ts';
import { benchBundle, benchHotEndpoints } from './edge.ts';
import { benchMoods } from './moods.ts';
import { benchCategories } from './categories.ts';
import { benchAccounts } from './accounts.ts';
import { benchIdempotency } from './idempotency.ts';
import { benchSync } from './sync.ts';
import { benchSearch } from './search.ts';

async function timeEach(count: number, call: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await call();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return `p50 ${percentile(samples, 50).toFixed(2)} ms   p99 ${percentile(samples, 99).toFixed(2)} ms`;
}

await withDevServer(async () => {
  console.log(`Omood benchmarks against ${API} (Node ${process.version})\n`);
  console.log('Service endpoints (2000 requests, 16 concurrent clients):');
  console.log(formatLoad('GET /', await load(() => fetch(`${API}/`), { requests: 2000, concurrency: 16 })));
  console.log(formatLoad('GET /health', await load(() => fetch(`${API}/health`), { requests: 2000, concurrency: 16 })));

  console.log('\nOne round trip through the local endpoints (200 sequential calls from Node):');
  const sql = devSql();
  console.log(`  Neon HTTP    select 1        ${await timeEach(200, () => sql.query('select 1'))}`);
  const redis = new Redis({ url: DEV_ENDPOINTS.UPSTASH_REDIS_REST_URL, token: DEV_ENDPOINTS.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false, enableAutoPipelining: false });
  console.log(`  Upstash REST GET             ${await timeEach(200, () => redis.get('bench:missing'))}`);

  await benchHotEndpoints();
  await benchSessions();
  await benchMemos();
  await benchReview();
  await benchBundle();
  await benchMoods();
  await benchCategories();
  await benchAccounts();
  await benchIdempotency();
  await benchSync();
  await benchSearch();
});

// Worker code measured inside workerd itself (the password hash's CPU time): no dev server needed.
await new Promise<void>((resolve, reject) => {
  const child = spawn('vitest', ['run', '--config', 'bench/vitest.workerd.config.ts', '--silent=false', '--reporter=dot'], { stdio: 'inherit' });
  child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench:workerd exited ${code}`))));
});
