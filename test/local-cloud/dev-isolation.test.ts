// Two `npm run dev` stacks side by side (issue 11, item 10): each API port gets its own local
// endpoints, Redis, database, bucket state and R2 S3 endpoint. Runs in Node (it starts servers),
// against the machine's PostgreSQL like `npm run dev` does.
import { Redis } from '@upstash/redis';
import { neon, neonConfig } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devEndpoints, devStack, wranglerDevArgs } from '../../scripts/dev-stack.ts';
import { startLocalCloud, type LocalCloud } from '../../scripts/local-cloud.ts';
import { dropDatabase } from '../../scripts/services.ts';

// Two API ports no developer uses, different for every run of the suite.
const first = 21000 + Math.floor(Math.random() * 12000);
const ports = [first, first + 1] as const;
const clouds: LocalCloud[] = [];

beforeAll(async () => {
  for (const port of ports) clouds.push(await startLocalCloud({ mode: 'dev', stack: devStack(port) }));
}, 90_000);

afterAll(async () => {
  for (const cloud of clouds) {
    await cloud.stop();
    await dropDatabase(cloud.pgAdminUrl, cloud.databaseName);
  }
});

const redisOf = (cloud: LocalCloud) =>
  new Redis({ url: cloud.env.UPSTASH_REDIS_REST_URL, token: cloud.env.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false, enableAutoPipelining: false });

function sqlOf(cloud: LocalCloud) {
  // A global of the Neon client, set before each use.
  neonConfig.fetchEndpoint = cloud.env.NEON_FETCH_ENDPOINT;
  return neon(cloud.env.DATABASE_URL);
}

describe('two dev stacks on different PORTs', () => {
  it('derive different endpoints, databases and state folders, and the env bench/ reads is what runs', () => {
    const [a, b] = clouds as [LocalCloud, LocalCloud];
    expect(a.env).toEqual(devEndpoints(devStack(ports[0])));
    expect(b.env).toEqual(devEndpoints(devStack(ports[1])));
    for (const key of ['DATABASE_URL', 'NEON_FETCH_ENDPOINT', 'UPSTASH_REDIS_REST_URL'] as const) expect(a.env[key]).not.toBe(b.env[key]);
    expect(devStack(ports[0]).persistTo).not.toBe(devStack(ports[1]).persistTo);
  });

  it('share no Redis state', async () => {
    const [a, b] = clouds.map(redisOf) as [Redis, Redis];
    const key = `isolation:${crypto.randomUUID()}`;
    await a.set(key, 'first stack');
    expect(await a.get(key)).toBe('first stack');
    expect(await b.get(key)).toBeNull();
  });

  it('share no Postgres state', async () => {
    const id = crypto.randomUUID();
    await sqlOf(clouds[0]!).query('insert into users (id, email, name) values ($1, $2, $3)', [id, `${id}@isolation.test`, 'A']);
    expect(await sqlOf(clouds[0]!).query('select id from users where id = $1', [id])).toHaveLength(1);
    expect(await sqlOf(clouds[1]!).query('select id from users where id = $1', [id])).toHaveLength(0);
  });

  it('sign R2 URLs for their own wrangler dev, on their own port and bucket state', () => {
    const localS3 = { R2_S3_ENDPOINT: 'http://127.0.0.1:8787/cdn-cgi/local/r2/s3' };
    const args = wranglerDevArgs(devStack(ports[1]), clouds[1]!.env, localS3);
    expect(args).toContain(`R2_S3_ENDPOINT:http://127.0.0.1:${ports[1]}/cdn-cgi/local/r2/s3`);
    expect(args.join(' ')).toContain(`--port ${ports[1]} `);
    expect(args.join(' ')).toContain(`--persist-to .wrangler/state-${ports[1]}`);
    expect(args.join(' ')).toContain(`--inspector-port ${ports[1] + 30000}`);
    // A real R2 endpoint is not a local one: it stays as configured.
    const remote = wranglerDevArgs(devStack(ports[1]), clouds[1]!.env, { R2_S3_ENDPOINT: 'https://acc.r2.cloudflarestorage.com' });
    expect(remote.some((arg) => arg.startsWith('R2_S3_ENDPOINT:'))).toBe(false);
  });

  it('keep the historical addresses on the default port', () => {
    expect(devEndpoints(devStack(8787))).toMatchObject({
      DATABASE_URL: 'postgresql://omood:omood@localhost/omood_dev',
      NEON_FETCH_ENDPOINT: 'http://127.0.0.1:4444/sql',
      UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:8079',
    });
  });
});
