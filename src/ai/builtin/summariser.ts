import { isMostlyHangul, words } from '../text';

/** What a summary is built from: one local day's memos, sessions and check-ins, as plain facts. */
export interface DayFacts {
  /** Varies the wording deterministically per user and day (e.g. `${userId}:${date}`). */
  seed: string;
  /** `categoryName` is the user's name for a custom category: what the comment calls it (never its key). */
  memos: { content: string; category: string; categoryName?: string | null; tags: string[] }[];
  completedSessions: number;
  focusMinutes: number;
  reflections: string[];
  /** The day's average check-in score (1-5) and its most chosen emotions; undefined without check-ins. */
  mood?: { averageScore: number; emotions: string[] };
}

export interface CategorySummary {
  category: string;
  summary: string;
  memo_count: number;
}

export interface DaySummary {
  aiComment: string;
  categorySummaries: CategorySummary[];
}

export const MAX_CATEGORY_SUMMARY_CHARS = 200;

/** A stable small hash: the same day of the same user always gets the same template. */
function hashOf(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619) >>> 0;
  return hash;
}

const sentencesOf = (text: string) =>
  text
    .split(/(?<=[.!?。！？])\s+|\n+/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');

/** Cuts at a word boundary when it can, and says it cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * The sentences of a category's memos that share the most words with the others (its centre), in
 * the order they were written, as many as fit in 200 characters.
 */
function extractiveSummary(contents: string[]): string {
  const sentences = contents.flatMap(sentencesOf);
  if (sentences.length === 0) return '';
  const bags = sentences.map((sentence) => new Set(words(sentence)));
  const frequency = new Map<string, number>();
  for (const bag of bags) for (const word of bag) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const scored = sentences.map((sentence, index) => {
    const bag = bags[index]!;
    let overlap = 0;
    for (const word of bag) overlap += (frequency.get(word) ?? 1) - 1;
    return { sentence, index, score: bag.size === 0 ? 0 : overlap / Math.sqrt(bag.size) };
  });
  const chosen: typeof scored = [];
  let length = 0;
  for (const candidate of [...scored].sort((a, b) => b.score - a.score || a.index - b.index)) {
    if (chosen.length > 0 && length + candidate.sentence.length + 1 > MAX_CATEGORY_SUMMARY_CHARS) continue;
    chosen.push(candidate);
    length += candidate.sentence.length + 1;
  }
  return clip(chosen.sort((a, b) => a.index - b.index).map((c) => c.sentence).join(' '), MAX_CATEGORY_SUMMARY_CHARS);
}

function topTags(memos: DayFacts['memos'], count: number): string[] {
  const frequency = new Map<string, number>();
  for (const memo of memos) for (const tag of memo.tags) frequency.set(tag, (frequency.get(tag) ?? 0) + 1);
  return [...frequency].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, count).map(([tag]) => tag);
}

const KOREAN_EMOTIONS: ReadonlyMap<string, string> = new Map(Object.entries({
  joy: '기쁨', calm: '평온', focused: '몰입', grateful: '감사', proud: '뿌듯함', tired: '피곤함', anxious: '불안', sad: '슬픔', angry: '화', stressed: '스트레스',
}));

interface Wording {
  opening: ((f: Facts) => string)[];
  /** The day's focus and mood in one sentence, or '' when there was neither. */
  second: (f: Facts) => string;
  closing: string[];
}

interface Facts {
  memos: number;
  topCategory: string;
  sessions: number;
  minutes: number;
  reflections: number;
  tags: string[];
  moodScore?: number;
  emotion?: string;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const KOREAN: Wording = {
  opening: [
    (f) => `오늘은 메모 ${f.memos}개를 남겼고, 특히 '${f.topCategory}'에 마음을 많이 썼네요.`,
    (f) => `'${f.topCategory}' 중심으로 메모 ${f.memos}개로 하루를 기록했어요${f.tags.length ? ` (#${f.tags.join(' #')})` : ''}.`,
    (f) => `'${f.topCategory}' 이야기가 가장 많았던 하루, 메모 ${f.memos}개가 쌓였어요.`,
  ],
  second: (f) => {
    const reflections = f.reflections ? ` 회고 ${f.reflections}개까지 남겼` : '';
    const mood = f.moodScore === undefined ? '' : `기분은 5점 중 ${f.moodScore}점${f.emotion ? `, '${f.emotion}'이 가장 컸던 날이에요` : '이었어요'}`;
    if (f.sessions === 0) return mood && ` ${mood}.`;
    const focus = `집중 세션 ${f.sessions}번, ${f.minutes}분 동안 몰입했${reflections ? `고${reflections}` : ''}`;
    return mood ? ` ${focus}고, ${mood}.` : ` ${focus}어요.`;
  },
  closing: [' 오늘도 수고 많았어요.', ' 차곡차곡 잘 쌓아가고 있어요.', ' 내일도 이 흐름을 이어가요.'],
};

const ENGLISH: Wording = {
  opening: [
    (f) => `You wrote ${plural(f.memos, 'memo')} today, most of them about ${f.topCategory}.`,
    (f) => `A day of ${plural(f.memos, 'memo')} around ${f.topCategory}${f.tags.length ? `, with #${f.tags.join(' #')} on your mind` : ''}.`,
    (f) => `${f.topCategory} took the most of your notes today: ${f.memos} in all.`,
  ],
  second: (f) => {
    const parts = [];
    if (f.sessions > 0) {
      parts.push(`you finished ${plural(f.sessions, 'focus session')} for ${f.minutes} minutes${f.reflections ? ` and wrote ${plural(f.reflections, 'reflection')}` : ''}`);
    }
    if (f.moodScore !== undefined) parts.push(`your mood averaged ${f.moodScore} out of 5${f.emotion ? `, mostly ${f.emotion}` : ''}`);
    const sentence = parts.join(', and ');
    return sentence && ` ${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`;
  },
  closing: [' Well done.', ' Nice, steady work.', ' Keep that rhythm tomorrow.'],
};

/** The built-in categories as a Korean comment calls them; in English their key is their name. */
const KOREAN_BUILTIN_NAMES: ReadonlyMap<string, string> = new Map(Object.entries({
  idea: '아이디어', study: '공부', shopping: '쇼핑', work: '업무', personal: '개인', quote: '명언', uncategorized: '분류 전',
}));

/** A category as the user knows it: a custom one by its name, a built-in one by its label. */
export function categoryLabel(key: string, name: string | null | undefined, korean: boolean): string {
  if (name) return name;
  return (korean ? KOREAN_BUILTIN_NAMES.get(key) : undefined) ?? (key === 'uncategorized' ? 'uncategorized notes' : key);
}

/**
 * The offline summary: a comment from templates over the day's facts (Korean for a mostly-Hangul
 * day, English otherwise; the template picked by a hash of the seed), and an extractive summary per
 * category, most memos first.
 */
export function summariseBuiltin(facts: DayFacts): DaySummary {
  const byCategory = new Map<string, string[]>();
  for (const memo of facts.memos) byCategory.set(memo.category, [...(byCategory.get(memo.category) ?? []), memo.content]);
  const categorySummaries = [...byCategory]
    .map(([category, contents]) => ({ category, summary: extractiveSummary(contents), memo_count: contents.length }))
    .sort((a, b) => b.memo_count - a.memo_count || a.category.localeCompare(b.category));

  const korean = isMostlyHangul(facts.memos.map((memo) => memo.content).join(' '));
  const wording = korean ? KOREAN : ENGLISH;
  const emotion = facts.mood?.emotions[0];
  const f: Facts = {
    memos: facts.memos.length,
    topCategory: categorySummaries[0] ? categoryLabel(categorySummaries[0].category, facts.memos.find((memo) => memo.category === categorySummaries[0]!.category)?.categoryName, korean) : '',
    sessions: facts.completedSessions,
    minutes: facts.focusMinutes,
    reflections: facts.reflections.length,
    tags: topTags(facts.memos, 2),
    moodScore: facts.mood && Math.round(facts.mood.averageScore * 10) / 10,
    emotion: emotion && (korean ? (KOREAN_EMOTIONS.get(emotion) ?? emotion) : emotion),
  };
  const hash = hashOf(facts.seed);
  const opening = wording.opening[hash % wording.opening.length]!(f);
  // Two sentences at most: the memos, then focus and mood, or a warm closing on a day with neither.
  const second = wording.second(f) || wording.closing[(hash >>> 8) % wording.closing.length]!;
  return { aiComment: `${opening}${second}`, categorySummaries };
}
