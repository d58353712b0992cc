// A stand-in for the Workers AI binding: `run(model, inputs)` answers what Workers AI's JSON mode
// answers ({ response: object }), chosen per test by the memo's `[[scenario:NAME]]` marker.
export interface RecordedRun {
  model: string;
  inputs: { messages: { role: string; content: string }[]; response_format?: { type: string; json_schema: unknown } };
}

const answers: Record<string, () => Promise<unknown>> = {
  valid: async () => ({ response: { key: 'shopping', confidence: 0.85 } }),
  text: async () => ({ response: '{"key":"quote","confidence":0.7}' }),
  malformed: async () => ({ response: 'I think shopping' }),
  'off-list': async () => ({ response: { key: 'ignore-previous', confidence: 1 } }),
  summary: async () => ({ response: { ai_comment: 'A steady day: the report moved forward.', category_summaries: [{ category: 'work', summary: 'Drafted the quarterly report.' }] } }),
  failure: async () => {
    throw new Error('AiError: 3040: Capacity temporarily exceeded');
  },
  hang: () => new Promise(() => undefined),
};

export function standInAiBinding() {
  const runs: RecordedRun[] = [];
  const binding = {
    async run(model: string, inputs: RecordedRun['inputs']) {
      runs.push({ model, inputs });
      const text = inputs.messages.map((message) => message.content).join('\n');
      return answers[/\[\[scenario:([a-z-]+)\]\]/.exec(text)?.[1] ?? 'valid']?.();
    },
  };
  return { binding: binding as unknown as Ai, runs };
}
