// `npm run dev`: the local cloud (PostgreSQL + Redis behind the Neon and Upstash stand-ins), then
// `wrangler dev` on http://127.0.0.1:8787 with the scheduled-test route (/__scheduled) enabled.
// The stand-ins' addresses are passed with --var so they always match what is running, whatever
// an older .dev.vars says; everything else comes from .dev.vars (created from the example).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { startLocalCloud } from './local-cloud.ts';

const PORT = process.env.PORT ?? '8787';

if (!existsSync('.dev.vars')) {
  copyFileSync('.dev.vars.example', '.dev.vars');
  console.log('[dev] created .dev.vars from .dev.vars.example');
}

const cloud = await startLocalCloud({ mode: 'dev' });
const vars = Object.entries(cloud.env).flatMap(([key, value]) => ['--var', `${key}:${value}`]);
const wrangler = spawn('wrangler', ['dev', '--local', '--ip', '127.0.0.1', '--port', PORT, '--test-scheduled', '--show-interactive-dev-session=false', ...vars], {
  stdio: 'inherit',
});

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  wrangler.kill('SIGTERM');
  await cloud.stop();
  process.exit(code);
}
wrangler.on('exit', (code) => void shutdown(code ?? 0));
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
