// Vitest globalSetup (runs in Node, in the parent process): starts the OAuth provider stand-in and
// hands its URLs and client credentials to the Worker's bindings (test/vitest.config.ts).
import type { TestProject } from 'vitest/node';
import { startOAuthStandIn } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    providerStandIns: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const standIn = await startOAuthStandIn();
  project.provide('providerStandIns', standIn.env);
  return () => standIn.close();
}
