import { words } from '../text';

/**
 * The embedded classifier: deterministic, offline, in the Worker. It scores a memo's words and tags
 * against each candidate's key, name and description and, for the built-in keys, against Korean and
 * English vocabularies; below a threshold it answers no key.
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

/** Vocabulary of the built-in categories: stems, matched as a word's prefix (Korean words take endings). */
const VOCABULARY: Readonly<Record<string, string[]>> = {
  idea: [
    'idea', 'ideas', 'brainstorm', 'concept', 'what if', 'maybe we could', 'prototype', 'invent', 'app', 'startup', 'feature', 'pitch', 'inspiration',
    '아이디어', '생각', '떠오른', '떠올', '기획', '구상', '발상', '만들어보', '앱', '서비스', '창업', '영감', '어떨까',
  ],
  study: [
    'study', 'learn', 'learning', 'lecture', 'exam', 'homework', 'chapter', 'course', 'textbook', 'vocabulary', 'grammar', 'practice', 'algorithm', 'review', 'notes', 'quiz', 'tutorial',
    '공부', '학습', '강의', '시험', '과제', '숙제', '복습', '예습', '단어', '문법', '교재', '수업', '알고리즘', '자격증', '토익', '강좌', '문제집', '정리',
  ],
  shopping: [
    'buy', 'purchase', 'shopping', 'groceries', 'grocery', 'order', 'store', 'market', 'price', 'cart', 'milk', 'eggs', 'bread', 'discount', 'coupon',
    '구매', '사기', '사야', '장보기', '장보', '쇼핑', '주문', '마트', '우유', '계란', '휴지', '세제', '할인', '쿠폰', '택배', '구입', '살것', '장바구니',
  ],
  work: [
    'meeting', 'deadline', 'project', 'client', 'report', 'office', 'boss', 'manager', 'presentation', 'email', 'deploy', 'sprint', 'team', 'colleague', 'invoice', 'kpi',
    '회의', '미팅', '마감', '프로젝트', '보고서', '업무', '회사', '팀장', '상사', '발표', '출근', '퇴근', '고객', '배포', '동료', '결재', '기획서', '야근',
  ],
  personal: [
    'family', 'mom', 'dad', 'friend', 'birthday', 'feel', 'feeling', 'tired', 'happy', 'sad', 'diary', 'myself', 'weekend', 'home', 'health', 'doctor', 'sleep',
    '가족', '엄마', '아빠', '친구', '생일', '기분', '피곤', '행복', '우울', '일기', '주말', '집', '병원', '건강', '잠', '여행', '데이트',
  ],
  quote: [
    'quote', 'said', 'says', 'saying', 'proverb', 'wisdom', '"', '“',
    '명언', '인용', '격언', '속담', '말했다', '가라사대', '구절', '좋은말', '글귀',
  ],
};

/** A score at or below this is noise (one weak hit), so the memo gets no category. */
const THRESHOLD = 1;

/** Exact match counts double: a prefix match may be chance. */
function matchScore(memoWords: string[], vocabulary: Set<string>): number {
  let score = 0;
  for (const word of memoWords) {
    if (vocabulary.has(word)) {
      score += 2;
      continue;
    }
    for (const entry of vocabulary) {
      if (entry.length >= 2 && word.length > entry.length && word.startsWith(entry)) {
        score += 1.5;
        break;
      }
    }
  }
  return score;
}

/** A custom key may be any word, `constructor` or `__proto__` included: only the table's own entries count. */
const vocabularyOf = (key: string): string[] => (Object.hasOwn(VOCABULARY, key) ? VOCABULARY[key]! : []);

function candidateVocabulary(candidate: Candidate): Set<string> {
  const own = [candidate.key.replace(/[_-]+/g, ' '), candidate.name, candidate.description].flatMap((text) => words(text));
  // The quick-create description "사용자 정의 카테고리: <name>" says nothing about the content but the name.
  const generic = new Set(['사용자', '정의', '카테고리', 'custom', 'category', 'the', 'a', 'and', 'of', 'for', 'to']);
  return new Set([...own.filter((word) => !generic.has(word) && word.length >= 2), ...vocabularyOf(candidate.key).map((entry) => entry.toLowerCase())]);
}

export function classifyBuiltin(input: ClassifyInput): BuiltinAnswer {
  const memoWords = [...words(input.text), ...input.tags.flatMap((tag) => words(tag)).flatMap((word) => [word, word])];
  // Quote marks are not word-like, so the quote vocabulary sees them as pseudo-words.
  if (/^["“'‘].+["”'’]/s.test(input.text.trim()) || /["“].{8,}["”]\s*[-—–]/s.test(input.text)) memoWords.push('"', '"');
  let best: BuiltinAnswer = { key: null, confidence: 0 };
  let bestScore = 0;
  let total = 0;
  for (const candidate of input.candidates) {
    const score = matchScore(memoWords, candidateVocabulary(candidate));
    total += score;
    if (score > bestScore) {
      bestScore = score;
      best = { key: candidate.key, confidence: 0 };
    }
  }
  if (bestScore <= THRESHOLD || best.key === null) return { key: null, confidence: 0 };
  // Share of the evidence, damped by how much evidence there is: one clear hit is not certainty.
  const confidence = (bestScore / total) * (1 - 1 / (1 + bestScore / 2));
  return { key: best.key, confidence: Math.round(confidence * 1000) / 1000 };
}
