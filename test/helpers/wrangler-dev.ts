// A `wrangler dev` of this project on free ports, for the Node-side tests that need a real server
// (a browser, or the bare command itself). Resolves once wrangler says "Ready on", with what it printed.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/proc.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface WranglerDev {
  child: ChildProcess;
  origin: string;
  output: string;
  /** Ends wrangler and the workerd it started: npx, wrangler and workerd are one process group. */
  stop(): void;
}

export async function startWranglerDev(args: string[], env: Record<string, string> = {}): Promise<WranglerDev> {
  const [port, inspector] = [await freePort(), await freePort()];
  const child = spawn('npx', ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector), ...args], {
    cwd: root,
    env: { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'log', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const output = await new Promise<string>((resolve, reject) => {
    let printed = '';
    const look = (chunk: Buffer) => {
      printed += chunk.toString();
      if (/Ready on/.test(printed)) resolve(printed);
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.on('exit', () => reject(new Error(`wrangler dev exited:\n${printed}`)));
    setTimeout(() => reject(new Error(`wrangler dev was not ready within 50 s:\n${printed}`)), 50_000).unref();
  }).catch((error: unknown) => {
    stop();
    throw error;
  });
  return { child, origin: `http://127.0.0.1:${port}`, output, stop };
}
