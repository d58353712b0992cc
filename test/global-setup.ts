// Vitest globalSetup (runs in Node, in the parent process): brings up the local cloud for this
// test run (a fresh migrated database, a private redis-server, the Neon and Upstash stand-ins) and
// hands the Worker's env to test/vitest.config.ts through `provide`/`inject`.
import type { TestProject } from 'vitest/node';
import { startLocalCloud } from '../scripts/local-cloud.ts';
import type { LocalCloudEnv } from '../scripts/local-cloud.ts';
import { startFaultInjection } from '../scripts/fault-injection.ts';
import type { FaultEnv } from '../scripts/fault-injection.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    localCloudEnv: LocalCloudEnv;
    faults: FaultEnv;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cloud = await startLocalCloud({ mode: 'test' });
  project.provide('localCloudEnv', cloud.env);
  // Dependencies of their own for the outage tests (test/outages.test.ts), in front of the same database.
  const faults = await startFaultInjection({ neonEndpoint: cloud.env.NEON_FETCH_ENDPOINT }).catch(async (err: unknown) => {
    await cloud.stop();
    throw err;
  });
  project.provide('faults', faults.env);
  return async () => {
    await faults.stop();
    await cloud.stop();
  };
}
