// Pins and search benchmarks against `npm run dev`: round trips per endpoint, and GET /memo/search
// over 100,000 memos of one user (next to 20,000 of another), with the plan Postgres chooses for
// each kind of query. Run alone with `PORT=8797 npx node bench/search.ts` (its own dev stack).
import { pathToFileURL } from 'node:url';
import { BIGRAM_HEAD, likePattern, searchTerms, usesBigrams } from '../src/features/memos/search.ts';
import { API, benchUser, countRoundTrips, devSql, formatLoad, load, withDevServer } from './lib.ts';

const MEMOS = 100_000;
const OTHER_MEMOS = 20_000;
/** Per query; the machine is shared, so keep the run short. */
const REQUESTS = Number(process.env.SEARCH_BENCH_REQUESTS ?? 40);

/**
 * Memos of everyday Korean and English sentences, written straight to the dev database: each is
 * three phrases picked by the row number (so word frequencies vary from 1 in 7 to 1 in 400), a
 * serial number and a tag, created one every 10 minutes back from now.
 */
async function seed(userId: string, count: number) {
  await devSql().query(
    `with phrases as (
       select array[
         '주간회의록 정리', '오늘 헬스장에서 운동했다', 'Weekly meeting notes about the roadmap', '책 읽기 30분, 독서 메모',
         '장보기: 우유, 계란, 빵', 'Idea: a focus timer with sounds', '영어 공부 단어 암기', '프로젝트 회의 준비 자료',
         'Call mom tonight', '카페에서 코딩', '점심은 김치찌개', 'Deploy the worker and check the logs', '산책하면서 생각 정리',
         'budget review for Q3', '내일 발표 리허설', 'grocery list: apples, rice', '친구 생일 선물 고르기', 'Read a chapter of Dune'
       ] as p, array['work','idea','study','personal','일상','운동','독서'] as t
     )
     insert into memos (id, user_id, content, tags, created_at, updated_at, category)
     select lpad(to_hex(g), 8, '0') || substr(md5($1 || g::text), 1, 16), $1,
            p[1 + g % 18] || '. ' || p[1 + (g / 7) % 18] || '. ' || p[1 + (g / 400) % 18] || ' #' || g,
            array[t[1 + g % 7]],
            now() - g * interval '10 minutes', now() - g * interval '10 minutes', 'idea'
     from phrases, generate_series(1, $2::int) g`,
    [userId, count],
  );
  await devSql().query('analyze memos');
}

/** The matching part of the Worker's search (features/memos/repository.ts), with one occurrence count as the score: what decides the plan. */
async function explain(userId: string, q: string): Promise<string> {
  const terms = searchTerms(q);
  const params: unknown[] = [userId];
  const conditions = terms.map((term) => {
    if (!usesBigrams(term)) {
      params.push(likePattern(term));
      return `search_text like $${params.length}`;
    }
    params.push(term);
    const contains = `strpos(search_text, $${params.length}::text) > 0`;
    return terms.every(usesBigrams) ? `(${contains} and (memo_head_bigrams(search_text) @> array[$${params.length}::text] or length(search_text) > ${BIGRAM_HEAD}))` : contains;
  });
  params.push(terms[0]);
  const sql = `explain (analyze, costs off, timing off, summary on)
    select id, (length(search_text) - length(replace(search_text, $${params.length}, ''))) as score from memos
    where user_id = $1 and ${conditions.join(' and ')} order by score desc, id desc limit 20`;
  const rows = (await devSql().query(sql, params)) as { 'QUERY PLAN': string }[];
  const plan = rows.map((row) => row['QUERY PLAN']);
  const indexes = [...new Set(plan.flatMap((line) => [...line.matchAll(/(?:Index|Bitmap Index) Scan on (\w+)/g)].map((match) => match[1])))];
  const scan = plan.some((line) => line.includes('Seq Scan')) ? 'seq scan' : indexes.join(' + ') || 'no index';
  const executed = plan.find((line) => line.startsWith('Execution Time'))?.replace('Execution Time: ', '') ?? '?';
  const matched = /rows=(\d+)/.exec(plan.find((line) => line.includes('Bitmap Heap Scan') || line.includes('Seq Scan')) ?? '')?.[1];
  return `${scan}; ${matched ?? '?'} rows matched, executed in ${executed}`;
}

export async function benchSearch() {
  const user = await benchUser();
  const other = await benchUser();
  const headers = user.headers;
  console.log(`\nPins and search: seeding ${MEMOS} memos of one user and ${OTHER_MEMOS} of another...`);
  const seeded = performance.now();
  await seed(user.userId, MEMOS);
  await seed(other.userId, OTHER_MEMOS);
  console.log(`  seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s (the generated column and both GIN indexes included)`);

  const [{ id } = { id: '' }] = (await devSql().query('select id from memos where user_id = $1 order by created_at desc limit 1', [user.userId])) as { id: string }[];
  const search = (q: string, extra = '') => () => fetch(`${API}/memo/search?q=${encodeURIComponent(q)}${extra}`, { headers });
  console.log('  round trips per request (Neon / Upstash; Upstash is the auth guard), each measured alone on an idle server:');
  const rows: [string, () => Promise<Response>][] = [
    ['PUT /memo/{id}/pin', () => fetch(`${API}/memo/${id}/pin`, { method: 'PUT', headers })],
    ['PUT /memo/{id}/pin (again)', () => fetch(`${API}/memo/${id}/pin`, { method: 'PUT', headers })],
    ['GET /memo/pinned', () => fetch(`${API}/memo/pinned`, { headers })],
    ['DELETE /memo/{id}/pin', () => fetch(`${API}/memo/${id}/pin`, { method: 'DELETE', headers })],
    ['GET /memo/search?q=회의', search('회의')],
    ['GET /memo/search?q=x (422)', search('x')],
  ];
  for (const [name, request] of rows) {
    const counted = await countRoundTrips(request);
    console.log(`    ${name.padEnd(34)} ${String(counted.status).padStart(3)}   Neon ${counted.neon}   Upstash ${counted.upstash}`);
  }

  console.log(`  GET /memo/search over ${MEMOS} memos (1 client, ${REQUESTS} requests each; the plan is the matching part's EXPLAIN ANALYZE):`);
  const queries: [string, string][] = [
    ['회의', '2 Korean characters, 1 memo in 5'],
    ['김치', '2 Korean characters, 1 in 18'],
    ['리허설', '3 Korean characters, 1 in 6'],
    ['roadmap', 'English word, 1 in 6'],
    ['dune', 'English word, 1 in 6'],
    ['budget 회의', 'two words'],
    ['없는단어', 'no match'],
  ];
  for (const [q, what] of queries) {
    const first = await search(q)();
    const page = (await first.json()) as { results?: unknown[] };
    const shown = page.results ? `${page.results.length} on page 1` : `first answer ${first.status}`;
    console.log(formatLoad(`    q=${q} (${what}; ${shown})`, await load(search(q), { requests: REQUESTS, concurrency: 1 })));
    console.log(`      plan: ${await explain(user.userId, q)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await withDevServer(benchSearch);
