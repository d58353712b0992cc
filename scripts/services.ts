// Finds or starts the real PostgreSQL and Redis servers behind the local cloud, and manages the
// databases on them. Each ensure* function returns `stop` only for what it started itself.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, chown, mkdir, readFile, readdir } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { startPgliteServer } from './pglite-server.ts';
import { aptInstall, freePort, isExecutable, isRoot, portIsFree, run, runOrThrow, waitFor, which } from './proc.ts';
import { RespConnection } from './resp.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MIGRATIONS_FOLDER = join(REPO_ROOT, 'drizzle');
const PROJECT_CLUSTER_DIR = join(REPO_ROOT, '.local', 'postgres');
const EMBEDDED_DATA_DIR = join(REPO_ROOT, '.local', 'pglite');
const DEBIAN_SOCKET_DIR = '/var/run/postgresql';

export type PostgresService = { adminUrl: string; stop?: () => Promise<void> };
export type RedisService = { port: number; host: string; pid?: number; stop?: () => Promise<void> };

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * Returns a superuser (or CREATEDB) connection URL: PG_ADMIN_URL if set, else a server already
 * running on this machine, else one we start (a stopped Debian cluster, or a project-local
 * cluster in .local/postgres), installing PostgreSQL first when we are root and it is missing.
 */
export async function ensurePostgres(): Promise<PostgresService> {
  const configured = process.env.PG_ADMIN_URL;
  if (configured) {
    const problem = await probePostgres(configured);
    if (problem) throw new Error(`PG_ADMIN_URL does not work: ${problem}`);
    return { adminUrl: configured };
  }
  const running = await firstWorking(candidateUrls(5432));
  if (running) return { adminUrl: running };
  return startPostgres(true);
}

async function startPostgres(mayInstall: boolean): Promise<PostgresService> {
  for (const cluster of await debianClusters()) {
    if (cluster.status !== 'down') continue;
    const ctl = ['--skip-systemctl-redirect', cluster.version, cluster.name];
    const started = await run('pg_ctlcluster', [...ctl, 'start']);
    if (started.code !== 0) {
      // Not fatal: a project-local cluster is still an option.
      const reason = started.stderr.trim() || `exit ${started.code}`;
      console.warn(`[local-cloud] could not start PostgreSQL cluster ${cluster.version}/${cluster.name}: ${reason}`);
      continue;
    }
    const adminUrl = await firstWorking(candidateUrls(cluster.port));
    if (adminUrl) {
      console.log(`[local-cloud] started PostgreSQL cluster ${cluster.version}/${cluster.name} on port ${cluster.port}`);
      return { adminUrl, stop: async () => void (await runOrThrow('pg_ctlcluster', [...ctl, 'stop'])) };
    }
  }
  const binDir = await postgresBinDir();
  if (binDir) return startProjectCluster(binDir);
  if (mayInstall && isRoot() && (await which('apt-get'))) {
    await aptInstall(['postgresql']);
    return startPostgres(false);
  }
  throw new Error(
    'PostgreSQL is not installed and no server answers on 127.0.0.1:5432. Install it with:\n' +
      '  sudo apt-get install -y postgresql postgresql-contrib\n' +
      'or point PG_ADMIN_URL at a server where you may create databases.',
  );
}

/**
 * Embedded PGlite (data in .local/pglite) behind a local wire-protocol socket: the dev fallback
 * when no PostgreSQL can be had. One session and one database (`postgres`), so not for tests.
 */
export async function startEmbeddedPostgres(): Promise<PostgresService> {
  await mkdir(EMBEDDED_DATA_DIR, { recursive: true });
  const server = await startPgliteServer({ dataDir: EMBEDDED_DATA_DIR });
  console.log(`[local-cloud] started embedded PGlite (${EMBEDDED_DATA_DIR}) on port ${server.port}`);
  return { adminUrl: `postgresql://postgres@127.0.0.1:${server.port}/postgres`, stop: server.close };
}

/** The URLs worth trying on a port: TCP and the Debian socket, as `postgres` and as ourselves. */
function candidateUrls(port: number): string[] {
  const users = [...new Set(['postgres', userInfo().username])];
  return users.flatMap((user) => [
    `postgresql://${user}@127.0.0.1:${port}/postgres`,
    // The host query parameter makes node-postgres use the unix socket in that directory.
    `postgresql://${user}@localhost:${port}/postgres?host=${encodeURIComponent(DEBIAN_SOCKET_DIR)}`,
  ]);
}

async function firstWorking(urls: string[]): Promise<string | undefined> {
  const problems = await Promise.all(urls.map(probePostgres));
  return urls.find((_, i) => problems[i] === undefined);
}

/** Undefined when `url` connects and may create databases, else a description of the problem. */
async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>(
      'SELECT rolsuper OR rolcreatedb AS ok FROM pg_roles WHERE rolname = current_user',
    );
    return rows[0]?.ok ? undefined : 'the role may not create databases';
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

type DebianCluster = { version: string; name: string; port: number; status: string };

async function debianClusters(): Promise<DebianCluster[]> {
  if (!(await which('pg_lsclusters'))) return [];
  const { code, stdout } = await run('pg_lsclusters', ['--no-header']);
  if (code !== 0) return [];
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 4)
    .map(([version, name, port, status]) => ({ version: version!, name: name!, port: Number(port), status: status! }));
}

/** The folder holding initdb and pg_ctl, preferring pg_config, then the newest Debian version. */
async function postgresBinDir(): Promise<string | undefined> {
  const candidates: string[] = [];
  if (await which('pg_config')) {
    const { code, stdout } = await run('pg_config', ['--bindir']);
    if (code === 0) candidates.push(stdout.trim());
  }
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = (await readdir(debianRoot)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debianRoot, v, 'bin')));
  }
  const initdb = await which('initdb');
  if (initdb) candidates.push(dirname(initdb));
  for (const dir of candidates) {
    if ((await isExecutable(join(dir, 'initdb'))) && (await isExecutable(join(dir, 'pg_ctl')))) return dir;
  }
  return undefined;
}

/**
 * Runs a cluster owned by this project: created once with trust auth, TCP on 127.0.0.1 only,
 * started on a free port. PostgreSQL refuses to run as root, so root runs it as `postgres`.
 */
async function startProjectCluster(binDir: string): Promise<PostgresService> {
  const asPostgres = isRoot();
  const dir = asPostgres ? await postgresOwnedDir() : PROJECT_CLUSTER_DIR;
  await mkdir(dir, { recursive: true });
  const dataDir = join(dir, 'data');
  const pgCommand = async (tool: string, args: string[]) => {
    const binary = join(binDir, tool);
    if (!asPostgres) return runOrThrow(binary, args, { timeoutMs: 60_000 });
    return runOrThrow((await which('runuser')) ?? 'runuser', ['-u', 'postgres', '--', binary, ...args], { timeoutMs: 60_000 });
  };

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await pgCommand('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale']);
    await appendFile(join(dataDir, 'postgresql.conf'), "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n");
  }

  // A cluster left running by an earlier process that did not stop it: reuse it.
  const runningPort = await projectClusterPort(dataDir, (args) => pgCommand('pg_ctl', args));
  if (runningPort !== undefined) {
    const adminUrl = `postgresql://postgres@127.0.0.1:${runningPort}/postgres`;
    if ((await probePostgres(adminUrl)) === undefined) return { adminUrl };
  }

  const port = await freePort();
  await pgCommand('pg_ctl', ['-D', dataDir, '-l', join(dir, 'postgres.log'), '-o', `-p ${port}`, '-w', '-t', '30', 'start']);
  console.log(`[local-cloud] started project PostgreSQL (${dataDir}) on port ${port}`);
  return {
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => void (await pgCommand('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop'])),
  };
}

/** The port of a running project cluster (line 4 of postmaster.pid), or undefined. */
async function projectClusterPort(dataDir: string, pgCtl: (args: string[]) => Promise<string>): Promise<number | undefined> {
  const running = await pgCtl(['-D', dataDir, 'status']).then(() => true, () => false);
  if (!running) return undefined;
  const pid = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const port = Number(pid.split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/**
 * As root, the cluster folder must belong to `postgres`, and every parent must let that user
 * through. .local/postgres in the repo works unless the repo sits somewhere private (e.g. /root);
 * then a per-repo folder under /var/tmp is used instead.
 */
async function postgresOwnedDir(): Promise<string> {
  const uid = Number((await runOrThrow('id', ['-u', 'postgres']).catch(() => '')).trim());
  const gid = Number((await runOrThrow('id', ['-g', 'postgres']).catch(() => '')).trim());
  if (!Number.isInteger(uid) || uid <= 0) {
    throw new Error('Running as root needs a `postgres` system user to own the local cluster (apt-get install postgresql creates it).');
  }
  const repoHash = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12);
  for (const dir of [PROJECT_CLUSTER_DIR, join('/var/tmp', `omood-postgres-${repoHash}`)]) {
    await mkdir(dir, { recursive: true });
    await chown(dir, uid, gid);
    const { code } = await run((await which('runuser')) ?? 'runuser', ['-u', 'postgres', '--', 'test', '-w', dir]);
    if (code === 0) return dir;
  }
  throw new Error('No folder is writable by the postgres user for the local cluster.');
}

/** The URL of database `name` on the server behind `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Unsupported database name: ${name}`);
  return `"${name}"`;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates database `name` unless it exists; resolves true when it was created. */
export async function createDatabase(adminUrl: string, name: string): Promise<boolean> {
  return withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    return true;
  });
}

/** Drops database `name` if it exists, disconnecting whoever still uses it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ version: string }>("SELECT current_setting('server_version_num') AS version");
    if (Number(rows[0]!.version) >= 130000) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    } else {
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
    }
  });
}

/**
 * Applies the drizzle-kit migrations in `migrationsFolder` (default: <repo>/drizzle) with
 * node-postgres, recording them in the same journal table `drizzle-kit migrate` uses.
 */
export async function migrateDatabase(url: string, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (!existsSync(join(migrationsFolder, 'meta', '_journal.json'))) {
    console.warn(`[local-cloud] no drizzle migrations in ${migrationsFolder}; the database stays empty`);
    return;
  }
  await withClient(url, (client) => migrate(drizzle({ client }), { migrationsFolder }));
}

// ---------------------------------------------------------------------------------------------
// Redis

const DEFAULT_REDIS_PORT = 6379;

/**
 * dedicated (tests): always a private redis-server on a free port, without persistence.
 * shared (dev): the redis on 127.0.0.1:6379 if it answers PING, else one we start.
 */
export async function ensureRedis(opts: { dedicated: boolean }): Promise<RedisService> {
  const host = '127.0.0.1';
  if (!opts.dedicated && (await pingRedis(host, DEFAULT_REDIS_PORT))) return { host, port: DEFAULT_REDIS_PORT };
  const binary = await redisServerBinary(true);
  const port = !opts.dedicated && (await portIsFree(DEFAULT_REDIS_PORT)) ? DEFAULT_REDIS_PORT : await freePort();
  return startRedisServer(binary, host, port);
}

async function redisServerBinary(mayInstall: boolean): Promise<string> {
  const binary = await which('redis-server');
  if (binary) return binary;
  if (mayInstall && isRoot() && (await which('apt-get'))) {
    await aptInstall(['redis-server']);
    return redisServerBinary(false);
  }
  throw new Error('redis-server is not installed. Install it with:\n  sudo apt-get install -y redis-server');
}

async function pingRedis(host: string, port: number): Promise<boolean> {
  let conn: RespConnection | undefined;
  try {
    conn = await RespConnection.open(port, host, 1000);
    const reply = await conn.send(['PING']);
    return reply.type === 'simple' && reply.value === 'PONG';
  } catch {
    return false;
  } finally {
    conn?.close();
  }
}

async function startRedisServer(binary: string, host: string, port: number): Promise<RedisService> {
  const args = ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', tmpdir()];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If this process dies without calling stop(), take the server down with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  let childExited = false;
  void exited.then(() => (childExited = true));
  const ready = await waitFor(async () => childExited || (await pingRedis(host, port)), 10_000, 50);
  if (!ready || childExited) {
    await stop();
    throw new Error(`redis-server did not start on ${host}:${port}:\n${output.trim()}`);
  }
  console.log(`[local-cloud] started redis-server (pid ${child.pid}) on ${host}:${port}`);
  return { host, port, pid: child.pid, stop };
}
