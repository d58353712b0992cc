// Shared pieces of the benchmarks: the dev server they measure, a closed-loop load generator, and
// request counters read from the local Neon and Upstash endpoints (how round trips are counted).
import { spawn, type ChildProcess } from 'node:child_process';
import { neon, neonConfig } from '@neondatabase/serverless';
import { SignJWT } from 'jose';
import { devApiUrl, devEndpoints, readDevVars } from '../scripts/dev-stack.ts';

/** The local cloud of the dev server measured: the one `PORT` (default 8787) derives. */
export const DEV_ENDPOINTS = devEndpoints();

export const API = process.env.OMOOD_API ?? devApiUrl();

/** The dev Worker's env as `npm run dev` sets it: .dev.vars, with the local cloud's addresses on top. */
export function devVars(): Record<string, string> {
  return { ...readDevVars(), ...DEV_ENDPOINTS };
}

async function isUp(): Promise<boolean> {
  try {
    return (await fetch(`${API}/health`)).ok;
  } catch {
    return false;
  }
}

/** Uses a running `npm run dev`, or starts one for the benchmark and stops it afterwards. */
export async function withDevServer<T>(run: () => Promise<T>): Promise<T> {
  let dev: ChildProcess | undefined;
  if (!(await isUp())) {
    console.log('(starting npm run dev for the benchmark)');
    dev = spawn('node', ['scripts/dev.ts'], { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
    const deadline = Date.now() + 90_000;
    while (!(await isUp())) {
      if (Date.now() > deadline) throw new Error('npm run dev did not become healthy within 90 s');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await run();
  } finally {
    if (dev?.pid) process.kill(-dev.pid, 'SIGTERM');
  }
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** A closed loop: `concurrency` clients each send their next request when the last one answered. */
export async function load(makeRequest: (i: number) => Promise<Response>, options: { requests: number; concurrency: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.requests) {
        const i = next++;
        const t0 = performance.now();
        const response = await makeRequest(i);
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!response.ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

export const formatLoad = (name: string, result: LoadResult) =>
  `${name.padEnd(44)} ${result.perSecond.toFixed(0).padStart(6)} req/s   p50 ${result.p50.toFixed(1).padStart(6)} ms   p99 ${result.p99.toFixed(1).padStart(6)} ms${result.errors ? `   ${result.errors} errors` : ''}`;

/** Requests each local endpoint has served so far (its `GET /__stats`). */
export async function roundTrips(): Promise<{ neon: number; upstash: number }> {
  const [neonStats, upstashStats] = await Promise.all(
    [DEV_ENDPOINTS.NEON_FETCH_ENDPOINT, DEV_ENDPOINTS.UPSTASH_REDIS_REST_URL].map(async (endpoint) => {
      const response = await fetch(new URL('/__stats', endpoint));
      return ((await response.json()) as { requests: number }).requests;
    }),
  );
  return { neon: neonStats as number, upstash: upstashStats as number };
}

/** Neon and Upstash round trips one request makes (the dev server must be otherwise idle). */
export async function countRoundTrips(send: () => Promise<Response>): Promise<{ neon: number; upstash: number; status: number }> {
  const before = await roundTrips();
  const response = await send();
  await response.arrayBuffer();
  const after = await roundTrips();
  return { neon: after.neon - before.neon, upstash: after.upstash - before.upstash, status: response.status };
}

export function devSql() {
  neonConfig.fetchEndpoint = DEV_ENDPOINTS.NEON_FETCH_ENDPOINT;
  return neon(DEV_ENDPOINTS.DATABASE_URL);
}

/** A user row in the dev database and a bearer token for it, signed with the dev JWT_SECRET. */
export async function benchUser(): Promise<{ userId: string; headers: Record<string, string> }> {
  const userId = crypto.randomUUID();
  await devSql().query('insert into users (id, email, name) values ($1, $2, $3)', [userId, `${userId}@bench.test`, 'Bench']);
  const secret = devVars().JWT_SECRET;
  if (!secret) throw new Error('JWT_SECRET missing from .dev.vars');
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
    .sign(new TextEncoder().encode(secret));
  return { userId, headers: { Authorization: `Bearer ${token}` } };
}
