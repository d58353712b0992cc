// What a user at the edge waits for: the hot endpoints' p50 and p99 with the local Neon and Upstash
// endpoints answering at once and with 20 ms (plus jitter) per call, one client at a time; the
// bundle's size and startup CPU time. To measure another endpoint, add one line to `hotEndpoints`.
import { spawn } from 'node:child_process';
import { bundleSize, BUILD_DIR } from '../scripts/bundle-size.ts';
import { API, benchUser, DEV_ENDPOINTS, load } from './lib.ts';

const LATENCIES_MS = [0, 20];
const REQUESTS = 80;
const DAY = new Date().toISOString().slice(0, 10);
const TZ = 'UTC';

type Headers = Record<string, string>;
type Endpoint = { name: string; read: boolean; prepare: () => Promise<(i: number) => Promise<Response>> };

const jsonInit = (method: string, headers: Headers, body: unknown): RequestInit => ({ method, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function startedSession(headers: Headers): Promise<string> {
  const created = await fetch(`${API}/session`, jsonInit('POST', headers, { subject: 'Bench', duration: 25, break_duration: 5, created_at: new Date().toISOString() }));
  const { id } = (await created.json()) as { id: string };
  await fetch(`${API}/session/${id}/status`, jsonInit('PUT', headers, { status: 'started', updated_at: new Date().toISOString() }));
  return id;
}

function memoForm(content: string): FormData {
  const form = new FormData();
  form.append('content', content);
  form.append('tags', 'bench');
  return form;
}

/** A user of its own per endpoint, so one endpoint's writes never count against another's limits. */
const withUser = (build: (user: Headers) => Promise<(i: number) => Promise<Response>>) => async () => build((await benchUser()).headers);

export const hotEndpoints: Endpoint[] = [
  { name: 'GET /session/current', read: true, prepare: withUser(async (h) => (await startedSession(h), () => fetch(`${API}/session/current`, { headers: h }))) },
  { name: 'GET /session/list (one day)', read: true, prepare: withUser(async (h) => (await startedSession(h), () => fetch(`${API}/session/list?tz=${TZ}&start_date=${DAY}&end_date=${DAY}`, { headers: h }))) },
  {
    name: 'PUT /session/{id}/status (pause/resume)',
    read: false,
    prepare: withUser(async (h) => {
      const id = await startedSession(h);
      return (i) => fetch(`${API}/session/${id}/status`, jsonInit('PUT', h, { status: i % 2 === 0 ? 'paused' : 'started', updated_at: new Date().toISOString() }));
    }),
  },
  {
    name: 'GET /memo/list (a day of 10 memos)',
    read: true,
    prepare: withUser(async (h) => {
      for (let i = 0; i < 10; i++) await fetch(`${API}/memo`, { method: 'POST', headers: h, body: memoForm(`memo ${i}`) });
      return () => fetch(`${API}/memo/list?tz=${TZ}&start_date=${DAY}&end_date=${DAY}`, { headers: h });
    }),
  },
  { name: 'POST /memo (text)', read: false, prepare: withUser(async (h) => (i) => fetch(`${API}/memo`, { method: 'POST', headers: h, body: memoForm(`bench ${i}`) })) },
];

/** Sets the per-call latency of both local endpoints (their `PUT /__latency`). */
export async function setLocalCloudLatency(ms: number) {
  for (const endpoint of [DEV_ENDPOINTS.NEON_FETCH_ENDPOINT, DEV_ENDPOINTS.UPSTASH_REDIS_REST_URL]) {
    const response = await fetch(new URL(`/__latency?ms=${ms}`, endpoint), { method: 'PUT' });
    if (!response.ok) throw new Error(`could not set the latency of ${endpoint}: ${response.status}`);
  }
}

export async function benchHotEndpoints() {
  console.log(`\nHot endpoints at the edge: ${REQUESTS} requests each, 1 client, local endpoints at ${LATENCIES_MS.join(' and ')} ms per call (+ up to 25% jitter):`);
  const ms = (value: number) => value.toFixed(1).padStart(7);
  console.log(`  ${'endpoint'.padEnd(42)} ${LATENCIES_MS.map((l) => `p50@${l}`.padStart(7) + `p99@${l}`.padStart(8)).join(' ')}   read aim: p50@20 < p50@0 + 30`);
  for (const endpoint of hotEndpoints) {
    const send = await endpoint.prepare();
    const results = [];
    for (const latency of LATENCIES_MS) {
      await setLocalCloudLatency(latency);
      results.push(await load(send, { requests: REQUESTS, concurrency: 1 }));
    }
    await setLocalCloudLatency(0);
    const [atZero, atTwenty] = results;
    const verdict = endpoint.read && atZero && atTwenty ? (atTwenty.p50 < atZero.p50 + 1.5 * 20 ? 'met' : 'MISSED') : '';
    const errors = results.reduce((sum, r) => sum + r.errors, 0);
    console.log(`  ${endpoint.name.padEnd(42)} ${results.map((r) => `${ms(r.p50)} ${ms(r.p99)}`).join(' ')}   ${verdict}${errors ? `   ${errors} errors` : ''}`);
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

/**
 * The production bundle (`npm run build`'s) and `wrangler check startup`'s CPU profile of its start.
 * One profile samples every few milliseconds and a run varies by ±15%, so the figure is the median
 * of five runs back to back, with their range.
 */
export async function benchBundle() {
  await run('wrangler', ['deploy', '--dry-run', '--outdir', BUILD_DIR]);
  const { kib, gzipKib } = bundleSize();
  const runs: number[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const startup = (await run('wrangler', ['check', 'startup', '--outfile', '.wrangler/worker-startup.cpuprofile'])).replace(/\x1b\[[0-9;]*m/g, '');
    const active = /Active: ([\d.]+) ms/.exec(startup)?.[1];
    if (active) runs.push(Number(active));
  }
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)];
  console.log('\nBundle and start-up (wrangler deploy --dry-run; wrangler check startup, 5 runs):');
  console.log(`  bundle ${kib.toFixed(0)} KiB, gzip ${gzipKib.toFixed(0)} KiB   startup CPU (active) median ${median ?? 'not reported'} ms, range ${runs[0]}–${runs.at(-1)} ms`);
}
