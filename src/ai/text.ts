/** Text helpers shared by the builtin classifier and summariser: words as Intl.Segmenter sees them. */

const HANGUL = /[\uac00-\ud7a3]/;

/**
 * Particles and endings Korean attaches to a word (를, 에서, 하고…), longest first. Stripped only
 * when a stem of at least two syllables remains, so short nouns that end in one (예: 가다) survive.
 */
const KOREAN_SUFFIXES = [
  '에서는', '으로는', '이라고', '했는데', '하는데', '합니다', '했어요', '해야지', '해야함', '해야',
  '에서', '에게', '한테', '으로', '까지', '부터', '하고', '하기', '해서', '했다', '하자', '할것', '할게', '이랑', '처럼', '보다', '인데', '이다', '니까',
  '은', '는', '이', '가', '을', '를', '에', '의', '도', '로', '와', '과', '랑', '만', '요', '다', '함', '할', '한', '해',
];

const segmenters = new Map<string, Intl.Segmenter>();
const segmenter = (locale: string) => {
  let found = segmenters.get(locale);
  if (!found) segmenters.set(locale, (found = new Intl.Segmenter(locale, { granularity: 'word' })));
  return found;
};

function stripParticle(word: string): string {
  if (!HANGUL.test(word)) return word;
  for (const suffix of KOREAN_SUFFIXES) {
    if (word.length - suffix.length >= 2 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

/** The words of `text`, lowercased, Korean particles stripped; punctuation and spaces dropped. */
export function words(text: string, locale = 'ko'): string[] {
  const found: string[] = [];
  for (const piece of segmenter(locale).segment(text.normalize('NFC').toLowerCase())) {
    if (piece.isWordLike) found.push(stripParticle(piece.segment));
  }
  return found;
}

/** Whether most letters of `text` are Hangul, so output can be worded in Korean. */
export function isMostlyHangul(text: string): boolean {
  const letters = [...text].filter((char) => /\p{L}/u.test(char));
  return letters.length > 0 && letters.filter((char) => HANGUL.test(char)).length * 2 > letters.length;
}
