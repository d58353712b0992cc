import { jobMessage, type JobMessage } from '../platform/queue';
import { describeFailure } from '../platform/failures';
import { createServices, type Services } from '../platform/services';
import { classifyJob, finalizeClassifyJob } from './classify';
import { finalizeSendMailJob, sendMailJob } from './mail';
import { finalizeSummariseJob, summariseJob } from './summarise';

/** Retries back off: a provider that failed now is likely to fail again a second later. */
const RETRY_DELAY_SECONDS = 10;

type Handler<M extends JobMessage = JobMessage> = (services: Services, message: M) => Promise<void>;

/** Per kind: what runs the job, and what finalizes it once it is dead-lettered. */
const handlers: { [K in JobMessage['kind']]: { run: Handler<Extract<JobMessage, { kind: K }>>; deadLetter: Handler<Extract<JobMessage, { kind: K }>> } } = {
  'classify-memo': { run: classifyJob, deadLetter: finalizeClassifyJob },
  'summarise-day': { run: summariseJob, deadLetter: finalizeSummariseJob },
  'send-mail': { run: sendMailJob, deadLetter: finalizeSendMailJob },
};

const log = (level: string, message: string, extra: Record<string, unknown>) => console.log(JSON.stringify({ level, message, ...extra }));

/**
 * One queue batch: each message validated and handled on its own, acked when it succeeded and
 * retried (with a delay) when it threw, so one failing message never redelivers the others.
 * A message that is not a job at all is acked and logged: retrying it cannot make it valid.
 */
async function eachMessage(batch: MessageBatch, env: Env, pick: (kind: JobMessage['kind']) => Handler) {
  const services = createServices(env);
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = jobMessage.safeParse(message.body);
      if (!parsed.success) {
        log('error', 'invalid job message dropped', { queue: batch.queue, id: message.id, issues: parsed.error.issues.map((issue) => issue.message) });
        message.ack();
        return;
      }
      try {
        await pick(parsed.data.kind)(services, parsed.data);
        message.ack();
      } catch (error) {
        log('warn', 'job failed; retrying', { queue: batch.queue, kind: parsed.data.kind, id: message.id, attempts: message.attempts, error: describeFailure(error) });
        message.retry({ delaySeconds: RETRY_DELAY_SECONDS });
      }
    }),
  );
}

export const handleQueueBatch = (batch: MessageBatch, env: Env) => eachMessage(batch, env, (kind) => handlers[kind].run as Handler);

/** The dead-letter queue: what failed every retry is finalized (a memo's category ends as null; a day keeps its previous summary), with the reason logged. */
export const handleDeadLetters = (batch: MessageBatch, env: Env) =>
  eachMessage(batch, env, (kind) => async (services, message) => {
    // The kind only: bodies hold users' data (a mail's text holds a sign-in link).
    log('error', 'job dead-lettered', { kind });
    await (handlers[kind].deadLetter as Handler)(services, message);
  });

/** Which handler a queue's batch goes to; the DLQ's name is the only one that differs. */
export const isDeadLetterQueue = (queue: string) => queue.endsWith('-dlq');
