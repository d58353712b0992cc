import { describe, expect, it } from 'vitest';
import { api, problem } from '../../helpers/api';
import { createTestUser, type TestUser } from '../../helpers/users';
import { createMemo, type MemoBody } from './helpers';

interface SearchResult {
  memo: MemoBody;
  snippet: string;
  score: number;
}

interface SearchPage {
  results: SearchResult[];
  next_cursor: string | null;
}

const searchResponse = (user: TestUser, query: Record<string, string>) => api(`/memo/search?${new URLSearchParams(query)}`, { headers: user.bearer });

async function search(user: TestUser, query: Record<string, string>): Promise<SearchPage> {
  const response = await searchResponse(user, query);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as SearchPage;
}

const contents = (page: SearchPage) => page.results.map((result) => result.memo.content);

async function memos(user: TestUser, ...texts: string[]): Promise<MemoBody[]> {
  const created: MemoBody[] = [];
  for (const content of texts) created.push(await createMemo(user, { content }));
  return created;
}

describe('search: what is found', () => {
  it('a two-character Korean word finds memos containing it inside longer words', async () => {
    const user = await createTestUser();
    await memos(user, '주간회의록 정리하기', '내일 회의 준비', '점심 메뉴 고민', '회의실 예약');
    const page = await search(user, { q: '회의' });
    expect(contents(page).sort()).toEqual(['내일 회의 준비', '주간회의록 정리하기', '회의실 예약'].sort());
    expect(page.next_cursor).toBeNull();
    expect(contents(await search(user, { q: '회의록' }))).toEqual(['주간회의록 정리하기']);
    expect(contents(await search(user, { q: '저녁' }))).toEqual([]);
  });

  it('finds a two-character word anywhere in a long memo, past the indexed first 5,000 characters too', async () => {
    const user = await createTestUser();
    const long = await createMemo(user, { content: `${'가나다라 '.repeat(2000)}끝에 있는 회의록` });
    await createMemo(user, { content: '가나다라 마바사' });
    expect((await search(user, { q: '회의' })).results.map((result) => result.memo.id)).toEqual([long.id]);
    expect((await search(user, { q: '회의록' })).results.map((result) => result.memo.id)).toEqual([long.id]);
    expect((await search(user, { q: '다라' })).results).toHaveLength(2);
  });

  it('English inside words, whatever the case or width (NFKC)', async () => {
    const user = await createTestUser();
    await memos(user, 'Weekly MEETING notes', 'premeetings are long', 'ＦＵＬＬ-width ｍｅｅｔｉｎｇ memo', 'nothing here');
    const lower = contents(await search(user, { q: 'meeting' }));
    expect(lower.sort()).toEqual(['Weekly MEETING notes', 'premeetings are long', 'ＦＵＬＬ-width ｍｅｅｔｉｎｇ memo'].sort());
    expect(contents(await search(user, { q: 'MeEtInG' })).sort()).toEqual(lower);
    expect(contents(await search(user, { q: 'ＭＥＥＴＩＮＧ' })).sort()).toEqual(lower);
    expect(contents(await search(user, { q: 'full-width' }))).toEqual(['ＦＵＬＬ-width ｍｅｅｔｉｎｇ memo']);
  });

  it('tags are searched too, and every word of the query must occur', async () => {
    const user = await createTestUser();
    const tagged = await createMemo(user, { content: '오늘 할 일', tags: '프로젝트, Roadmap' });
    await memos(user, '프로젝트 일정 roadmap 초안', '프로젝트 예산');
    const page = await search(user, { q: '프로젝트 roadmap' });
    expect(contents(page).sort()).toEqual(['오늘 할 일', '프로젝트 일정 roadmap 초안'].sort());
    const hit = page.results.find((result) => result.memo.id === tagged.id);
    expect(hit?.snippet).toBe('#<mark>프로젝트</mark> #<mark>Roadmap</mark>');
    // A two-character word next to a longer one, and two two-character words.
    expect(contents(await search(user, { q: '일정 roadmap' }))).toEqual(['프로젝트 일정 roadmap 초안']);
    expect(contents(await search(user, { q: '할 일 오늘' }))).toEqual(['오늘 할 일']);
    expect(contents(await search(user, { q: '예산 트예' }))).toEqual([]);
    // Words under two characters are ignored when another word remains.
    expect(contents(await search(user, { q: '예산 a' }))).toEqual(['프로젝트 예산']);
  });

  it("never finds another user's memos", async () => {
    const me = await createTestUser();
    const other = await createTestUser();
    await memos(other, '비밀 회의 내용', 'secret meeting');
    const mine = await createMemo(me, { content: '나의 회의 메모' });
    const page = await search(me, { q: '회의' });
    expect(page.results.map((result) => result.memo.id)).toEqual([mine.id]);
    expect(page.results[0]?.memo.user_id).toBe(me.userId);
    expect((await search(me, { q: 'secret' })).results).toEqual([]);
    expect(contents(await search(other, { q: '회의' }))).toEqual(['비밀 회의 내용']);
  });

  it('filters by category and by local days', async () => {
    const user = await createTestUser();
    await createMemo(user, { content: 'idea about search', category: 'idea' });
    await createMemo(user, { content: 'work on search', category: 'work' });
    expect(contents(await search(user, { q: 'search', category: 'idea' }))).toEqual(['idea about search']);
    const today = new Date().toISOString().slice(0, 10);
    expect((await search(user, { q: 'search', tz: 'UTC', from: today, to: today })).results).toHaveLength(2);
    expect((await search(user, { q: 'search', tz: 'UTC', to: '2020-01-01' })).results).toEqual([]);
    expect((await search(user, { q: 'search', tz: 'UTC', from: '2999-01-01' })).results).toEqual([]);
  });
});

describe('search: ranking', () => {
  it('the memo matching more and better comes first', async () => {
    const user = await createTestUser();
    const [once, inside, often] = await memos(user, '내일 회의 준비', '주간회의록', '회의 회의 또 회의, 하루 종일 회의');
    const tagged = await createMemo(user, { content: '팀 미팅 정리', tags: '회의' });
    const page = await search(user, { q: '회의' });
    const order = page.results.map((result) => result.memo.id);
    expect(order.indexOf(often!.id)).toBeLessThan(order.indexOf(once!.id));
    expect(order.indexOf(tagged.id)).toBeLessThan(order.indexOf(once!.id));
    // At the start of a word beats inside one.
    expect(order.indexOf(once!.id)).toBeLessThan(order.indexOf(inside!.id));
    const scores = page.results.map((result) => result.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('a short memo about the word beats a long one that mentions it once; the phrase as typed counts', async () => {
    const user = await createTestUser();
    const [long, short] = await memos(user, `budget ${'lorem ipsum dolor sit amet '.repeat(400)}`, 'budget review');
    expect((await search(user, { q: 'budget' })).results.map((result) => result.memo.id)).toEqual([short!.id, long!.id]);
    const [apart, phrase] = await memos(user, 'release notes: plan the next release later, notes here', 'release plan notes');
    const order = (await search(user, { q: 'release plan' })).results.map((result) => result.memo.id);
    expect(order.indexOf(phrase!.id)).toBeLessThan(order.indexOf(apart!.id));
  });
});

describe('search: snippets', () => {
  it('marks the match and escapes everything else', async () => {
    const user = await createTestUser();
    await createMemo(user, { content: '<script>alert("x")</script> Tom & Jerry\'s 회의 <b>bold</b>' });
    const [hit] = (await search(user, { q: '회의' })).results;
    expect(hit?.snippet).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom &amp; Jerry&#39;s <mark>회의</mark> &lt;b&gt;bold&lt;/b&gt;');
    expect(hit?.memo.content).toContain('<script>');
    const [script] = (await search(user, { q: '<script>' })).results;
    expect(script?.snippet.startsWith('<mark>&lt;script&gt;</mark>alert')).toBe(true);
    const [tom] = (await search(user, { q: 'tom' })).results;
    expect(tom?.snippet).toContain('<mark>Tom</mark> &amp; Jerry&#39;s');
    await createMemo(user, { content: 'R&D budget' });
    expect((await search(user, { q: 'r&d' })).results.map((result) => result.snippet)).toEqual(['<mark>R&amp;D</mark> budget']);
  });

  it("keeps the memo's own case and width inside the mark, every occurrence marked, long text cut around the first", async () => {
    const user = await createTestUser();
    await createMemo(user, { content: 'Ｆｕｌｌ ＭＥＥＴＩＮＧ then a Meeting' });
    expect((await search(user, { q: 'meeting' })).results[0]?.snippet).toBe('Ｆｕｌｌ <mark>ＭＥＥＴＩＮＧ</mark> then a <mark>Meeting</mark>');

    await createMemo(user, { content: `${'앞부분 '.repeat(100)}여기서 주간회의록을 찾는다\n\n그리고 ${'뒷부분 '.repeat(100)}` });
    const snippet = (await search(user, { q: '회의' })).results[0]?.snippet ?? '';
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('여기서 주간<mark>회의</mark>록을 찾는다 그리고');
    expect(snippet.length).toBeLessThan(220);
  });
});

describe('search: paging and refusals', () => {
  it('pages through ties without losing or repeating a memo', async () => {
    const user = await createTestUser();
    const created = await memos(user, ...Array.from({ length: 7 }, () => 'same 회의 text'));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: SearchPage = await search(user, { q: '회의', limit: '3', ...(cursor ? { cursor } : {}) });
      seen.push(...page.results.map((result) => result.memo.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    // Equal scores are ordered by id, descending: newest first across seconds (ObjectIds start with the second).
    expect(seen).toEqual(created.map((memo) => memo.id).sort().reverse());
  });

  it('is 422 naming query.q for a query without a word of two characters, and names other bad fields', async () => {
    const user = await createTestUser();
    for (const q of ['a', '회', ' ', 'a b', '']) {
      const response = await searchResponse(user, { q });
      expect(response.status, q).toBe(422);
      expect((await problem(response)).errors?.map((error) => error.field)).toContain('query.q');
    }
    const missing = await api('/memo/search', { headers: user.bearer });
    expect(missing.status).toBe(422);
    expect((await problem(missing)).errors?.map((error) => error.field)).toContain('query.q');
    const cases: [Record<string, string>, string][] = [
      [{ q: '회의', cursor: 'nope' }, 'query.cursor'],
      [{ q: '회의', limit: '51' }, 'query.limit'],
      [{ q: '회의', from: '2025-01-01' }, 'query.tz'],
      [{ q: '회의', tz: 'UTC', from: '2025-02-01', to: '2025-01-01' }, 'query.to'],
      [{ q: 'x'.repeat(201) }, 'query.q'],
    ];
    for (const [query, field] of cases) {
      const response = await searchResponse(user, query);
      expect(response.status, field).toBe(422);
      expect((await problem(response)).errors?.map((error) => error.field)).toContain(field);
    }
  });

  it('needs credentials', async () => {
    const response = await api('/memo/search?q=회의');
    expect(response.status).toBe(401);
    await problem(response);
  });
});
