import type { Config } from '../env';
import type { JsonModel } from './json-model';
import { createOpenAiModel } from './openai';
import { createWorkersAiModel } from './workers-ai';

export type AiProviderName = 'builtin' | 'workers-ai' | 'openai';

/** The configured provider; `model` is undefined for builtin, which runs in the Worker. */
export interface AiModels {
  provider: AiProviderName;
  model?: JsonModel;
}

export function createAiModels(config: Config['ai'], binding: Ai | undefined): AiModels {
  if (config.provider === 'openai') return { provider: 'openai', model: createOpenAiModel(config) };
  if (config.provider === 'workers-ai') {
    if (!binding) throw new Error('AI_PROVIDER is workers-ai but the AI binding is missing');
    return { provider: 'workers-ai', model: createWorkersAiModel(binding, config) };
  }
  return { provider: 'builtin' };
}
