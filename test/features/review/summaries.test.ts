import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../../src/index';
import { api, json, problem } from '../../helpers/api';
import { testRedis } from '../../helpers/sessions';
import { createTestUser, type TestUser } from '../../helpers/users';
import { memoForm, putMemo } from '../memos/helpers';
import { focusedSession, getJson, memoAt, type RetrospectiveBody } from './helpers';

interface SummaryBody {
  date: string;
  tz: string;
  ai_comment: string;
  category_summaries: { category: string; summary: string; memo_count: number }[];
  total_memos: number;
  focus_minutes: number;
  completed_sessions: number;
  generated_by: string;
  stale: boolean;
  created_at: string;
  generated_at: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HANGUL = /[\uac00-\ud7a3]/;
const dailyPath = (date: string, tz: string) => `/summary/daily?${new URLSearchParams({ date, tz })}`;
const daily = async (user: TestUser, date: string, tz: string) => (await getJson<{ summary: SummaryBody | null }>(user, dailyPath(date, tz))).summary;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls as the web client does until the real queue has written a current summary (bounded). */
async function freshSummary(user: TestUser, date: string, tz: string, after?: string): Promise<SummaryBody> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const summary = await daily(user, date, tz);
    if (summary && !summary.stale && (!after || summary.generated_at > after)) return summary;
    await sleep(100);
  }
  throw new Error(`no fresh summary for ${date} ${tz}`);
}

const claimKeys = (user: TestUser) => testRedis().hkeys(`summary-jobs:${user.userId}`);

describe('GET /summary/daily', () => {
  it('answers null for a day without memos and queues nothing', async () => {
    const user = await createTestUser();
    await focusedSession(user, '2025-08-13T09:00:00.000+09:00', 5);
    expect(await daily(user, '2025-08-13', 'Asia/Seoul')).toBeNull();
    expect(await claimKeys(user)).toEqual([]);
  });

  it('summarises an English day after the real queue runs: comment, categories, counts', async () => {
    const user = await createTestUser();
    const at = (time: string) => `2025-08-13T${time}+09:00`;
    await memoAt(user, at('09:00:00.000'), { content: 'Fixed the login bug. The login page now loads fast.', tags: 'auth' }, 'work');
    await memoAt(user, at('10:00:00.000'), { content: 'Reviewed the login pull request. Coffee was good.', tags: 'auth,review' }, 'work');
    await memoAt(user, at('11:00:00.000'), { content: 'Idea: a calmer onboarding screen.' });
    await focusedSession(user, at('12:00:00.000'), 20);

    expect(await daily(user, '2025-08-13', 'Asia/Seoul')).toBeNull();
    const summary = await freshSummary(user, '2025-08-13', 'Asia/Seoul');
    expect(summary).toMatchObject({ date: '2025-08-13', tz: 'Asia/Seoul', total_memos: 3, focus_minutes: 20, completed_sessions: 1, generated_by: 'builtin', stale: false });
    expect(summary.created_at).toMatch(ISO);
    expect(summary.generated_at).toMatch(ISO);
    expect(summary.category_summaries.map(({ category, memo_count }) => [category, memo_count])).toEqual([
      ['work', 2],
      ['uncategorized', 1],
    ]);
    expect(summary.category_summaries[0]!.summary).toContain('login');
    for (const entry of summary.category_summaries) expect(entry.summary.length).toBeLessThanOrEqual(200);
    expect(summary.ai_comment).not.toMatch(HANGUL);
    expect(summary.ai_comment).toMatch(/3/);
    expect(summary.ai_comment).toMatch(/1 focus session for 20 minutes/);
    // `date` echoes the request as written.
    expect((await getJson<{ summary: SummaryBody }>(user, dailyPath('2025-8-13', 'Asia/Seoul'))).summary.date).toBe('2025-8-13');
  });

  it('writes a Korean day in Korean', async () => {
    const user = await createTestUser();
    await memoAt(user, '2025-08-13T01:00:00.000Z', { content: '오늘 회의에서 새 기능 일정을 정했다. 회의가 길었다.' }, 'work');
    await memoAt(user, '2025-08-13T02:00:00.000Z', { content: '저녁에 산책하면서 생각을 정리했다.' }, 'health');
    const summary = await freshSummary(user, '2025-08-13', 'Asia/Seoul');
    expect(summary.ai_comment).toMatch(HANGUL);
    expect(summary.ai_comment).toContain('2');
    expect(summary.category_summaries).toEqual([
      { category: 'health', summary: '저녁에 산책하면서 생각을 정리했다.', memo_count: 1 },
      { category: 'work', summary: expect.stringContaining('회의'), memo_count: 1 },
    ]);
  });

  it('names a custom category by its name, never its key, in Korean and in English', async () => {
    const user = await createTestUser();
    for (const [key, name] of [['e2e_운동', '운동'], ['gym_log', 'Gym log']]) {
      const response = await api('/categories/custom', { method: 'POST', ...json({ key, name, description: '', icon: 'lightbulb', color: '#F59E0B' }, user.cookie) });
      expect(response.status, await response.clone().text()).toBe(200);
    }
    await memoAt(user, '2025-08-13T01:00:00.000Z', { content: '하체 운동: 스쿼트 5세트.' }, 'e2e_운동');
    await memoAt(user, '2025-08-13T02:00:00.000Z', { content: '저녁에 러닝 5킬로.' }, 'e2e_운동');
    await memoAt(user, '2025-08-14T01:00:00.000Z', { content: 'Squats and lunges, then a short run.' }, 'gym_log');
    const korean = await freshSummary(user, '2025-08-13', 'UTC');
    const english = await freshSummary(user, '2025-08-14', 'UTC');
    expect(korean.ai_comment).toContain("'운동'");
    expect(korean.ai_comment).not.toContain('e2e_');
    expect(english.ai_comment).toContain('Gym log');
    expect(english.ai_comment).not.toContain('gym_log');
    // The per-category entries stay keyed by the category's key, as the client looks them up.
    expect(korean.category_summaries.map((entry) => entry.category)).toEqual(['e2e_운동']);
  });

  it('marks the summary stale after an edit or a delete, and one regeneration follows each', async () => {
    const user = await createTestUser();
    const first = await memoAt(user, '2025-08-13T01:00:00.000Z', { content: 'Planned the sprint.' }, 'work');
    await memoAt(user, '2025-08-13T02:00:00.000Z', { content: 'Walked in the park.' }, 'health');
    const original = await freshSummary(user, '2025-08-13', 'UTC');

    expect((await putMemo(user, first.id, memoForm({ content: 'Planned the sprint and the launch.', tags: 'launch' }))).status).toBe(200);
    const stale = await daily(user, '2025-08-13', 'UTC');
    expect(stale).toMatchObject({ stale: true, ai_comment: original.ai_comment, generated_at: original.generated_at });
    const edited = await freshSummary(user, '2025-08-13', 'UTC', original.generated_at);
    expect(edited.created_at).toBe(original.created_at);
    expect(edited.category_summaries.find((entry) => entry.category === 'work')?.summary).toContain('launch');
    // Once regenerated, polling queues nothing more: the version stays.
    await sleep(1500);
    expect((await daily(user, '2025-08-13', 'UTC'))?.generated_at).toBe(edited.generated_at);

    expect((await api(`/memo/${first.id}`, { method: 'DELETE', headers: user.cookie })).status).toBeLessThan(300);
    expect(await daily(user, '2025-08-13', 'UTC')).toMatchObject({ stale: true, total_memos: 2 });
    const afterDelete = await freshSummary(user, '2025-08-13', 'UTC', edited.generated_at);
    expect(afterDelete.total_memos).toBe(1);
    expect(afterDelete.category_summaries.map((entry) => entry.category)).toEqual(['health']);
  });

  it('queues a single job for 20 polls', async () => {
    const user = await createTestUser();
    await memoAt(user, '2025-08-13T01:00:00.000Z', { content: 'One memo' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => daily(user, '2025-08-13', 'UTC')));
    expect(answers.filter((answer) => answer !== null && !answer.stale)).toEqual([]);
    // One claim for the day's fingerprint: only the poll that took it sent a job.
    expect(await claimKeys(user)).toHaveLength(1);
    const summary = await freshSummary(user, '2025-08-13', 'UTC');
    await sleep(1500);
    expect((await daily(user, '2025-08-13', 'UTC'))?.generated_at).toBe(summary.generated_at);
    expect(await claimKeys(user)).toHaveLength(1);
  });

  it('never lets a late job overwrite a newer summary', async () => {
    const user = await createTestUser();
    const memo = await memoAt(user, '2025-08-13T01:00:00.000Z', { content: 'First version.' });
    await freshSummary(user, '2025-08-13', 'UTC');
    const [oldKey] = await claimKeys(user);
    const oldFingerprint = oldKey!.split(':').at(-1)!;
    await putMemo(user, memo.id, memoForm({ content: 'Second version.' }));
    await daily(user, '2025-08-13', 'UTC');
    const newer = await freshSummary(user, '2025-08-13', 'UTC');

    // The first job's message, delivered again late, through the real queue handler.
    const batch = createMessageBatch('omood-jobs', [
      { id: 'late', timestamp: new Date(), attempts: 1, body: { kind: 'summarise-day', userId: user.userId, date: '2025-08-13', tz: 'UTC', fingerprint: oldFingerprint } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['late']);
    expect(await daily(user, '2025-08-13', 'UTC')).toEqual(newer);
    expect(newer.category_summaries[0]?.summary).toBe('Second version.');
  });

  it('puts a memo at 23:30 in Seoul on Seoul’s day, not UTC’s', async () => {
    const user = await createTestUser();
    await memoAt(user, '2025-08-13T23:30:00.000+09:00', { content: 'Late night in Seoul' });
    await memoAt(user, '2025-08-14T00:30:00.000+09:00', { content: 'After midnight in Seoul' });
    expect((await freshSummary(user, '2025-08-13', 'Asia/Seoul')).total_memos).toBe(1);
    expect((await freshSummary(user, '2025-08-14', 'Asia/Seoul')).category_summaries[0]?.summary).toBe('After midnight in Seoul');
    // Both are the 13th in UTC.
    expect((await freshSummary(user, '2025-08-13', 'UTC')).total_memos).toBe(2);
  });

  it('refuses another user’s view and no credentials', async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    await memoAt(owner, '2025-08-13T01:00:00.000Z', { content: 'Private thought' });
    await freshSummary(owner, '2025-08-13', 'UTC');
    expect(await daily(other, '2025-08-13', 'UTC')).toBeNull();
    expect((await api(dailyPath('2025-08-13', 'UTC'))).status).toBe(401);
    const invalid = await api('/summary/daily?date=2025-02-30&tz=Mars/Olympus', { headers: owner.bearer });
    expect(invalid.status).toBe(422);
    expect((await problem(invalid)).errors?.map((error) => error.field).sort()).toEqual(['query.date', 'query.tz']);
  });
});

describe('GET /summary/range', () => {
  it("answers each day's comment and counts, and queues the stale days in one go", async () => {
    const user = await createTestUser();
    await memoAt(user, '2025-08-11T09:00:00.000Z', { content: 'Monday memo' });
    await memoAt(user, '2025-08-13T09:00:00.000Z', { content: 'Wednesday memo' });
    await memoAt(user, '2025-08-13T10:00:00.000Z', { content: 'Another Wednesday memo' });
    const path = `/summary/range?${new URLSearchParams({ tz: 'UTC', start_date: '2025-08-10', end_date: '2025-08-16' })}`;
    type RangeBody = { days: { date: string; memo_count: number; ai_comment: string | null; total_memos: number | null; stale: boolean }[] };

    const first = await getJson<RangeBody>(user, path);
    expect(first.days.map((day) => [day.date, day.memo_count, day.ai_comment])).toEqual([
      ['2025-08-10', 0, null],
      ['2025-08-11', 1, null],
      ['2025-08-12', 0, null],
      ['2025-08-13', 2, null],
      ['2025-08-14', 0, null],
      ['2025-08-15', 0, null],
      ['2025-08-16', 0, null],
    ]);
    expect(await claimKeys(user)).toHaveLength(2);
    const wednesday = await freshSummary(user, '2025-08-13', 'UTC');
    await freshSummary(user, '2025-08-11', 'UTC');
    const after = await getJson<RangeBody>(user, path);
    expect(after.days[3]).toEqual({ date: '2025-08-13', memo_count: 2, ai_comment: wednesday.ai_comment, total_memos: 2, focus_minutes: 0, completed_sessions: 0, stale: false });
    expect(after.days[1]?.ai_comment).toEqual(expect.any(String));

    const tooLong = await api(`/summary/range?${new URLSearchParams({ tz: 'UTC', start_date: '2025-01-01', end_date: '2025-03-05' })}`, { headers: user.bearer });
    expect(tooLong.status).toBe(422);
    expect((await problem(tooLong)).errors?.[0]?.field).toBe('query.end_date');
    expect((await api(path)).status).toBe(401);
  });
});

describe('GET /retrospective/daily with the summary and check-ins', () => {
  it("includes the day's summary and moods, and the builtin comment mentions the mood", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    await memoAt(user, '2025-08-13T01:00:00.000Z', { content: 'Shipped the release notes.' }, 'work');
    const mood = await api('/moods', { method: 'POST', ...json({ score: 4, emotions: ['calm', 'proud'], recorded_at: '2025-08-13T03:00:00.000Z' }, user.bearer) });
    expect(mood.status).toBe(200);
    await api('/moods', { method: 'POST', ...json({ score: 1, emotions: ['sad'], recorded_at: '2025-08-13T04:00:00.000Z' }, other.bearer) });

    const path = `/retrospective/daily?${new URLSearchParams({ date: '2025-08-13', tz: 'UTC' })}`;
    const first = await getJson<RetrospectiveBody & { summary: SummaryBody | null; moods: { score: number }[] }>(user, path);
    expect(first.summary).toBeNull();
    expect(first.moods.map((entry) => entry.score)).toEqual([4]);

    const summary = await freshSummary(user, '2025-08-13', 'UTC');
    expect(summary.ai_comment).toMatch(/mood averaged 4 out of 5, mostly calm/);
    const later = await getJson<RetrospectiveBody & { summary: SummaryBody | null; moods: unknown[] }>(user, path);
    expect(later.summary).toEqual({ ...summary, date: '2025-08-13' });
    expect((await getJson<{ summary: null; moods: unknown[] }>(other, path)).summary).toBeNull();
  });
});
