// Embedded PostgreSQL (PGlite, Postgres compiled to WASM) behind a TCP socket that speaks the
// Postgres wire protocol, so node-postgres, the drizzle migrator and the Neon stand-in use it
// exactly like a real server. Only the dev-mode fallback of scripts/local-cloud.ts uses it.
//
// PGlite is a single backend session, so the server lets one connection in at a time (others wait
// their turn) and rolls back whatever a departing connection left open.
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { listen } from './http-util.ts';

// Startup-phase request codes (protocol version field) and the Terminate message type.
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const TERMINATE = 0x58; // 'X'

type Backend = { execProtocolRaw(message: Uint8Array): Promise<Uint8Array>; exec(sql: string): Promise<unknown>; close(): Promise<void> };

export type PgliteServer = { port: number; close(): Promise<void> };

export async function startPgliteServer(opts: { dataDir: string; port?: number; host?: string }): Promise<PgliteServer> {
  // Imported lazily: loading the WASM build costs time that runs with a real server never pay.
  const { PGlite } = await import('@electric-sql/pglite');
  const db: Backend = await PGlite.create({ dataDir: opts.dataDir });
  const sockets = new Set<Socket>();
  let turn: Promise<void> = Promise.resolve();

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.pause();
    turn = turn.then(() => serve(db, socket)).finally(() => sockets.delete(socket));
  });
  const port = await listen(server, opts.port ?? 0, opts.host ?? '127.0.0.1');
  return {
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await turn;
      await db.close();
    },
  };
}

/** Relays one client connection to the backend; resolves when the client is gone. */
function serve(db: Backend, socket: Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let pending: Buffer = Buffer.alloc(0);
    let started = false;
    let work: Promise<void> = Promise.resolve();

    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const messages: Buffer[] = [];
      let terminate = false;
      // Hand the backend whole messages only: startup messages are length-prefixed, later ones
      // carry a type byte before the length.
      while (!terminate) {
        const headerSize = started ? 5 : 4;
        if (pending.length < headerSize) break;
        const size = started ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
        if (pending.length < size) break;
        const message = pending.subarray(0, size);
        pending = pending.subarray(size);
        if (!started) {
          const code = message.readInt32BE(4);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            socket.write('N'); // no encryption; the client goes on in plain text
            continue;
          }
          if (code === CANCEL_REQUEST) {
            terminate = true;
            break;
          }
          started = true;
        } else if (message[0] === TERMINATE) {
          // Never forwarded: it would end the one backend session everybody shares.
          terminate = true;
          break;
        }
        messages.push(message);
      }
      const batch = Buffer.concat(messages);
      work = work
        .then(async () => {
          if (batch.length > 0) {
            const reply = await db.execProtocolRaw(batch);
            if (reply.length > 0 && socket.writable) socket.write(reply);
          }
          if (terminate) socket.end();
        })
        .catch(() => void socket.destroy());
    });

    socket.once('close', () => {
      // The next connection must not inherit an open or failed transaction.
      void work
        .then(() => (started ? db.exec('ROLLBACK') : undefined))
        .catch(() => {})
        .then(() => resolve());
    });
    socket.resume();
  });
}
