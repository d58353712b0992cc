// Account benchmarks against `npm run dev`: round trips of the email account routes, the profile
// and leaving, and one cron purge of a user with 1,000 memos and a file each, with its
// subrequests. Run alone with `npx node bench/accounts.ts`.
import { pathToFileURL } from 'node:url';
import { AwsClient } from 'aws4fetch';
import { devStack } from '../scripts/dev-stack.ts';
import { API, benchUser, countRoundTrips, devSql, devVars, roundTrips, withDevServer } from './lib.ts';

const PASSWORD = 'a long walk by the river';
const PURGED_MEMOS = 1000;
const MAIL_CATCHER = `http://127.0.0.1:${devStack().mailPort}`;
/** Sign-in routes are limited per client IP; each run of the bench comes from an address of its own. */
const clientIp = `2001:db8::${Math.floor(Math.random() * 0xffff).toString(16)}`;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${API}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': clientIp, ...headers }, body: JSON.stringify(body) });

const sendJson = (method: string, path: string, headers: Record<string, string>, body: unknown) =>
  fetch(`${API}${path}`, { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function linkToken(to: string, path: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const mails = (await (await fetch(`${MAIL_CATCHER}/emails?to=${encodeURIComponent(to)}`)).json()) as { text: string }[];
    const match = mails.map((mail) => new RegExp(`${path}\\?token=([\\w%-]+)`).exec(mail.text)).find(Boolean);
    if (match?.[1]) return decodeURIComponent(match[1]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${path} mail to ${to} at ${MAIL_CATCHER} (is EMAIL_PROVIDER set to log in .dev.vars?)`);
}

const bearerOf = (response: Response) => ({ Authorization: `Bearer ${/omood_at=([^;]+)/.exec(response.headers.get('Set-Cookie') ?? '')?.[1]}` });

async function row(name: string, send: () => Promise<Response>) {
  let response: Response | undefined;
  const counted = await countRoundTrips(async () => (response = await send()).clone());
  console.log(`  ${name.padEnd(48)} ${String(counted.status).padStart(3)}   Neon ${counted.neon}   Upstash ${counted.upstash}`);
  return response!;
}

async function benchEmailAccount() {
  console.log('\nAccounts: round trips per request (Neon / Upstash), each measured alone on an idle server (mail goes out from the queue, after the answer):');
  const email = `bench-${crypto.randomUUID()}@bench.test`;
  await row('POST /auth/email/register', () => post('/auth/email/register', { email, password: PASSWORD, name: 'Bench' }));
  const verified = await row('POST /auth/email/verify', async () => post('/auth/email/verify', { token: await linkToken(email, '/auth/verify') }));
  await row('POST /auth/email/login', () => post('/auth/email/login', { email, password: PASSWORD }));
  await row('POST /auth/email/login (wrong password, 401)', () => post('/auth/email/login', { email, password: 'not the password at all' }));
  const headers = bearerOf(verified);
  await row('GET /user/me', () => fetch(`${API}/user/me`, { headers }));
  await row('PATCH /user/me', () => sendJson('PATCH', '/user/me', headers, { name: 'Bench renamed' }));
  await row('DELETE /user/me (grace period)', () => sendJson('DELETE', '/user/me', headers, { confirm: email }));
  const restored = await row('POST /auth/email/login (restores the account)', () => post('/auth/email/login', { email, password: PASSWORD }));
  await row('DELETE /user/me (immediately)', () => sendJson('DELETE', '/user/me', bearerOf(restored), { confirm: email, immediately: true }));
  await row('POST /auth/email/login (being purged, 409)', () => post('/auth/email/login', { email, password: PASSWORD }));
}

/** 1,000 memos written straight to the dev database, each with a file put in the local bucket over its S3 API. */
async function seedMemosWithFiles(userId: string) {
  const vars = devVars();
  const s3 = new AwsClient({ accessKeyId: vars.R2_ACCESS_KEY_ID!, secretAccessKey: vars.R2_SECRET_ACCESS_KEY!, service: 's3', region: 'auto' });
  const bucket = vars.R2_BUCKET_NAME ?? 'omood-attachments';
  const keys = Array.from({ length: PURGED_MEMOS }, (_, i) => `${userId}/${crypto.randomUUID()}-${i}.png`);
  for (let i = 0; i < keys.length; i += 32) {
    await Promise.all(
      keys.slice(i, i + 32).map(async (key) => {
        const put = await s3.fetch(`${vars.R2_S3_ENDPOINT}/${bucket}/${key}`, { method: 'PUT', body: new Uint8Array(469), headers: { 'Content-Type': 'image/png' } });
        if (!put.ok) throw new Error(`seeding ${key}: ${put.status} ${await put.text()}`);
      }),
    );
  }
  await devSql().query(
    `insert into memos (id, user_id, content, attachments)
     select lpad(to_hex(g), 8, '0') || substr(md5(random()::text), 1, 16), $1, 'bench memo ' || g,
            jsonb_build_array(jsonb_build_object('id', g::text, 'type', 'image', 'filename', split_part(key, '/', 2), 'size', 469))
     from unnest($2::text[]) with ordinality as k(key, g)`,
    [userId, keys],
  );
}

async function cronRun() {
  const before = await roundTrips();
  const started = performance.now();
  await (await fetch(`${API}/__scheduled?cron=*+*+*+*+*`)).text();
  const wallMs = performance.now() - started;
  const after = await roundTrips();
  return { neon: after.neon - before.neon, upstash: after.upstash - before.upstash, wallMs };
}

async function benchPurge() {
  const { userId, headers } = await benchUser();
  await seedMemosWithFiles(userId);
  // The minute's other jobs settle after a run or two (a sweep page, a requeue); the last idle run is the baseline.
  await cronRun();
  await cronRun();
  const idle = await cronRun();
  const deleted = await sendJson('DELETE', '/user/me', headers, { confirm: `${userId}@bench.test`, immediately: true });
  if (deleted.status !== 202) throw new Error(`DELETE /user/me: ${deleted.status} ${await deleted.text()}`);
  const purge = await cronRun();
  const [left] = (await devSql().query(
    'select (select count(*) from users where id = $1)::int as users, (select count(*) from memos where user_id = $1)::int as memos',
    [userId],
  )) as [{ users: number; memos: number }];
  // R2 calls are not counted by the local cloud; the purge makes one list and one delete per page of 1,000 keys.
  const r2Calls = 2 * Math.ceil(PURGED_MEMOS / 1000);
  const neon = purge.neon - idle.neon;
  const upstash = purge.upstash - idle.upstash;
  console.log(`\nCron purge of a user with ${PURGED_MEMOS} memos and ${PURGED_MEMOS} files (the minute's other jobs subtracted: a run with nothing to purge took Neon ${idle.neon}, Upstash ${idle.upstash}, ${idle.wallMs.toFixed(0)} ms):`);
  console.log(`  wall ${(purge.wallMs - idle.wallMs).toFixed(0)} ms more   subrequests ${neon + upstash + r2Calls} (Neon ${neon}, Upstash ${upstash}, R2 ${r2Calls}; limit 1000)   left afterwards: ${left.users} user rows, ${left.memos} memos`);
}

export async function benchAccounts() {
  await benchEmailAccount();
  await benchPurge();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await withDevServer(benchAccounts);
