// Process and port helpers for the service launcher.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';

export type RunResult = { code: number; stdout: string; stderr: string };

export type RunOptions = { timeoutMs?: number; env?: NodeJS.ProcessEnv };

/** Runs a command to completion without a shell; never throws for a non-zero exit. */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const options = { timeout: opts.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024, env: opts.env ?? process.env };
    execFile(command, args, options, (err, stdout, stderr) => {
      const exited = err === null || typeof err.code === 'number';
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      // When the command could not run at all (missing, timed out) the reason is in err.message.
      resolve({ code, stdout: String(stdout), stderr: exited ? String(stderr) : err.message });
    });
  });
}

/** Like run(), but throws with the command's output when it fails. */
export async function runOrThrow(command: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const result = await run(command, args, opts);
  if (result.code !== 0) {
    const output = (result.stderr || result.stdout).trim();
    throw new Error(`\`${[command, ...args].join(' ')}\` failed (exit ${result.code}): ${output}`);
  }
  return result.stdout;
}

/** Finds an executable on PATH (plus the sbin folders, which non-login root shells often lack). */
export async function which(name: string): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on 127.0.0.1:`port`. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Polls `probe` until it returns true or the deadline passes. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Installs Debian packages (root only); used when a service binary is missing. */
export async function aptInstall(packages: readonly string[]): Promise<void> {
  console.log(`[local-cloud] installing ${packages.join(' ')} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runOrThrow('apt-get', ['update'], { timeoutMs: 600_000, env });
  await runOrThrow('apt-get', ['install', '-y', ...packages], { timeoutMs: 900_000, env });
}
