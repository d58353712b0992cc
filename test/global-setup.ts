// Vitest globalSetup (runs in Node, in the parent process): brings up the local cloud for this
// test run (a fresh migrated database, a private redis-server, the Neon and Upstash stand-ins) and
// hands the Worker's env to test/vitest.config.ts through `provide`/`inject`.
import type { TestProject } from 'vitest/node';
import { startLocalCloud } from '../scripts/local-cloud.ts';
import type { LocalCloudEnv } from '../scripts/local-cloud.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    localCloudEnv: LocalCloudEnv;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cloud = await startLocalCloud({ mode: 'test' });
  project.provide('localCloudEnv', cloud.env);
  return () => cloud.stop();
}
