// Vitest globalSetup (runs in Node): the Resend-compatible mail catcher of `npm run dev`
// (scripts/mail-catcher.ts), so the Worker's real mail provider code sends to it.
import type { TestProject } from 'vitest/node';
import { startMailCatcher } from '../../scripts/mail-catcher.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    mailStandIn: Record<string, string>;
  }
}

const API_KEY = 're_test_mail_catcher_key';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const catcher = await startMailCatcher({ apiKey: API_KEY });
  project.provide('mailStandIn', {
    EMAIL_PROVIDER: 'resend',
    EMAIL_API_URL: catcher.url,
    EMAIL_API_KEY: API_KEY,
    EMAIL_FROM: 'Omood <no-reply@omood.test>',
    EMAIL_TIMEOUT_MS: '1000',
  });
  return () => catcher.close();
}
