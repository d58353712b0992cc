// A local stand-in for Upstash Redis's REST API (`POST /`, `/pipeline`, `/multi-exec`), backed by a
// real redis-server, so a Worker using @upstash/redis runs unchanged. The wire protocol is
// documented in /work/shared/specs/local-cloud-protocols.md §2.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, closeServer, countingRequests, HttpError, listen, readBody, sendJson, urlHost } from './http-util.ts';
import { withLatency } from './latency.ts';
import { RespPool } from './resp.ts';
import type { RespConnection, RespReply } from './resp.ts';

const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

// Commands that change a connection's session state. A connection that ran one is closed rather
// than pooled, so one request can never leak a selected database or a subscription into another.
const SESSION_COMMANDS = new Set([
  'select', 'multi', 'exec', 'discard', 'watch', 'unwatch', 'subscribe', 'psubscribe',
  'ssubscribe', 'monitor', 'client', 'reset', 'quit', 'hello', 'auth', 'readonly', 'readwrite',
]);

export type UpstashRestServer = { url: string; port: number; token: string; close(): Promise<void> };

type Command = string[];
type Entry = { result: unknown } | { error: string };

export async function startUpstashRestServer(opts: {
  redisPort: number;
  redisHost?: string;
  token: string;
  port?: number;
  host?: string;
}): Promise<UpstashRestServer> {
  const host = opts.host ?? '127.0.0.1';
  const pool = new RespPool({ port: opts.redisPort, host: opts.redisHost ?? '127.0.0.1' });
  const expectedAuth = Buffer.from(`Bearer ${opts.token}`);
  // Echoed as `upstash-sync-token`; the client sends the latest value back (read-your-writes).
  let syncToken = 0;
  const scripts = new UpstashScriptFlags();

  const server = createServer(countingRequests(withLatency((req, res) => {
    res.setHeader('upstash-sync-token', String(++syncToken));
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) {
        sendJson(res, err.status, { error: err.message });
      } else if (err instanceof BodyTooLargeError) {
        sendJson(res, 413, { error: err.message });
      } else {
        // Redis unreachable or the connection dropped mid-request.
        sendJson(res, 500, { error: `ERR ${(err as Error).message}` });
      }
    });
  })));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = url.pathname.replace(/\/+$/, '') || '/';
    if (route !== '/' && route !== '/pipeline' && route !== '/multi-exec') {
      throw new HttpError(404, 'ERR unknown endpoint');
    }
    if (req.method !== 'POST') throw new HttpError(405, 'ERR method not allowed, use POST');
    if (!authorized(req, url)) throw new HttpError(401, 'Unauthorized');
    const body = await readJson(req);
    const base64 = String(req.headers['upstash-encoding']).toLowerCase() === 'base64';

    const conn = await pool.acquire();
    let reusable = true;
    try {
      if (route === '/') {
        const command = scripts.forRedis(parseCommand(body));
        reusable = !touchesSession(command);
        const reply = await conn.send(command);
        if (reply.type === 'error') throw new HttpError(400, reply.message);
        sendJson(res, 200, { result: toJson(reply, base64) });
      } else {
        const commands = parseCommandList(body).map((command) => scripts.forRedis(command));
        if (route === '/pipeline') {
          reusable = !commands.some(touchesSession);
          const replies = await conn.sendMany(commands);
          sendJson(res, 200, replies.map((reply) => toEntry(reply, base64)));
        } else {
          reusable = !commands.some(touchesSession);
          sendJson(res, 200, await multiExec(conn, commands, base64));
        }
      }
    } catch (err) {
      // A Redis error reply leaves the connection healthy; anything else may have broken it.
      if (!(err instanceof HttpError)) reusable = false;
      throw err;
    } finally {
      pool.release(conn, reusable);
    }
  }

  function authorized(req: IncomingMessage, url: URL): boolean {
    // Upstash also accepts the token as a `_token` query parameter.
    const queryToken = url.searchParams.get('_token');
    const given = Buffer.from(queryToken !== null ? `Bearer ${queryToken}` : (req.headers.authorization ?? ''));
    return given.length === expectedAuth.length && timingSafeEqual(given, expectedAuth);
  }

  const port = await listen(server, opts.port ?? 0, host);
  return {
    url: `http://${urlHost(host, port)}`,
    port,
    token: opts.token,
    async close() {
      await closeServer(server);
      pool.close();
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req, MAX_REQUEST_BYTES);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'ERR failed to parse the request body as JSON');
  }
}

/**
 * Upstash accepts a Lua shebang flag that open-source Redis refuses, `allow-key-locking` (it lets
 * Upstash lock only the script's keys; @upstash/ratelimit ≥ 2.2 sets it on every script). It
 * changes no result, so it is dropped before Redis sees the script. Clients still address the
 * script by the SHA1 of the text they sent, so EVALSHA of that SHA1 is mapped to the one Redis
 * knows; an unmapped SHA1 gets Redis's NOSCRIPT, and the client falls back to EVAL as usual.
 */
class UpstashScriptFlags {
  readonly #redisShaOf = new Map<string, string>();

  forRedis(command: Command): Command {
    const [name = '', first, ...rest] = command;
    if (first === undefined) return command;
    const lower = name.toLowerCase();
    if (lower === 'eval' || lower === 'eval_ro') {
      const script = withoutUpstashOnlyFlags(first);
      if (script !== first) this.#redisShaOf.set(sha1(first), sha1(script));
      return [name, script, ...rest];
    }
    if (lower === 'evalsha' || lower === 'evalsha_ro') return [name, this.#redisShaOf.get(first.toLowerCase()) ?? first, ...rest];
    return command;
  }
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

function withoutUpstashOnlyFlags(script: string): string {
  const shebang = script.match(/^#!lua[ \t]+flags=([^\s]*)/);
  if (!shebang?.[1]?.split(',').includes('allow-key-locking')) return script;
  const flags = shebang[1].split(',').filter((flag) => flag !== 'allow-key-locking');
  return `#!lua flags=${flags.join(',')}${script.slice(shebang[0].length)}`;
}

/** A JSON command array → Redis arguments; numbers and booleans become their text. */
function parseCommand(value: unknown): Command {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, 'ERR a command must be a non-empty JSON array');
  }
  return value.map((arg) => {
    if (typeof arg === 'string') return arg;
    if (typeof arg === 'number' || typeof arg === 'boolean') return String(arg);
    // The client turns null into "null" itself; a JSON null means an `undefined` slipped through.
    throw new HttpError(400, `ERR invalid argument ${JSON.stringify(arg)}: use strings, numbers or booleans`);
  });
}

function parseCommandList(value: unknown): Command[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, 'ERR the body must be a non-empty JSON array of commands');
  }
  return value.map(parseCommand);
}

function touchesSession(command: Command): boolean {
  return SESSION_COMMANDS.has(command[0]!.toLowerCase());
}

/**
 * Runs the commands inside MULTI…EXEC on the borrowed connection. If Redis refuses to queue one
 * (unknown command, wrong arity), EXEC answers EXECABORT and the whole request fails with 400.
 */
async function multiExec(conn: RespConnection, commands: Command[], base64: boolean): Promise<Entry[]> {
  const replies = await conn.sendMany([['MULTI'], ...commands, ['EXEC']]);
  const exec = replies[replies.length - 1]!;
  if (exec.type === 'error') throw new HttpError(400, exec.message);
  if (exec.type !== 'array') throw new HttpError(400, 'ERR transaction was aborted');
  return exec.items.map((reply) => toEntry(reply, base64));
}

function toEntry(reply: RespReply, base64: boolean): Entry {
  return reply.type === 'error' ? { error: reply.message } : { result: toJson(reply, base64) };
}

/**
 * RESP reply → JSON. With base64 on, every string (bulk and status, at any depth) is base64 of its
 * bytes: the client base64-decodes every string inside arrays, so a raw one would be corrupted.
 */
function toJson(reply: RespReply, base64: boolean): unknown {
  switch (reply.type) {
    case 'simple':
      return base64 ? Buffer.from(reply.value, 'utf8').toString('base64') : reply.value;
    case 'bulk':
      return base64 ? reply.value.toString('base64') : reply.value.toString('utf8');
    case 'integer':
      return reply.value;
    case 'nil':
      return null;
    case 'error':
      // Only reachable nested inside an array (e.g. a Lua table holding an error reply).
      return { error: reply.message };
    case 'array':
      return reply.items.map((item) => toJson(item, base64));
  }
}
