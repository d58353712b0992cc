// A minimal RESP2 client over node:net. Unlike general-purpose Redis clients it keeps every reply
// type distinct (status vs bulk vs integer vs nil vs error) and bulk strings as raw bytes, because
// the Upstash REST protocol encodes each of them differently.
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export type RespReply =
  | { type: 'simple'; value: string }
  | { type: 'bulk'; value: Buffer }
  | { type: 'integer'; value: number }
  | { type: 'nil' }
  | { type: 'error'; message: string }
  | { type: 'array'; items: RespReply[] };

export type RespArg = string | Buffer;

const CRLF = Buffer.from('\r\n');

/** Encodes one command as a RESP array of bulk strings. */
function encodeCommand(args: readonly RespArg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'utf8') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

/**
 * Parses one reply from `buf` starting at `offset`. Returns the reply and the offset after it, or
 * undefined when the buffer does not yet hold a complete reply.
 */
function parseReply(buf: Buffer, offset = 0): { reply: RespReply; next: number } | undefined {
  const lineEnd = buf.indexOf(CRLF, offset);
  if (lineEnd < 0) return undefined;
  const prefix = String.fromCharCode(buf[offset]!);
  const line = buf.toString('utf8', offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (prefix) {
    case '+':
      return { reply: { type: 'simple', value: line }, next: afterLine };
    case '-':
      return { reply: { type: 'error', message: line }, next: afterLine };
    case ':':
      return { reply: { type: 'integer', value: Number(line) }, next: afterLine };
    case '$': {
      const length = Number(line);
      if (length < 0) return { reply: { type: 'nil' }, next: afterLine };
      const end = afterLine + length;
      if (buf.length < end + 2) return undefined;
      // Copy so the reply does not pin the (possibly large) receive buffer.
      return { reply: { type: 'bulk', value: Buffer.from(buf.subarray(afterLine, end)) }, next: end + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { reply: { type: 'nil' }, next: afterLine };
      const items: RespReply[] = [];
      let next = afterLine;
      for (let i = 0; i < count; i++) {
        const parsed = parseReply(buf, next);
        if (!parsed) return undefined;
        items.push(parsed.reply);
        next = parsed.next;
      }
      return { reply: { type: 'array', items }, next };
    }
    default:
      throw new Error(`RESP protocol error: unexpected reply prefix ${JSON.stringify(prefix)}`);
  }
}

type Pending = { resolve: (reply: RespReply) => void; reject: (err: Error) => void };

/** One Redis connection. Commands may be pipelined; replies resolve in order. */
export class RespConnection {
  readonly #socket: Socket;
  readonly #pending: Pending[] = [];
  #buffer: Buffer = Buffer.alloc(0);
  #failure: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => this.#fail(new Error('Redis connection closed')));
  }

  static open(port: number, host = '127.0.0.1', timeoutMs = 5000): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true });
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`Redis at ${host}:${port} did not answer in time`)));
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.off('error', reject);
        resolve(new RespConnection(socket));
      });
    });
  }

  /** False once the socket failed or closed; such a connection must be discarded. */
  get usable(): boolean {
    return this.#failure === undefined;
  }

  send(args: readonly RespArg[]): Promise<RespReply> {
    return this.sendMany([args]).then((replies) => replies[0]!);
  }

  /** Writes all commands in one go (pipelining) and resolves with their replies in order. */
  sendMany(commands: readonly (readonly RespArg[])[]): Promise<RespReply[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    const replies = commands.map(
      () => new Promise<RespReply>((resolve, reject) => this.#pending.push({ resolve, reject })),
    );
    this.#socket.write(Buffer.concat(commands.map(encodeCommand)));
    return Promise.all(replies);
  }

  close(): void {
    this.#fail(new Error('Redis connection closed by client'));
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let offset = 0;
    try {
      for (;;) {
        const parsed = parseReply(this.#buffer, offset);
        if (!parsed) break;
        offset = parsed.next;
        const pending = this.#pending.shift();
        if (!pending) throw new Error('RESP protocol error: reply without a pending command');
        pending.resolve(parsed.reply);
      }
    } catch (err) {
      this.#fail(err as Error);
      return;
    }
    this.#buffer = this.#buffer.subarray(offset);
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    this.#socket.destroy();
    for (const pending of this.#pending.splice(0)) pending.reject(this.#failure);
  }
}

/**
 * A small pool of connections. Each HTTP request borrows one for its whole lifetime, so a
 * MULTI…EXEC or a blocking command never interleaves with another request's commands.
 */
export class RespPool {
  readonly #port: number;
  readonly #host: string;
  readonly #maxIdle: number;
  readonly #idle: RespConnection[] = [];
  #closed = false;

  constructor(opts: { port: number; host?: string; maxIdle?: number }) {
    this.#port = opts.port;
    this.#host = opts.host ?? '127.0.0.1';
    this.#maxIdle = opts.maxIdle ?? 16;
  }

  async acquire(): Promise<RespConnection> {
    if (this.#closed) throw new Error('Redis pool is closed');
    for (let conn = this.#idle.pop(); conn; conn = this.#idle.pop()) {
      if (conn.usable) return conn;
    }
    return RespConnection.open(this.#port, this.#host);
  }

  /** Returns a connection; pass `reusable: false` when its session state may have changed. */
  release(conn: RespConnection, reusable = true): void {
    if (reusable && conn.usable && !this.#closed && this.#idle.length < this.#maxIdle) {
      this.#idle.push(conn);
    } else {
      conn.close();
    }
  }

  close(): void {
    this.#closed = true;
    for (const conn of this.#idle.splice(0)) conn.close();
  }
}
