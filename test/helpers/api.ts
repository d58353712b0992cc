import { env, exports } from 'cloudflare:workers';

export const BASE = 'https://api.omood.test';
export const WEB_ORIGIN = 'http://127.0.0.1:3000';

/** Sends a request to the Worker under test exactly as a client would, through its fetch handler. */
export function api(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE}${path}`, init));
}

/** Reads a problem+json body and checks it is one. */
export async function problem(response: Response) {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${response.status} ${type}: ${await response.text()}`);
  }
  return (await response.json()) as { type: string; title: string; status: number; detail: string; requestId: string; instance?: string; errors?: { field: string; message: string }[] };
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json', ...headers },
});

export { env };
