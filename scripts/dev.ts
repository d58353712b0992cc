// `npm run dev`: the local cloud (PostgreSQL + Redis behind the Neon and Upstash stand-ins), then
// `wrangler dev` on http://127.0.0.1:$PORT (default 8787) with the scheduled-test route
// (/__scheduled) enabled. Everything else is derived from PORT (scripts/dev-stack.ts), so a second
// `PORT=8791 npm run dev` shares nothing with the first. The stand-ins' addresses are passed with
// --var so they always match what is running, whatever an older .dev.vars says; everything else
// comes from .dev.vars (created from the example).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { devStack, readDevVars, wranglerDevArgs } from './dev-stack.ts';
import { startLocalCloud } from './local-cloud.ts';
import { startMailCatcher } from './mail-catcher.ts';

if (!existsSync('.dev.vars')) {
  copyFileSync('.dev.vars.example', '.dev.vars');
  console.log('[dev] created .dev.vars from .dev.vars.example');
}

const stack = devStack();
const cloud = await startLocalCloud({ mode: 'dev', stack });
// Mail goes to a local catcher that speaks Resend's API, unless .dev.vars names a provider.
const MAIL_KEY = 're_local_mail_catcher';
const mail = await startMailCatcher({ apiKey: MAIL_KEY, port: stack.mailPort });
console.log(`[dev] mail: ${mail.url} (what the API mails, links clickable)`);
const mailDefaults = { EMAIL_PROVIDER: 'resend', EMAIL_API_URL: mail.url, EMAIL_API_KEY: MAIL_KEY, EMAIL_FROM: 'Omood <no-reply@omood.localhost>' };
const wrangler = spawn('wrangler', wranglerDevArgs(stack, cloud.env, readDevVars(), mailDefaults), { stdio: 'inherit' });

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  wrangler.kill('SIGTERM');
  await Promise.all([cloud.stop(), mail.close()]);
  process.exit(code);
}
wrangler.on('exit', (code) => void shutdown(code ?? 0));
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
