// A local stand-in for an OpenAI-compatible chat-completions endpoint. Each test chooses the answer
// by a scenario marker in the memo text (`[[scenario:NAME]]`); the stand-in checks what a real
// endpoint checks (bearer key, model, messages, response_format) and records the last request so a
// test can see how user text was sent.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const STAND_IN_KEY = 'ai-stand-in-key';
export const STAND_IN_MODEL = 'stand-in-model';

/** What the model "answers" (message content) per scenario; `status` for HTTP failures. */
const scenarios: Record<string, { status?: number; content?: string; delayMs?: number }> = {
  valid: { content: JSON.stringify({ key: 'work', confidence: 0.9 }) },
  fenced: { content: '```json\n{"key":"study","confidence":0.8}\n```' },
  malformed: { content: 'Sure! The category is work.' },
  'off-list': { content: JSON.stringify({ key: 'crypto', confidence: 0.99 }) },
  'bad-shape': { content: JSON.stringify({ category: 'work' }) },
  'no-fit': { content: JSON.stringify({ key: null, confidence: 0 }) },
  'server-error': { status: 500 },
  slow: { content: JSON.stringify({ key: 'work', confidence: 0.9 }), delayMs: 3000 },
  // Daily summaries: a well-formed answer, and one that leaves out the day's category.
  summary: { content: JSON.stringify({ ai_comment: 'A steady day: the report moved forward.', category_summaries: [{ category: 'work', summary: 'Drafted the quarterly report.' }] }) },
  // A model that writes a custom category's key in its comment instead of the category's name.
  'summary-by-key': { content: JSON.stringify({ ai_comment: 'Most of the day went to gym_log, and gym_logging felt good.', category_summaries: [{ category: 'gym_log', summary: 'Squats and a run.' }] }) },
  'summary-missing-category': { content: JSON.stringify({ ai_comment: 'A steady day.', category_summaries: [] }) },
};

export async function startAiStandIn() {
  let lastRequest: unknown;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      if (request.url === '/last-request') return reply(200, lastRequest ?? null);
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') return reply(404, { error: { message: 'not found' } });
      if (request.headers.authorization !== `Bearer ${STAND_IN_KEY}`) return reply(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
      const parsed = JSON.parse(body) as { model?: string; messages?: { role: string; content: string }[]; response_format?: { type?: string } };
      lastRequest = parsed;
      if (parsed.model !== STAND_IN_MODEL || !Array.isArray(parsed.messages) || parsed.response_format?.type !== 'json_schema') {
        return reply(400, { error: { message: 'invalid request', type: 'invalid_request_error' } });
      }
      const text = parsed.messages.map((message) => message.content).join('\n');
      const scenario = scenarios[/\[\[scenario:([a-z-]+)\]\]/.exec(text)?.[1] ?? 'valid'] ?? {};
      const answer = () =>
        scenario.status
          ? reply(scenario.status, { error: { message: 'stand-in failure', type: 'server_error' } })
          : reply(200, { id: 'chatcmpl-stand-in', object: 'chat.completion', model: STAND_IN_MODEL, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: scenario.content } }] });
      if (scenario.delayMs) setTimeout(answer, scenario.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: { AI_STAND_IN_URL: `http://127.0.0.1:${port}/v1`, AI_STAND_IN_KEY: STAND_IN_KEY, AI_STAND_IN_MODEL: STAND_IN_MODEL },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
