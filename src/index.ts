import { createApp } from './app';
import { runScheduled } from './cron';

const app = createApp();

export default {
  fetch: app.fetch,
  // Awaited rather than left to waitUntil, so a failed sweep shows as the cron run's outcome.
  async scheduled(controller, env) {
    await runScheduled(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;
