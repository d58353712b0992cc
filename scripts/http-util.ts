// Small helpers shared by the two local HTTP stand-ins (Neon SQL-over-HTTP and Upstash REST).
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';

/** A failure a stand-in answers with this status, in its own service's error body. */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Thrown by readBody when a request body exceeds the limit; callers answer 413. */
export class BodyTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`request body is too large (max is ${limit} bytes)`);
    this.limit = limit;
  }
}

/** Reads the whole request body, refusing to buffer more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  sendText(res, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Starts listening and resolves with the bound port (useful when `port` is 0). */
export function listen(server: NetServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops accepting connections and resolves once the server is closed. Idle keep-alive sockets are
 * dropped at once; requests still in flight get a short grace period before their sockets are cut,
 * so a client holding a connection open can never block shutdown.
 */
export function closeServer(server: Server, graceMs = 1000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close((err) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

/** Formats host:port for a URL, bracketing IPv6 literals. */
export function urlHost(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Counts the requests an endpoint serves and answers `GET /__stats` with `{"requests": n}`: the
 * benchmarks count a Worker request's Neon and Upstash round trips this way. Local only; neither
 * real service has such a route, and the clients never call it.
 */
export function countingRequests(listener: RequestListener): RequestListener {
  let requests = 0;
  return (req, res) => {
    if (req.method === 'GET' && req.url === '/__stats') {
      sendJson(res, 200, { requests });
      return;
    }
    requests++;
    listener(req, res);
  };
}
