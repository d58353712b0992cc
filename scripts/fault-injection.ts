// Faults on demand, for tests of how the Worker behaves when a dependency hangs, dies or refuses.
// The tests run inside workerd and cannot signal processes, so this runs in Node (started by
// test/global-setup.ts) and takes orders over HTTP. Its dependencies are its own, so a paused or
// killed Redis never touches the stack the other test files share:
//
//   - a dedicated redis-server behind its own Upstash stand-in: POST /redis/pause, /redis/resume
//     (SIGSTOP/SIGCONT), /redis/kill (SIGKILL);
//   - a proxy in front of the shared Neon stand-in: POST /neon/hang holds every request until
//     POST /neon/pass; each held request is forwarded then;
//   - a Neon stand-in whose PostgreSQL is down (nothing listens at its address), which answers as
//     Neon does when it cannot reach the compute;
//   - an address where nothing listens (connection refused) for either protocol.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer, HttpError, listen, readBody, sendJson } from './http-util.ts';
import { startNeonHttpServer } from './neon-http-server.ts';
import { freePort } from './proc.ts';
import { ensureRedis } from './services.ts';
import { startUpstashRestServer } from './upstash-rest-server.ts';

export type FaultEnv = {
  /** Where tests send orders. */
  controlUrl: string;
  /** An Upstash endpoint whose redis-server the orders pause and kill. */
  upstashUrl: string;
  upstashToken: string;
  /** The shared Neon endpoint, through a proxy the orders make hang. */
  neonEndpoint: string;
  /** A Neon endpoint that cannot reach its PostgreSQL. */
  neonWithoutPostgres: string;
  /** An http:// origin where nothing listens. */
  refusedOrigin: string;
};

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function startFaultInjection(opts: { neonEndpoint: string }): Promise<{ env: FaultEnv; stop(): Promise<void> }> {
  const redis = await ensureRedis({ dedicated: true });
  const token = randomBytes(24).toString('base64url');
  const upstash = await startUpstashRestServer({ redisHost: redis.host, redisPort: redis.port, token });

  let hanging = false;
  let release: () => void = () => {};
  let released = Promise.resolve();
  const hang = () => {
    if (hanging) return;
    hanging = true;
    released = new Promise((resolve) => (release = resolve));
  };
  const pass = () => {
    hanging = false;
    release();
  };

  const neonProxy = createServer((req, res) => {
    forward(req, res).catch((err: Error) => sendJson(res, 502, { message: `fault proxy: ${err.message}` }));
  });
  async function forward(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req, MAX_BODY_BYTES);
    if (hanging) await released;
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host' && entry[0] !== 'content-length'),
    );
    const answer = await fetch(opts.neonEndpoint, { method: req.method, headers, body: req.method === 'POST' ? body : undefined });
    res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
  }

  const signal = (name: NodeJS.Signals) => {
    if (!redis.pid) throw new HttpError(409, 'the fault redis-server was not started here');
    process.kill(redis.pid, name);
  };
  const orders: Record<string, () => void> = {
    '/redis/pause': () => signal('SIGSTOP'),
    '/redis/resume': () => signal('SIGCONT'),
    '/redis/kill': () => signal('SIGKILL'),
    '/neon/hang': hang,
    '/neon/pass': pass,
  };
  const control = createServer((req, res) => {
    const order = orders[req.url ?? ''];
    if (req.method !== 'POST' || !order) return sendJson(res, 404, { error: 'unknown order' });
    try {
      order();
      sendJson(res, 200, { ok: true });
    } catch (err) {
      sendJson(res, err instanceof HttpError ? err.status : 500, { error: (err as Error).message });
    }
  });

  const host = '127.0.0.1';
  const [controlPort, proxyPort, refusedPort] = [await listen(control, 0, host), await listen(neonProxy, 0, host), await freePort()];
  const postgresDown = await startNeonHttpServer({ databaseUrl: `postgresql://postgres@${host}:${refusedPort}/postgres` });
  return {
    env: {
      controlUrl: `http://${host}:${controlPort}`,
      upstashUrl: upstash.url,
      upstashToken: token,
      neonEndpoint: `http://${host}:${proxyPort}/sql`,
      neonWithoutPostgres: postgresDown.url,
      refusedOrigin: `http://${host}:${refusedPort}`,
    },
    async stop() {
      pass();
      // A stopped redis-server ignores SIGTERM until it is continued.
      if (redis.pid) {
        try {
          process.kill(redis.pid, 'SIGCONT');
        } catch {
          // Already gone (killed by an order).
        }
      }
      await Promise.all([closeServer(control), closeServer(neonProxy), upstash.close(), postgresDown.close()]);
      await redis.stop?.();
    },
  };
}
