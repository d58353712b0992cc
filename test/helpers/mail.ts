import { env } from 'cloudflare:workers';
import type { CaughtMail } from '../../scripts/mail-catcher.ts';

/** The mails the catcher holds for `to`, oldest first. */
export async function mailsTo(to: string): Promise<CaughtMail[]> {
  const response = await fetch(`${env.EMAIL_API_URL}/emails?to=${encodeURIComponent(to)}`);
  return (await response.json()) as CaughtMail[];
}

/** Waits for the queue consumer to deliver the `count`-th mail to `to` (mail goes out from the queue, not the request). */
export async function waitForMail(to: string, count = 1, timeoutMs = 10_000): Promise<CaughtMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailsTo(to);
    if (mails.length >= count) return mails[count - 1]!;
    if (Date.now() > deadline) throw new Error(`no mail #${count} to ${to} within ${timeoutMs} ms (got ${mails.length})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The token of the first `{APP_URL}{path}?token=…` link in a mail's text. */
export function tokenIn(mail: CaughtMail, path: string): string {
  const match = new RegExp(`${env.APP_URL ?? 'http://127.0.0.1:3000'}${path}\\?token=([\\w%-]+)`).exec(mail.text);
  if (!match?.[1]) throw new Error(`no ${path} link in mail "${mail.subject}": ${mail.text}`);
  return decodeURIComponent(match[1]);
}
