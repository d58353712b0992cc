// Vitest globalSetup (runs in Node): starts the chat-completions stand-in and hands its URL to the tests.
import type { TestProject } from 'vitest/node';
import { startAiStandIn } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    aiStandIn: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const standIn = await startAiStandIn();
  project.provide('aiStandIn', standIn.env);
  return () => standIn.close();
}
