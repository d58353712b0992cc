// Memo benchmarks against `npm run dev`: round trips per endpoint, listing a day of 100 memos with
// 3 attachments each (the aim: one Neon call and no R2 call, since URLs are signed locally), and
// creating a memo with a 1 MB image. Run alone with `npx node bench/memos.ts`.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { API, benchUser, countRoundTrips, devSql, formatLoad, load, withDevServer } from './lib.ts';

const MEMOS = 100;
const DAY = '2025-08-13';
const TZ = 'Asia/Seoul';
const fixture = (name: string) => new Uint8Array(readFileSync(`test/fixtures/media/${name}`));

/** A PNG padded to 1 MiB: only its first bytes are sniffed, and decoders ignore what follows IEND. */
function oneMegabytePng(): Uint8Array {
  const bytes = new Uint8Array(1024 * 1024);
  bytes.set(fixture('photo.png'));
  return bytes;
}

function memoForm(fields: Record<string, string | [Uint8Array, string]>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, typeof value === 'string' ? value : new File([value[0]], value[1]));
  return form;
}

const threeFiles = () => ({
  image_0: [fixture('photo.jpg'), 'photo.jpg'] as [Uint8Array, string],
  image_1: [fixture('photo.webp'), 'photo.webp'] as [Uint8Array, string],
  audio_0: [fixture('recorded-webm-named.wav'), 'audio_0.wav'] as [Uint8Array, string],
});

async function expectOk(response: Response) {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response;
}

export async function benchMemos() {
  const { userId, headers } = await benchUser();
  const post = (fields: Parameters<typeof memoForm>[0]) => fetch(`${API}/memo`, { method: 'POST', headers, body: memoForm(fields) });
  const listDay = () => fetch(`${API}/memo/list?tz=${encodeURIComponent(TZ)}&start_date=${DAY}&end_date=${DAY}`, { headers });

  console.log(`\nSeeding ${MEMOS} memos with 3 attachments each on ${DAY} (${TZ})...`);
  await load((i) => post({ content: `Memo ${i}`, tags: 'bench', ...threeFiles() }).then(expectOk), { requests: MEMOS, concurrency: 8 });
  // Creation time is the server's clock; spread the memos over the measured local day.
  await devSql().query(
    `update memos set created_at = ($2::date::timestamp at time zone $3) + (numbered.n * interval '14 minutes')
     from (select id as memo_id, row_number() over (order by id) as n from memos where user_id = $1) numbered
     where id = numbered.memo_id`,
    [userId, DAY, TZ],
  );
  const coldStart = performance.now();
  const day = (await (await expectOk(await listDay())).json()) as { attachments: { url: string }[] }[];
  const cold = performance.now() - coldStart;
  const firstUrl = day[0]?.attachments[0]?.url ?? '';
  const served = await fetch(firstUrl);
  await served.arrayBuffer();
  console.log(`  the day lists ${day.length} memos, ${day.flatMap((memo) => memo.attachments).length} attachments; first list (signs every URL): ${cold.toFixed(1)} ms`);
  console.log(`  URL mode: ${firstUrl.includes('X-Amz-Signature') ? 'presigned S3 (R2 S3 credentials set)' : 'signed Worker URL (HMAC)'}; first URL answers ${served.status} ${served.headers.get('Content-Type')}`);

  const one = (await (await expectOk(await post({ content: 'round trips', image_0: [fixture('photo.png'), 'p.png'] }))).json()) as { id: string };
  const ticket = (await (
    await expectOk(await fetch(`${API}/memo/uploads`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ content_type: 'image/gif', size: fixture('photo.gif').length }) }))
  ).json()) as { id: string; upload_url: string; headers: Record<string, string> };
  await expectOk(await fetch(ticket.upload_url, { method: 'PUT', headers: ticket.headers, body: fixture('photo.gif') }));

  console.log('\nRound trips per request (Neon / Upstash; Upstash is the auth guard), each measured alone on an idle server:');
  const rows: [string, () => Promise<Response>][] = [
    ['POST /memo (1 image)', () => post({ content: 'x', image_0: [fixture('photo.png'), 'p.png'] })],
    ['POST /memo/uploads', () => fetch(`${API}/memo/uploads`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ content_type: 'image/png', size: 469 }) })],
    ['POST /memo (upload_ids)', () => post({ content: 'x', upload_ids: ticket.id })],
    [`GET /memo/list (${MEMOS} memos, ${MEMOS * 3} URLs)`, listDay],
    ['GET /memo/{id}', () => fetch(`${API}/memo/${one.id}`, { headers })],
    ['PUT /memo/{id} (keep none, 1 new file)', () => fetch(`${API}/memo/${one.id}`, { method: 'PUT', headers, body: memoForm({ content: 'y', new_image_0: [fixture('photo.gif'), 'g.gif'] }) })],
    ['DELETE /memo/{id}', () => fetch(`${API}/memo/${one.id}`, { method: 'DELETE', headers })],
  ];
  for (const [name, send] of rows) {
    const counted = await countRoundTrips(send);
    console.log(`  ${name.padEnd(46)} ${String(counted.status).padStart(3)}   Neon ${counted.neon}   Upstash ${counted.upstash}`);
  }

  console.log('\nUnder load (URLs signed within the current 10-minute window are reused by the isolate):');
  console.log(formatLoad(`GET /memo/list, a day of ${MEMOS} memos (16 clients)`, await load(listDay, { requests: 500, concurrency: 16 })));
  console.log(formatLoad(`GET /memo/list, a day of ${MEMOS} memos (1 client)`, await load(listDay, { requests: 200, concurrency: 1 })));
  const big = oneMegabytePng();
  const create = await load(() => post({ content: 'big', image_0: [big, 'big.png'] }), { requests: 50, concurrency: 1 });
  console.log(formatLoad('POST /memo with a 1 MB image (1 client)', create));
  if (create.errors > 0) throw new Error('creating with a 1 MB image failed');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await withDevServer(benchMemos);
