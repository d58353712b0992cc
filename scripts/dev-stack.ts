// Where one `npm run dev` lives, derived from its API port alone, so that two checkouts (or two
// branches of one) run side by side without sharing a database, a Redis, a bucket or a port.
// The default port keeps the historical addresses that .dev.vars.example and older notes name.
import { readFileSync } from 'node:fs';

export const DEFAULT_DEV_PORT = 8787;
const DEV_TOKEN = 'local-dev-token';

export type DevStack = {
  apiPort: number;
  neonPort: number;
  upstashPort: number;
  /** wrangler's DevTools port; `undefined` is wrangler's own choice (9229, racy when two start at once). */
  inspectorPort: number | undefined;
  databaseName: string;
  /** The machine's shared redis (default port only) or a redis-server of this stack's own. */
  redis: 'shared' | 'dedicated';
  /** Miniflare's state folder (R2 objects, queues); `undefined` is wrangler's default. */
  persistTo: string | undefined;
  /** The local mail catcher (scripts/mail-catcher.ts): its page lists what the Worker mailed. */
  mailPort: number;
};

/** The dev API port: `PORT`, else 8787. */
export function devPort(env: NodeJS.ProcessEnv = process.env): number {
  const port = Number(env.PORT ?? DEFAULT_DEV_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Invalid PORT: ${env.PORT}`);
  return port;
}

/**
 * 8787 → endpoints on 4444 and 8079, the shared redis, `omood_dev`, wrangler's default state.
 * Any other port P → endpoints on P+10000 and P+20000, DevTools on P+30000, a redis-server of
 * its own, `omood_dev_P` and `.wrangler/state-P` (else the orphan sweep of one stack deletes the
 * other's objects). The mail catcher is on 8025, or P+1000.
 */
export function devStack(apiPort = devPort()): DevStack {
  if (apiPort === DEFAULT_DEV_PORT) {
    return { apiPort, neonPort: 4444, upstashPort: 8079, inspectorPort: undefined, databaseName: 'omood_dev', redis: 'shared', persistTo: undefined, mailPort: 8025 };
  }
  const inspectorPort = apiPort + 30000;
  if (inspectorPort > 65535) throw new Error(`PORT ${apiPort} is too high: the dev stack also uses PORT+10000, +20000 and +30000; use a PORT up to 35535`);
  return {
    apiPort,
    neonPort: apiPort + 10000,
    upstashPort: apiPort + 20000,
    inspectorPort,
    databaseName: `omood_dev_${apiPort}`,
    redis: 'dedicated',
    persistTo: `.wrangler/state-${apiPort}`,
    mailPort: apiPort + 1000,
  };
}

/** What the Worker of `stack` gets for the local cloud (the same values `npm run dev` passes). */
export function devEndpoints(stack: DevStack = devStack()) {
  return {
    DATABASE_URL: `postgresql://omood:omood@localhost/${stack.databaseName}`,
    NEON_FETCH_ENDPOINT: `http://127.0.0.1:${stack.neonPort}/sql`,
    UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${stack.upstashPort}`,
    UPSTASH_REDIS_REST_TOKEN: DEV_TOKEN,
  };
}

export const devApiUrl = (stack: DevStack = devStack()) => `http://127.0.0.1:${stack.apiPort}`;

/** KEY=value lines of a .dev.vars file. */
export function readDevVars(path = '.dev.vars'): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) vars[match[1] as string] = match[2] as string;
  }
  return vars;
}

/**
 * The `wrangler dev` arguments that bind the Worker to `stack`: its port and state folder, the
 * local cloud's addresses, and a local R2 S3 endpoint moved to this stack's port (presigned URLs
 * must point at the server that holds the bucket). A remote R2_S3_ENDPOINT is left alone.
 */
export function wranglerDevArgs(stack: DevStack, cloudEnv: Record<string, string>, devVars: Record<string, string>, defaults: Record<string, string> = {}): string[] {
  // Defaults (the mail catcher's address) give way to what a developer set in .dev.vars.
  const chosen = Object.fromEntries(Object.entries(defaults).filter(([key]) => !devVars[key]));
  const vars: Record<string, string> = { ...chosen, ...cloudEnv };
  const s3 = devVars.R2_S3_ENDPOINT;
  if (s3 && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(s3)) {
    const url = new URL(s3);
    url.port = String(stack.apiPort);
    vars.R2_S3_ENDPOINT = url.toString().replace(/\/$/, '');
  }
  return [
    'dev', '--local', '--ip', '127.0.0.1', '--port', String(stack.apiPort), '--test-scheduled', '--show-interactive-dev-session=false',
    ...(stack.persistTo ? ['--persist-to', stack.persistTo] : []),
    ...(stack.inspectorPort ? ['--inspector-port', String(stack.inspectorPort)] : []),
    ...Object.entries(vars).flatMap(([key, value]) => ['--var', `${key}:${value}`]),
  ];
}
