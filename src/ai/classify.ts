import { z } from 'zod';
import { classifyBuiltin, type ClassifyInput } from './builtin/classifier';
import { MalformedAnswer } from './json-model';
import type { AiModels, AiProviderName } from './models';
import { UNTRUSTED_DATA_RULE, untrustedBlock } from './untrusted';

export type { Candidate, ClassifyInput } from './builtin/classifier';

export interface Classification {
  key: string | null;
  confidence: number;
  by: AiProviderName;
}

/** Below this a model's answer is treated as "fits nothing", like the builtin threshold. */
const MIN_MODEL_CONFIDENCE = 0.5;

const answerSchema = z.object({ key: z.string().nullable(), confidence: z.number().min(0).max(1) });

const jsonSchema = (keys: string[]) => ({
  type: 'object',
  properties: {
    key: { anyOf: [{ type: 'string', enum: keys }, { type: 'null' }] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
  },
  required: ['key', 'confidence'],
  additionalProperties: false,
});

const SYSTEM = [
  'You sort a memo into one of the offered categories.',
  'Answer one JSON object {"key": <an offered key, or null when none fits well>, "confidence": <0..1>}.',
  UNTRUSTED_DATA_RULE,
].join(' ');

/**
 * Classifies with the configured provider. A remote answer that is not JSON, breaks the schema or
 * names a key that was not offered falls back to builtin; a transport failure or timeout throws,
 * so the job retries (a model failure never reaches a user's request: this runs in the queue).
 */
export async function classify(models: AiModels, input: ClassifyInput): Promise<Classification> {
  const builtin = (): Classification => ({ ...classifyBuiltin(input), by: 'builtin' });
  if (!models.model || input.candidates.length === 0) return builtin();
  const offered = input.candidates.map((candidate) => candidate.key);
  let raw: unknown;
  try {
    raw = await models.model.generateJson({
      system: SYSTEM,
      user: `Categories:\n${untrustedBlock(input.candidates)}\nMemo:\n${untrustedBlock({ text: input.text, tags: input.tags })}`,
      jsonSchema: jsonSchema(offered),
      schemaName: 'memo_category',
      maxTokens: 64,
    });
  } catch (error) {
    if (error instanceof MalformedAnswer) return builtin();
    throw error;
  }
  const answer = answerSchema.safeParse(raw);
  if (!answer.success) return builtin();
  const { key, confidence } = answer.data;
  if (key !== null && !offered.includes(key)) return builtin();
  if (key === null || confidence < MIN_MODEL_CONFIDENCE) return { key: null, confidence: 0, by: models.model.name };
  return { key, confidence, by: models.model.name };
}
