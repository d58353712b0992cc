// What an Idempotency-Key adds to a write, against `npm run dev`: round trips and p50/p99 of
// POST /moods without the header, with a new key each time (claim in the auth pipeline + keeping
// the answer) and replayed (the same key and body again), at 0 and 20 ms per Neon/Upstash call.
// Run alone with `npx node bench/idempotency.ts`.
import { pathToFileURL } from 'node:url';
import { API, benchUser, countRoundTrips, load, withDevServer } from './lib.ts';
import { setLocalCloudLatency } from './edge.ts';

/** Under the moods write limit (120 a minute) per user: each row below gets a user of its own. */
const REQUESTS = 80;

const postMood = (headers: Record<string, string>, key?: string) =>
  fetch(`${API}/moods`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
    body: JSON.stringify({ score: 4, emotions: ['calm'] }),
  });

export async function benchIdempotency() {
  const kinds: [string, (headers: Record<string, string>, run: string) => (i: number) => Promise<Response>][] = [
    ['POST /moods', (headers) => () => postMood(headers)],
    ['POST /moods, a new Idempotency-Key', (headers, run) => (i) => postMood(headers, `${run}-${i}`)],
    ['POST /moods, replayed (same key and body)', (headers, run) => () => postMood(headers, `${run}-replayed`)],
  ];

  console.log('\nIdempotency-Key on a write: round trips (Neon / Upstash), each measured alone on an idle server:');
  for (const [name, requestOf] of kinds) {
    const { headers } = await benchUser();
    const send = requestOf(headers, crypto.randomUUID());
    if (name.includes('replayed')) await (await send(0)).arrayBuffer();
    const counted = await countRoundTrips(() => send(0));
    console.log(`  ${name.padEnd(44)} ${String(counted.status).padStart(3)}   Neon ${counted.neon}   Upstash ${counted.upstash}`);
  }

  console.log(`\nIdempotency-Key on a write: latency, ${REQUESTS} requests, 1 client:`);
  try {
    for (const latency of [0, 20]) {
      await setLocalCloudLatency(latency);
      for (const [name, requestOf] of kinds) {
        const { headers } = await benchUser();
        const send = requestOf(headers, crypto.randomUUID());
        if (name.includes('replayed')) await (await send(0)).arrayBuffer();
        const result = await load(send, { requests: REQUESTS, concurrency: 1 });
        console.log(
          `  ${`${name} @ ${latency} ms per call`.padEnd(58)} p50 ${result.p50.toFixed(1).padStart(6)} ms   p99 ${result.p99.toFixed(1).padStart(6)} ms${result.errors ? `   ${result.errors} errors` : ''}`,
        );
      }
    }
  } finally {
    await setLocalCloudLatency(0);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await withDevServer(benchIdempotency);
