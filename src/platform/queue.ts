import { z } from 'zod';

/** Background jobs on the `omood-jobs` queue: one zod-validated union, dispatched by `kind` in src/jobs/. */
export const classifyMemoMessage = z.object({
  kind: z.literal('classify-memo'),
  memoId: z.string(),
  userId: z.string(),
  /** What was classified; the result is written only if the memo still has it. */
  contentHash: z.string(),
});

export const summariseDayMessage = z.object({
  kind: z.literal('summarise-day'),
  userId: z.string(),
  /** The local day (YYYY-MM-DD) in `tz`. */
  date: z.string(),
  tz: z.string(),
  /** The day's fingerprint when the job was queued; a job finding the stored summary already current does nothing. */
  fingerprint: z.string(),
});

export const sendMailMessage = z.object({
  kind: z.literal('send-mail'),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
});

export const jobMessage = z.discriminatedUnion('kind', [classifyMemoMessage, summariseDayMessage, sendMailMessage]);

export type JobMessage = z.infer<typeof jobMessage>;
export type ClassifyMemoMessage = z.infer<typeof classifyMemoMessage>;
export type SummariseDayMessage = z.infer<typeof summariseDayMessage>;
export type SendMailMessage = z.infer<typeof sendMailMessage>;

/** sendBatch takes at most 100 messages: one subrequest per 100. */
const SEND_BATCH_LIMIT = 100;

export async function sendJobs(queue: Queue, messages: JobMessage[]) {
  for (let start = 0; start < messages.length; start += SEND_BATCH_LIMIT) {
    await queue.sendBatch(messages.slice(start, start + SEND_BATCH_LIMIT).map((body) => ({ body, contentType: 'json' as const })));
  }
}
