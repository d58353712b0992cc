import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { queueMail } from '../../src/platform/mail';
import { env } from '../helpers/api';
import { capturedLogs } from '../helpers/logs';
import { mailsTo, waitForMail } from '../helpers/mail';

const mail = (to: string) => ({ to, subject: 'Your link', text: 'Open https://app.test/auth/verify?token=secret-token-123', html: '<p>secret-token-123</p>' });

/** One send-mail message through the real consumer, with `overrides` on the Worker's env. */
async function consume(to: string, overrides: Record<string, string> = {}, queue = 'omood-jobs') {
  const batch = createMessageBatch(queue, [{ id: 'mail-1', timestamp: new Date(), attempts: 1, body: { kind: 'send-mail', ...mail(to) } }]);
  const context = createExecutionContext();
  await worker.queue(batch, { ...env, ...overrides } as Env);
  return getQueueResult(batch, context);
}

describe('mail from the queue consumer', () => {
  it('sends a queued mail through the Resend-compatible API, from EMAIL_FROM', async () => {
    const to = `${crypto.randomUUID()}@example.test`;
    await queueMail(env.JOBS, mail(to));
    const sent = await waitForMail(to);
    expect(sent).toMatchObject({ from: 'Omood <no-reply@omood.test>', to: [to], subject: 'Your link', html: '<p>secret-token-123</p>' });
    expect(sent.text).toContain('token=secret-token-123');
  });

  it('retries a mail the provider refuses (5xx) or does not answer in time, and logs no content', async () => {
    const refused = await consume(`${crypto.randomUUID()}@outage.test`);
    expect(refused.retryMessages.map((retry) => retry.msgId)).toEqual(['mail-1']);
    const hung = await consume(`${crypto.randomUUID()}@hang.test`, { EMAIL_TIMEOUT_MS: '200' });
    expect(hung.retryMessages.map((retry) => retry.msgId)).toEqual(['mail-1']);
    const logged = JSON.stringify(capturedLogs());
    expect(logged).toContain('job failed; retrying');
    expect(logged).not.toMatch(/secret-token|outage\.test"|@/);
  });

  it('refuses a wrong API key like Resend does, which the queue retries too', async () => {
    const to = `${crypto.randomUUID()}@example.test`;
    const result = await consume(to, { EMAIL_API_KEY: 'wrong-key' });
    expect(result.retryMessages).toHaveLength(1);
    expect(await mailsTo(to)).toEqual([]);
  });

  it('with EMAIL_PROVIDER=log sends nothing and logs the domain and subject only', async () => {
    const to = `${crypto.randomUUID()}@example.test`;
    const result = await consume(to, { EMAIL_PROVIDER: 'log' });
    expect(result.explicitAcks).toEqual(['mail-1']);
    expect(await mailsTo(to)).toEqual([]);
    expect(capturedLogs()).toEqual([{ level: 'info', message: 'mail not sent (EMAIL_PROVIDER=log)', to_domain: 'example.test', subject: 'Your link' }]);
  });

  it('drops a dead-lettered mail with a log line that names the domain, never the body', async () => {
    const result = await consume(`${crypto.randomUUID()}@outage.test`, {}, 'omood-jobs-dlq');
    expect(result.explicitAcks).toEqual(['mail-1']);
    expect(capturedLogs()).toEqual([
      { level: 'error', message: 'job dead-lettered', kind: 'send-mail' },
      { level: 'error', message: 'mail dead-lettered', to_domain: 'outage.test' },
    ]);
  });
});
