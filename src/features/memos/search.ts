import { fromBase64Url, toBase64Url } from '../../lib/encoding';

/**
 * What a search query means and how a hit is shown; no I/O. The database holds `search_text`,
 * `lower(normalize(content || '\n' || tags, NFKC))` (migration 0010), and a query is folded the same
 * way here, so case and width (full-width Ａ, half-width ｶ) never matter. A query is its words:
 * every word must occur somewhere in the memo, inside longer words too ("회의" finds "주간회의록").
 */

/** The fewest characters a word needs to count: one character would match nearly everything, and no index helps it. */
export const MIN_TERM_LENGTH = 2;
export const MAX_QUERY_LENGTH = 200;
/** Words after these are ignored: each is one more condition and one more part of the score. */
export const MAX_TERMS = 8;
/** Search results per page by default, and at most. */
export const SEARCH_PAGE_DEFAULT = 20;
export const SEARCH_PAGE_MAX = 50;

/** NFKC then lowercase: the same fold as the database's `lower(normalize(…, NFKC))`. */
export const fold = (text: string) => text.normalize('NFKC').toLowerCase();

const codePoints = (text: string) => [...text].length;

/** The distinct words of a query, folded, in order; words under two characters are left out (empty: nothing to search for). */
export function searchTerms(query: string): string[] {
  const words = fold(query).split(/\s+/u).filter((word) => codePoints(word) >= MIN_TERM_LENGTH);
  return [...new Set(words)].slice(0, MAX_TERMS);
}

/** The query as one phrase (words joined by single spaces), for the score's phrase bonus. */
export const searchPhrase = (query: string) => fold(query).trim().split(/\s+/u).join(' ');

/**
 * The 2-character pieces are indexed for the first this many characters of a memo's search text
 * (memo_head_bigrams in migration 0010, and its partial index memos_search_long_idx: keep them equal).
 */
export const BIGRAM_HEAD = 5000;

/** How a term is matched: 2 characters through the set of 2-character pieces, longer ones through trigrams. */
export const usesBigrams = (term: string) => codePoints(term) === MIN_TERM_LENGTH;

/** A LIKE pattern finding `term` anywhere (`\` is LIKE's default escape). */
export const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** `term` as a literal inside a Postgres regular expression. */
export const regexLiteral = (term: string) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a search page ends: the last hit's score (as Postgres printed the numeric) and id, the order of the results. */
export interface SearchPosition {
  score: string;
  id: string;
}

const base64url = (text: string) => btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

/** Opaque to clients: `base64url("s:<score>|<id>")`. */
export const encodeSearchCursor = (position: SearchPosition) => base64url(`s:${position.score}|${position.id}`);

export function decodeSearchCursor(cursor: string): SearchPosition | undefined {
  let text: string;
  try {
    text = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return undefined;
  }
  const match = /^s:(\d{1,6}(?:\.\d{1,4})?)\|([0-9a-f]{24})$/.exec(text);
  return match ? { score: match[1] as string, id: match[2] as string } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Snippets

/** Characters of context shown before the first match, and the snippet's length at most. */
const CONTEXT_BEFORE = 60;
const SNIPPET_LENGTH = 180;
/** Text beyond this is not looked at for marks when it needs the slow fold (see foldMapped); the hit is still a hit. */
const SLOW_FOLD_LIMIT = 50_000;

interface Folded {
  text: string;
  /** For each UTF-16 unit of `text`, the index in the original where its grapheme starts and ends. */
  start: number[];
  end: number[];
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The folded text with a map back to the original. Most text (NFC Korean, plain Latin) folds unit
 * for unit, and the map is the identity; otherwise each grapheme is folded on its own, which joins
 * decomposed Hangul and splits ligatures as the whole-text fold does.
 */
function foldMapped(original: string): Folded | { text: string; identity: true } {
  if (original.normalize('NFKC') === original) {
    const lowered = original.toLowerCase();
    if (lowered.length === original.length) return { text: lowered, identity: true };
  }
  const folded: Folded = { text: '', start: [], end: [] };
  const parts: string[] = [];
  for (const { segment, index } of segmenter.segment(original.slice(0, SLOW_FOLD_LIMIT))) {
    const piece = fold(segment);
    parts.push(piece);
    for (let unit = 0; unit < piece.length; unit++) {
      folded.start.push(index);
      folded.end.push(index + segment.length);
    }
  }
  folded.text = parts.join('');
  return folded;
}

/** Ranges `[start, end)` of the original where any term occurs, merged and in order. */
function matchRanges(original: string, terms: string[]): [number, number][] {
  const folded = foldMapped(original);
  const ranges: [number, number][] = [];
  for (const term of terms) {
    for (let at = folded.text.indexOf(term), found = 0; at >= 0 && found < 200; at = folded.text.indexOf(term, at + term.length), found++) {
      const last = at + term.length - 1;
      ranges.push('identity' in folded ? [at, last + 1] : [folded.start[at] as number, folded.end[last] as number]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const previous = merged.at(-1);
    if (previous && range[0] <= previous[1]) previous[1] = Math.max(previous[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);

/** Runs of whitespace (newlines included) shown as one space. */
const flatten = (text: string) => text.replace(/\s+/gu, ' ');

/** Moves an index off the second half of a surrogate pair, so a cut never splits a character. */
const onCharacter = (text: string, index: number) => (index > 0 && index < text.length && /[\uDC00-\uDFFF]/.test(text.charAt(index)) ? index - 1 : index);

/** A window of `text` around its first match, escaped, every match in it marked; undefined when no term occurs. */
function markedWindow(text: string, terms: string[]): string | undefined {
  const ranges = matchRanges(text, terms);
  const first = ranges[0];
  if (!first) return undefined;
  const start = onCharacter(text, Math.max(0, Math.min(first[0] - CONTEXT_BEFORE, text.length - SNIPPET_LENGTH)));
  const end = onCharacter(text, Math.min(text.length, Math.max(start + SNIPPET_LENGTH, first[1])));
  let html = start > 0 ? '…' : '';
  let at = start;
  for (const [from, to] of ranges) {
    if (from >= end) break;
    html += escapeHtml(flatten(text.slice(at, from))) + '<mark>' + escapeHtml(flatten(text.slice(from, Math.min(to, end)))) + '</mark>';
    at = Math.min(to, end);
  }
  html += escapeHtml(flatten(text.slice(at, end))) + (end < text.length ? '…' : '');
  return html.trim();
}

/**
 * What a hit shows: HTML-safe text (everything escaped) with each match in `<mark>…</mark>`, from
 * the first field that matches, content first, then tags (as `#tag`). Voice transcripts, once
 * they exist, come after the content here and in memo_search_text. A memo found only across a
 * field boundary (or past SLOW_FOLD_LIMIT) shows its beginning, unmarked.
 */
export function snippetOf(memo: { content: string; tags: string[] }, terms: string[]): string {
  const fields = [memo.content, memo.tags.map((tag) => `#${tag}`).join(' ')];
  for (const field of fields) {
    const marked = markedWindow(field, terms);
    if (marked !== undefined) return marked;
  }
  const start = memo.content.slice(0, onCharacter(memo.content, SNIPPET_LENGTH));
  return escapeHtml(flatten(start)).trim() + (memo.content.length > start.length ? '…' : '');
}
