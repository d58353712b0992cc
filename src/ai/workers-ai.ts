import type { Config } from '../env';
import { deadline, parseJsonText, type JsonModel, type JsonRequest } from './json-model';

/** Workers AI through the `AI` binding, with JSON-mode output (`response_format` json_schema). */
export function createWorkersAiModel(binding: Ai, config: Config['ai']): JsonModel {
  const model = config.model ?? '';
  return {
    name: 'workers-ai',
    async generateJson(request: JsonRequest) {
      const signal = deadline(config.timeoutMs, request.signal);
      const run = (binding.run as (model: string, inputs: Record<string, unknown>) => Promise<unknown>)(model, {
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
        response_format: { type: 'json_schema', json_schema: request.jsonSchema },
        ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}),
      });
      // The binding takes no signal: the deadline races it instead.
      const timeout = new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => reject(new Error(`Workers AI gave no answer in time: ${String(signal.reason)}`)), { once: true });
      });
      const output = (await Promise.race([run, timeout])) as { response?: unknown } | null;
      const answer = output?.response;
      // JSON mode answers an object already; some models still answer its text.
      return typeof answer === 'string' ? parseJsonText(answer) : answer;
    },
  };
}
