import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';
import { BASE, env } from './api';

/**
 * Sends a request through the Worker's own fetch handler with some of its configuration changed,
 * for behaviour that depends on it (a provider left unconfigured, a dependency at another address).
 * Everything else is the test run's env, so storage, queue and secrets stay the real ones.
 */
export async function apiWith(overrides: Partial<Record<keyof Env, string>>, path: string, init: RequestInit = {}): Promise<Response> {
  const context = createExecutionContext();
  const response = await worker.fetch(new Request(`${BASE}${path}`, init), { ...env, ...overrides } as Env, context);
  await waitOnExecutionContext(context);
  return response;
}
