import { z } from 'zod';
import type { Config } from '../env';
import { sendJobs } from './queue';

/**
 * The mail provider layer. A request never sends mail: it queues it (`queueMail`), and the queue
 * consumer sends it with retries, so a provider that is down delays a mail but never fails a
 * sign-up. `resend` speaks Resend's HTTP API (any compatible service works); `log` sends nothing.
 */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export async function queueMail(queue: Queue, mail: Mail) {
  await sendJobs(queue, [{ kind: 'send-mail', ...mail }]);
}

/** Only the domain of an address reaches a log: enough to see which provider bounced, nothing of whom. */
export const addressDomain = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

const sentAnswer = z.object({ id: z.string().min(1) });

export function createMailer(config: Config['mail']): Mailer {
  if (config.provider === 'log') {
    return {
      async send(mail) {
        // Never the text: mails carry sign-in links.
        console.log(JSON.stringify({ level: 'info', message: 'mail not sent (EMAIL_PROVIDER=log)', to_domain: addressDomain(mail.to), subject: mail.subject }));
      },
    };
  }
  return {
    async send(mail) {
      const response = await fetch(`${config.apiUrl.replace(/\/+$/, '')}/emails`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${config.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ from: config.from, to: [mail.to], subject: mail.subject, text: mail.text, html: mail.html }),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      // The status only: a provider's error body may echo the mail back.
      if (!response.ok) throw new Error(`mail provider answered ${response.status}`);
      const answer = sentAnswer.safeParse(await response.json().catch(() => undefined));
      if (!answer.success) throw new Error('mail provider answered without a message id');
    },
  };
}
