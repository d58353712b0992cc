import { createApp } from './app';
import { runScheduled } from './cron';
import { handleDeadLetters, handleQueueBatch, isDeadLetterQueue } from './jobs';

const app = createApp();

export default {
  fetch: app.fetch,
  // Awaited rather than left to waitUntil, so a failed sweep shows as the cron run's outcome.
  async scheduled(controller, env) {
    await runScheduled(env, controller.scheduledTime);
  },
  async queue(batch, env) {
    await (isDeadLetterQueue(batch.queue) ? handleDeadLetters(batch, env) : handleQueueBatch(batch, env));
  },
} satisfies ExportedHandler<Env>;
