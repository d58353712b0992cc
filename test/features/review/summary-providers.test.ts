import { describe, expect, it } from 'vitest';
import { createAiModels } from '../../../src/ai/models';
import { summarise } from '../../../src/ai/summarise';
import type { DayFacts } from '../../../src/ai/builtin/summariser';
import { loadConfig } from '../../../src/env';
import { standInAiBinding } from '../../ai-stand-in/binding';
import { env } from '../../helpers/api';

// The summariser against the same stand-ins as classification: a chat-completions server and a
// Workers AI binding, each answering what the `[[scenario:NAME]]` marker in the day's memos asks.
const standIn = env as unknown as Record<string, string>;
const openAi = () =>
  createAiModels(
    loadConfig({ ...env, AI_PROVIDER: 'openai', AI_BASE_URL: standIn.AI_STAND_IN_URL, AI_API_KEY: standIn.AI_STAND_IN_KEY, AI_MODEL: standIn.AI_STAND_IN_MODEL, AI_TIMEOUT_MS: '1000' } as Env).ai,
    undefined,
  );
const workersAi = () => createAiModels(loadConfig({ ...env, AI_PROVIDER: 'workers-ai', AI_MODEL: '@cf/meta/llama-3.1-8b-instruct', AI_TIMEOUT_MS: '500' } as Env).ai, standInAiBinding().binding);

const day = (scenario: string): DayFacts => ({
  seed: 'user:2026-12-01',
  memos: [
    { content: `Drafted the quarterly report for the team meeting. [[scenario:${scenario}]]`, category: 'work', tags: ['report'] },
    { content: 'Outlined the budget section of the report.', category: 'work', tags: [] },
  ],
  completedSessions: 2,
  focusMinutes: 50,
  reflections: [],
});

describe('daily summaries through the openai provider', () => {
  it('uses a valid answer, with the counts taken from the day, not the model', async () => {
    const summary = await summarise(openAi(), day('summary'));
    expect(summary.by).toBe('openai');
    expect(summary.aiComment).toBe('A steady day: the report moved forward.');
    expect(summary.categorySummaries).toEqual([{ category: 'work', summary: 'Drafted the quarterly report.', memo_count: 2 }]);
  });

  it('falls back to builtin on malformed, misshapen or incomplete answers', async () => {
    for (const scenario of ['malformed', 'bad-shape', 'off-list', 'summary-missing-category']) {
      const summary = await summarise(openAi(), day(scenario));
      expect([scenario, summary.by]).toEqual([scenario, 'builtin']);
      expect(summary.categorySummaries.map((entry) => [entry.category, entry.memo_count])).toEqual([['work', 2]]);
      expect(summary.aiComment.length).toBeGreaterThan(0);
    }
  });

  it('names a custom category by its name even when the model wrote its key, and tells the model the name', async () => {
    const facts: DayFacts = { ...day('summary-by-key'), memos: [{ content: 'Squats, then a run. [[scenario:summary-by-key]]', category: 'gym_log', categoryName: 'Gym log', tags: [] }] };
    const summary = await summarise(openAi(), facts);
    expect(summary.by).toBe('openai');
    expect(summary.aiComment).toBe('Most of the day went to Gym log, and gym_logging felt good.');
    const sent = (await (await fetch(`${standIn.AI_STAND_IN_URL!.replace(/\/v1$/, '')}/last-request`)).json()) as { messages: { content: string }[] };
    expect(sent.messages.map((message) => message.content).join('\n')).toContain('"category_name":"Gym log"');
  });

  it('throws on an HTTP failure or a timeout, so the queue retries the job', async () => {
    await expect(summarise(openAi(), day('server-error'))).rejects.toThrow(/500/);
    await expect(summarise(openAi(), day('slow'))).rejects.toThrow();
  });
});

describe('daily summaries through the workers-ai provider', () => {
  it('uses a valid answer and falls back to builtin on a malformed or off-schema one', async () => {
    expect((await summarise(workersAi(), day('summary'))).by).toBe('workers-ai');
    for (const scenario of ['malformed', 'off-list']) expect([scenario, (await summarise(workersAi(), day(scenario))).by]).toEqual([scenario, 'builtin']);
  });

  it('throws when the binding fails or hangs past the deadline', async () => {
    await expect(summarise(workersAi(), day('failure'))).rejects.toThrow(/Capacity/);
    await expect(summarise(workersAi(), day('hang'))).rejects.toThrow();
  });
});
