import type { Config } from '../env';
import { deadline, parseJsonText, type JsonModel, type JsonRequest } from './json-model';

/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, Cloudflare AI Gateway, Workers AI's
 * OpenAI endpoint, llama.cpp, Ollama, vLLM), asked for strict JSON-schema output.
 */
export function createOpenAiModel(config: Config['ai']): JsonModel {
  const url = `${(config.baseUrl ?? '').replace(/\/+$/, '')}/chat/completions`;
  return {
    name: 'openai',
    async generateJson(request: JsonRequest) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {}) },
        body: JSON.stringify({
          model: config.model,
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: request.user },
          ],
          response_format: { type: 'json_schema', json_schema: { name: request.schemaName, schema: request.jsonSchema, strict: true } },
          temperature: 0,
          ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}),
        }),
        signal: deadline(config.timeoutMs, request.signal),
      });
      if (!response.ok) throw new Error(`AI endpoint answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      const body = (await response.json()) as { choices?: { message?: { content?: unknown } }[] };
      const content = body.choices?.[0]?.message?.content;
      if (typeof content !== 'string') throw new Error('AI endpoint answered without choices[0].message.content');
      return parseJsonText(content);
    },
  };
}
