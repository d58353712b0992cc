import { words } from '../text';
import { BUILTIN_TOPICS, TOPICS, type Topic } from './lexicon';

/**
 * The embedded classifier: deterministic, offline, in the Worker. A memo's words are mapped onto the
 * topics of a compact Korean and English lexicon (lexicon.ts); built-in categories are mapped onto
 * topics by hand, a custom category through the words of its key, name and description, which also
 * count on their own when the memo uses them. Below a threshold the memo fits nothing.
 */

export interface Candidate {
  key: string;
  name: string;
  description: string;
}

export interface ClassifyInput {
  text: string;
  tags: string[];
  candidates: Candidate[];
}

export interface BuiltinAnswer {
  key: string | null;
  confidence: number;
}

type TopicScores = Map<Topic, number>;

/** A best score below this is one weak hint at most, so the memo gets no category. */
const THRESHOLD = 1;
/** A category the user made on purpose beats a built-in one that shares its topic. */
const CUSTOM_BOOST = 1.25;
/** A memo word that is one of a custom category's own words. */
const OWN_WORD = 1.5;

const HANGUL = /[\uac00-\ud7a3]/;
/** What may follow a one-syllable Korean term (책을, 돈이랑, 옷값): particles and a few nouns. */
const SHORT_TAIL = new Set(['은', '는', '이', '가', '을', '를', '에', '의', '도', '로', '와', '과', '랑', '만', '좀', '값', '이랑', '으로', '에서', '하고', '까지', '부터', '들']);

let index: Map<string, Map<Topic, number>> | undefined;

/** term → topic → weight, built once per isolate from the lexicon's strings. */
function lexicon(): Map<string, Map<Topic, number>> {
  if (index) return index;
  index = new Map();
  for (const [topic, list] of Object.entries(TOPICS) as [Topic, string][]) {
    for (const raw of list.split(/\s+/)) {
      if (raw === '') continue;
      const mark = raw[0] === '~' || raw[0] === '!' ? raw[0] : '';
      const term = raw.slice(mark.length).replaceAll('_', ' ');
      let topics = index.get(term);
      if (!topics) index.set(term, (topics = new Map()));
      topics.set(topic, Math.max(topics.get(topic) ?? 0, mark === '~' ? 0.5 : mark === '!' ? 2 : 1));
    }
  }
  return index;
}

/** Light English stemming: the forms a word may have been listed under. */
function stems(word: string): string[] {
  const forms = [word];
  const add = (form: string) => form.length >= 2 && forms.push(form);
  if (word.endsWith("'s")) add(word.slice(0, -2));
  if (word.endsWith('ies')) add(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) add(word.slice(0, -2));
  if (word.endsWith('s') && !word.endsWith('ss')) add(word.slice(0, -1));
  for (const ending of ['ing', 'ed']) {
    if (!word.endsWith(ending) || word.length < ending.length + 3) continue;
    const stem = word.slice(0, -ending.length);
    add(stem);
    add(`${stem}e`);
    if (stem.at(-1) === stem.at(-2)) add(stem.slice(0, -1));
  }
  return forms;
}

/** The terms a token may stand for: Korean substrings (compounds) and short terms with a tail; English stems. */
function termsOf(token: string): string[] {
  token = token.replace(/^[\d.,]+(?=\p{L})/u, '');
  if (!HANGUL.test(token)) return stems(token);
  const found = [token];
  for (let length = 2; length < token.length; length++) {
    for (let start = 0; start + length <= token.length; start++) found.push(token.slice(start, start + length));
  }
  if (SHORT_TAIL.has(token.slice(1))) found.push(token[0]!);
  return found;
}

/** The lexicon terms in a token, a term inside a longer one left out (운동화 is not 운동). */
function matchedTerms(token: string, table = lexicon()): string[] {
  const found = termsOf(token).filter((term) => table.has(term));
  return found.filter((term) => !found.some((other) => other.length > term.length && other.includes(term)));
}

/** Adds a token's topics (each topic once per token, at its strongest term) to `scores`. */
function addToken(scores: TopicScores, token: string, factor: number, table = lexicon()) {
  const best = new Map<Topic, number>();
  for (const term of matchedTerms(token, table)) {
    for (const [topic, weight] of table.get(term)!) best.set(topic, Math.max(best.get(topic) ?? 0, weight));
  }
  for (const [topic, weight] of best) scores.set(topic, (scores.get(topic) ?? 0) + weight * factor);
}

function topicScores(tokens: string[], factor = 1, scores: TopicScores = new Map()): TopicScores {
  const table = lexicon();
  for (const token of new Set(tokens)) addToken(scores, token, factor, table);
  // English phrases (what if, toilet paper): consecutive words.
  for (let i = 0; i + 1 < tokens.length; i++) {
    const topics = table.get(`${tokens[i]} ${tokens[i + 1]}`);
    if (topics) for (const [topic, weight] of topics) scores.set(topic, (scores.get(topic) ?? 0) + weight * factor);
  }
  return scores;
}

/** Quotations and sayings are told by their shape as much as by their words. */
function quoteShape(text: string): number {
  let score = 0;
  const trimmed = text.trim();
  if (/^["“'‘「『].{4,}["”'’」』]/su.test(trimmed)) score += 1.5;
  else if (/["“「『].{8,}["”」』]/su.test(trimmed)) score += 0.5;
  if (/["”'’」』]\s*[-—–~]\s*\p{L}/u.test(trimmed)) score += 1;
  if (/(?:라고|라며)\s*(?:하셨|했|하더|하시|하던|말|그러|그랬|들었)|라셨|라더라|말씀하셨|께서\s*말씀/u.test(trimmed)) score += 1.2;
  if (/(?:그러셨|그러시더|말씀하|말하길|말했|라고\s*(?:했|하셨|하더|하시))/u.test(trimmed)) score += 1.2;
  if (/\b(?:said|says|used to say|always say)\b\s*[:,"“]/i.test(trimmed)) score += 1.2;
  else if (/\b(?:said|says|told me|used to say)\b/i.test(trimmed)) score += 0.8;
  return score;
}

const GENERIC = new Set(['사용자', '정의', '카테고리', '기록', '관련', '메모', '내용', '것들', '등등', '같은', 'custom', 'category', 'notes', 'note', 'things', 'stuff', 'about', 'related', 'like', 'the', 'and', 'for', 'with', 'of', 'my', 'to', 'a', 'an', 'or', 'in', 'on']);

interface Profile {
  key: string;
  topics: Map<Topic, number>;
  boost: number;
  /** A custom category's own words (and their stems), matched directly. */
  own: string[];
}

function profileOf(candidate: Candidate): Profile {
  const builtin = BUILTIN_TOPICS.get(candidate.key);
  if (builtin) return { key: candidate.key, topics: new Map(Object.entries(builtin) as [Topic, number][]), boost: 1, own: [] };
  const tokens = [candidate.key.replace(/[_-]+/g, ' '), candidate.name, candidate.description].flatMap((text) => words(text)).filter((word) => !GENERIC.has(word) && word.length >= 2);
  const found = topicScores(tokens);
  const strongest = Math.max(0, ...found.values());
  const topics = new Map<Topic, number>();
  for (const [topic, score] of found) if (score >= strongest * 0.3) topics.set(topic, Math.min(1, 0.5 + score / (2 * strongest)));
  return { key: candidate.key, topics, boost: CUSTOM_BOOST, own: [...new Set(tokens.flatMap((token) => (HANGUL.test(token) ? [token] : stems(token))))] };
}

function ownWordScore(tokens: Set<string>, own: string[]): number {
  if (own.length === 0) return 0;
  let score = 0;
  for (const token of tokens) {
    const hangul = HANGUL.test(token);
    const forms = hangul ? [token] : stems(token);
    // Inside a compound the lexicon knows as something else (운동화 for 운동), the word does not count.
    const inside = hangul ? matchedTerms(token) : [];
    const partOf = (word: string) => (token.includes(word) && !inside.some((term) => term.length > word.length && term.includes(word))) || (token.length >= 2 && word.includes(token));
    const hit = own.some((word) => forms.includes(word) || (hangul && HANGUL.test(word) && partOf(word)));
    if (hit) score += OWN_WORD;
  }
  return score;
}

export function classifyBuiltin(input: ClassifyInput): BuiltinAnswer {
  const textTokens = words(input.text);
  const tagTokens = input.tags.flatMap((tag) => words(tag));
  const memo = topicScores(textTokens);
  topicScores(tagTokens, 2, memo);
  const shape = quoteShape(input.text);
  if (shape > 0) memo.set('quote', (memo.get('quote') ?? 0) + shape);
  const tokens = new Set([...textTokens, ...tagTokens]);

  const profiles = input.candidates.map(profileOf);
  // A topic a custom category is mainly about is that category's: the built-in ones stop counting it.
  const claimed = new Set(profiles.flatMap((profile) => (profile.boost > 1 ? [...profile.topics].filter(([, weight]) => weight >= 0.75).map(([topic]) => topic) : [])));
  let best: BuiltinAnswer = { key: null, confidence: 0 };
  let bestScore = 0;
  let total = 0;
  for (const profile of profiles) {
    let score = ownWordScore(tokens, profile.own);
    for (const [topic, weight] of profile.topics) {
      if (profile.boost === 1 && claimed.has(topic)) continue;
      score += (memo.get(topic) ?? 0) * weight * profile.boost;
    }
    total += score;
    if (score > bestScore) {
      bestScore = score;
      best = { key: profile.key, confidence: 0 };
    }
  }
  if (bestScore < THRESHOLD || best.key === null) return { key: null, confidence: 0 };
  // Share of the evidence, damped by how much evidence there is: one clear hit is not certainty.
  const confidence = (bestScore / total) * (1 - 1 / (1 + bestScore / 2));
  return { key: best.key, confidence: Math.round(confidence * 1000) / 1000 };
}
