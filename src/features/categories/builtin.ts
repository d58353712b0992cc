import { sha256Hex } from '../../lib/encoding';

/** The built-in category keys the web client knows, with the words the classifier starts from. */
export const BUILTIN_CATEGORIES = [
  { key: 'idea', name: '아이디어 Idea', description: 'ideas, plans, things to build or try' },
  { key: 'study', name: '공부 Study', description: 'learning, classes, exams, notes from reading' },
  { key: 'shopping', name: '쇼핑 Shopping', description: 'things to buy, orders, groceries' },
  { key: 'work', name: '업무 Work', description: 'job, meetings, projects, deadlines' },
  { key: 'personal', name: '개인 Personal', description: 'life, family, friends, health, feelings' },
  { key: 'quote', name: '명언 Quote', description: 'quotations, sayings, lines worth keeping' },
] as const;

/** Shown by the client as 분류중: waiting for the classifier (or asked for on purpose). */
export const UNCATEGORIZED = 'uncategorized';

export const BUILTIN_KEYS: ReadonlySet<string> = new Set([...BUILTIN_CATEGORIES.map((category) => category.key), UNCATEGORIZED]);

/** The classification input's hash: content and tags, as SQL computes it in `contentHashSql`. */
export async function contentHash(content: string, tags: string[]): Promise<string> {
  return sha256Hex(`${content}\n#${tags.join(',')}`);
}
