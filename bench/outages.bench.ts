// How long the hot endpoints take, and what they answer, while Redis is paused (SIGSTOP) and while
// the Neon endpoint hangs, each for PAUSE_MS (12 s, as in issue 11). Runs in workerd through the
// Worker's fetch handler with the default deadlines (wrangler.toml), against dependencies of its own
// (scripts/fault-injection.ts), so it shares nothing with a dev server or another checkout.
import { inject, it } from 'vitest';
// The types of what test/global-setup.ts provides.
import type {} from '../test/global-setup';
import { apiWith } from '../test/helpers/env-override';
import { createTestUser } from '../test/helpers/users';

const PAUSE_MS = 12_000;
const faults = inject('faults');
const day = 'tz=UTC&start_date=2026-01-01&end_date=2026-01-01';
const HOT = ['/session/current', '/auth/me', `/session/list?${day}`, `/memo/list?${day}`, '/health'];
const env = {
  UPSTASH_REDIS_REST_URL: faults.upstashUrl,
  UPSTASH_REDIS_REST_TOKEN: faults.upstashToken,
  NEON_FETCH_ENDPOINT: faults.neonEndpoint,
};
const order = (path: string) => fetch(`${faults.controlUrl}${path}`, { method: 'POST' });

it(`hot endpoints during a ${PAUSE_MS / 1000} s outage`, async () => {
  const user = await createTestUser();
  // Warm: caches filled and code loaded, so the numbers are the outage's.
  for (const path of HOT) await (await apiWith(env, path, { headers: user.bearer })).arrayBuffer();
  const lines = [`Hot endpoints during a ${PAUSE_MS / 1000} s outage (one request each, sent together when it starts):`];
  for (const [name, start, end] of [['Redis paused (SIGSTOP)', '/redis/pause', '/redis/resume'], ['Neon endpoint hanging', '/neon/hang', '/neon/pass']] as const) {
    await order(start);
    const release = setTimeout(() => void order(end), PAUSE_MS);
    const results = await Promise.all(
      HOT.map(async (path) => {
        const t0 = performance.now();
        const response = await apiWith(env, path, { headers: user.bearer });
        await response.arrayBuffer();
        return `  ${path.split('?')[0]?.padEnd(18)} ${response.status}  ${((performance.now() - t0) / 1000).toFixed(2)} s`;
      }),
    );
    clearTimeout(release);
    await order(end);
    lines.push(name, ...results);
  }
  console.log(lines.join('\n'));
});
