import { z } from 'zod';
import { clip, MAX_CATEGORY_SUMMARY_CHARS, summariseBuiltin, type DayFacts, type DaySummary } from './builtin/summariser';
import { MalformedAnswer } from './json-model';
import type { AiModels, AiProviderName } from './models';
import { UNTRUSTED_DATA_RULE, untrustedBlock } from './untrusted';

export type { CategorySummary, DayFacts, DaySummary } from './builtin/summariser';

export interface Summary extends DaySummary {
  by: AiProviderName;
}

/** What of a day goes into a prompt: long days keep every category, with their memos cut short and the newest dropped first. */
const PROMPT_BUDGET_CHARS = 12_000;
const MEMO_PROMPT_CHARS = 500;
const MAX_COMMENT_CHARS = 400;

const answerSchema = z.object({
  ai_comment: z.string().trim().min(1).max(MAX_COMMENT_CHARS),
  category_summaries: z.array(z.object({ category: z.string(), summary: z.string().trim().min(1) })),
});

const jsonSchema = (categories: string[]) => ({
  type: 'object',
  properties: {
    ai_comment: { type: 'string', maxLength: MAX_COMMENT_CHARS },
    category_summaries: {
      type: 'array',
      items: {
        type: 'object',
        properties: { category: { type: 'string', enum: categories }, summary: { type: 'string', maxLength: MAX_CATEGORY_SUMMARY_CHARS } },
        required: ['category', 'summary'],
        additionalProperties: false,
      },
    },
  },
  required: ['ai_comment', 'category_summaries'],
  additionalProperties: false,
});

const SYSTEM = [
  "You summarise a person's day from their memos, focus sessions and mood check-ins.",
  'Answer one JSON object: "ai_comment" is one or two warm, specific sentences about the day;',
  `"category_summaries" has, for each category given, what its memos were about in at most ${MAX_CATEGORY_SUMMARY_CHARS} characters.`,
  'Write in Korean when the memos are mostly Korean, in English otherwise.',
  'In "ai_comment" call a category by its "category_name" when it has one, never by its key.',
  UNTRUSTED_DATA_RULE,
].join(' ');

/** The day within the prompt budget: memos clipped, then cut from the end while the prompt is too long. */
export function promptFacts(facts: DayFacts) {
  const memos = facts.memos.map(({ categoryName, ...memo }) => ({ ...memo, ...(categoryName ? { category_name: categoryName } : {}), content: clip(memo.content, MEMO_PROMPT_CHARS) }));
  let kept = memos.length;
  const sizeOf = (count: number) => JSON.stringify(memos.slice(0, count)).length;
  while (kept > 1 && sizeOf(kept) > PROMPT_BUDGET_CHARS) kept--;
  return {
    memos: memos.slice(0, kept),
    memos_left_out: memos.length - kept,
    completed_sessions: facts.completedSessions,
    focus_minutes: facts.focusMinutes,
    reflections: facts.reflections.slice(0, 10).map((reflection) => clip(reflection, MEMO_PROMPT_CHARS)),
    mood: facts.mood ?? null,
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A model that still wrote a custom category's key gets it replaced by the category's name. */
export function namedAsTheUserNamedThem(comment: string, facts: DayFacts): string {
  const names = new Map<string, string>();
  for (const memo of facts.memos) if (memo.categoryName && memo.categoryName !== memo.category) names.set(memo.category, memo.categoryName);
  let named = comment;
  for (const [key, name] of [...names].sort((a, b) => b[0].length - a[0].length)) {
    named = named.replace(new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(key)}(?![\\p{L}\\p{N}_])`, 'gu'), name);
  }
  return named;
}

/**
 * Summarises with the configured provider. The counts always come from the facts; a remote answer
 * that is not JSON, breaks the schema or leaves out a category falls back to builtin; a transport
 * failure or timeout throws, so the job retries.
 */
export async function summarise(models: AiModels, facts: DayFacts): Promise<Summary> {
  const builtin = (): Summary => ({ ...summariseBuiltin(facts), by: 'builtin' });
  if (!models.model || facts.memos.length === 0) return builtin();
  const counts = summariseBuiltin(facts).categorySummaries;
  let raw: unknown;
  try {
    raw = await models.model.generateJson({
      system: SYSTEM,
      user: `The day:\n${untrustedBlock(promptFacts(facts))}`,
      jsonSchema: jsonSchema(counts.map((entry) => entry.category)),
      schemaName: 'daily_summary',
      maxTokens: 800,
    });
  } catch (error) {
    if (error instanceof MalformedAnswer) return builtin();
    throw error;
  }
  const answer = answerSchema.safeParse(raw);
  if (!answer.success) return builtin();
  const written = new Map(answer.data.category_summaries.map((entry) => [entry.category, entry.summary]));
  if (counts.some((entry) => !written.has(entry.category))) return builtin();
  return {
    aiComment: namedAsTheUserNamedThem(answer.data.ai_comment, facts),
    categorySummaries: counts.map((entry) => ({ ...entry, summary: clip(written.get(entry.category)!, MAX_CATEGORY_SUMMARY_CHARS) })),
    by: models.model.name,
  };
}
