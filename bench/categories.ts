// Classification jobs against `npm run dev`: what a create with automatic classification costs the
// request, and what the queue consumer costs per memo (Neon and Upstash calls, wall time per batch).
// Run alone with `npx node bench/categories.ts`.
import { API, benchUser, countRoundTrips, devSql, roundTrips, withDevServer } from './lib.ts';
import { benchClassifier, readSet } from './classifier.ts';

const BATCH = 20;

export async function benchCategories() {
  await benchClassifier();
  const { userId, headers } = await benchUser();
  const form = (content: string) => {
    const body = new FormData();
    body.append('content', content);
    return body;
  };
  const sql = devSql();
  const waiting = async () => Number((await sql.query("select count(*)::int as n from memos where user_id = $1 and category = 'uncategorized'", [userId]))[0]?.n ?? 0);

  const create = await countRoundTrips(() => fetch(`${API}/memo`, { method: 'POST', headers, body: form('마트에서 우유 사기') }));
  const chosen = await countRoundTrips(() => fetch(`${API}/memo`, { method: 'POST', headers, body: (() => { const body = form('x'); body.append('category', 'idea'); return body; })() }));
  const listCustom = await countRoundTrips(() => fetch(`${API}/categories/custom`, { headers }));
  const overview = await countRoundTrips(() => fetch(`${API}/categories`, { headers }));
  while ((await waiting()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));

  console.log('\nCategories, round trips per request (Neon / Upstash; the queue send is a Miniflare call, not counted):');
  console.log(`  POST /memo, automatic category  ${create.neon} / ${create.upstash}`);
  console.log(`  POST /memo, category=idea       ${chosen.neon} / ${chosen.upstash}`);
  console.log(`  GET /categories/custom          ${listCustom.neon} / ${listCustom.upstash}`);
  console.log(`  GET /categories                 ${overview.neon} / ${overview.upstash}`);

  // The memos go in as fast as the API takes them; the consumer takes them in batches of up to 20.
  const posts = readSet('classifier/dev.json').memos.slice(0, BATCH).map((memo) => () => fetch(`${API}/memo`, { method: 'POST', headers, body: form(memo.content) }).then((response) => response.arrayBuffer()));
  const beforePosts = await roundTrips();
  await Promise.all(posts.map((post) => post()));
  const t0 = performance.now();
  let polls = 1;
  while ((await waiting()) > 0) {
    polls++;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const wall = performance.now() - t0;
  const afterJobs = await roundTrips();
  // The polling goes through the same Neon stand-in, one call per loop: subtracted below.
  // Jobs start while creates are still arriving, so the consumer's calls are everything after the
  // first create minus the creates' own (create.neon each, measured alone above) and the polling.
  const jobNeon = afterJobs.neon - beforePosts.neon - polls - BATCH * create.neon;
  const jobUpstash = afterJobs.upstash - beforePosts.upstash - BATCH * create.upstash;
  console.log(`\nClassification jobs, ${BATCH} memos created at once (builtin provider):`);
  console.log(`  ${wall.toFixed(0)} ms from the last create's answer until every memo is classified (batches of up to 20, 1 s batch timeout)`);
  console.log(`  consumer: ${(jobNeon / BATCH).toFixed(1)} Neon and ${(jobUpstash / BATCH).toFixed(1)} Upstash calls per memo`);
}

if (import.meta.url === `file://${process.argv[1]}`) await withDevServer(benchCategories);
