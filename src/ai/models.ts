import type { Config } from '../env';
import { createOpenAiModel } from './openai';
import { createWorkersAiModel } from './workers-ai';

export type AiProviderName = 'builtin' | 'workers-ai' | 'openai';

/** A remote model that answers one JSON object; what it answers is data for the caller to validate. */
export interface JsonModel {
  readonly name: 'workers-ai' | 'openai';
  /** Asks for one JSON object matching `jsonSchema`; returns the parsed JSON (unvalidated) or throws on transport/HTTP failure or timeout. */
  generateJson(request: JsonRequest): Promise<unknown>;
}

export interface JsonRequest {
  system: string;
  user: string;
  jsonSchema: Record<string, unknown>;
  schemaName: string;
  maxTokens?: number;
  signal?: AbortSignal;
}

/** The configured provider; `model` is undefined for builtin, which runs in the Worker. */
export interface AiModels {
  provider: AiProviderName;
  model?: JsonModel;
}

/** A model answer that is not JSON at all: the caller falls back to builtin rather than retrying. */
export class MalformedAnswer extends Error {}

export function createAiModels(config: Config['ai'], binding: Ai | undefined): AiModels {
  if (config.provider === 'openai') return { provider: 'openai', model: createOpenAiModel(config) };
  if (config.provider === 'workers-ai') {
    if (!binding) throw new Error('AI_PROVIDER is workers-ai but the AI binding is missing');
    return { provider: 'workers-ai', model: createWorkersAiModel(binding, config) };
  }
  return { provider: 'builtin' };
}

/** Parses a model's text as JSON, tolerating a ```json fence some models add despite the schema. */
export function parseJsonText(text: string): unknown {
  const unfenced = text.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
  try {
    return JSON.parse(unfenced);
  } catch {
    throw new MalformedAnswer(`model answered no JSON: ${text.slice(0, 200)}`);
  }
}

/** The caller's signal and the configured deadline, whichever ends first. */
export const deadline = (timeoutMs: number, signal?: AbortSignal) =>
  signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
