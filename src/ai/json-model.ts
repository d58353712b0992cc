/** What every remote model adapter shares; a leaf, so the adapters and the provider choice never import each other. */

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

/** A model answer that is not JSON at all: the caller falls back to builtin rather than retrying. */
export class MalformedAnswer extends Error {}

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
