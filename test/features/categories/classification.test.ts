import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api } from '../../helpers/api';
import { runCron } from '../../helpers/sessions';
import { createTestUser, testDb } from '../../helpers/users';
import { listMemos, memoForm, putMemo } from '../memos/helpers';
import { classified, createCategory, createMemo, deleteCategory, getMemo, putCategory, quickCreate, waitForMemo } from './helpers';

describe('automatic classification through the queue', () => {
  it('queues a memo created without a category and the consumer classifies it', async () => {
    const user = await createTestUser();
    const created = await createMemo(user, { content: '내일 마트에서 우유랑 계란 사야 함' });
    expect(created.category).toBe('uncategorized');
    expect(created.category_confidence).toBeNull();
    const memo = await waitForMemo(user, created.id, classified);
    expect(memo.category).toBe('shopping');
    expect(memo.category_confidence).toBeGreaterThan(0);
    expect(memo.category_confidence).toBeLessThan(1);
  });

  it('ends with no category when nothing fits, and classifies among the user’s own categories', async () => {
    const user = await createTestUser();
    await createCategory(user, quickCreate('운동', { description: '헬스, 러닝, 스쿼트, 운동 기록' }));
    const nothing = await createMemo(user, { content: 'asdf qwer zxcv' });
    const workout = await createMemo(user, { content: '오늘 헬스장에서 스쿼트 5세트 하고 러닝 3km' });
    expect((await waitForMemo(user, nothing.id, classified)).category).toBeNull();
    expect((await waitForMemo(user, workout.id, classified)).category).toBe('운동');
  });

  it('knows the world around a category: a terse custom category gets its topic’s memos, compounds and brands are read right', async () => {
    const user = await createTestUser();
    await createCategory(user, quickCreate('운동', { description: '운동 기록' }));
    await createCategory(user, quickCreate('독서', { description: '읽은 책과 감상' }));
    const expected: [string, string | null][] = [
      ['데드리프트 80kg 성공', '운동'],
      ['Leg day: squats and lunges', '운동'],
      ['반품 신청: 사이즈 안 맞는 운동화', 'shopping'],
      ['도서관 책 반납일 금요일', '독서'],
      ['정보처리기사 필기 접수', 'study'],
      ['거래처에 견적서 보내기', 'work'],
      ['Rent is due on the 1st', 'personal'],
      ['할머니가 늘 "밥은 먹고 다녀라" 라고 하셨다', 'quote'],
      ['하늘이 예쁘다', null],
    ];
    const memos = [];
    for (const [content] of expected) memos.push(await createMemo(user, { content }));
    const got = [];
    for (const memo of memos) got.push((await waitForMemo(user, memo.id, classified)).category);
    expect(got).toEqual(expected.map(([, key]) => key));
  });

  it('classifies the memos of a user whose categories are named like Object.prototype members', async () => {
    const user = await createTestUser();
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      await createCategory(user, quickCreate(key, { description: `${key} notes` }));
    }
    const shopping = await createMemo(user, { content: '내일 마트에서 우유랑 계란 사야 함' });
    const ownKey = await createMemo(user, { content: 'constructor notes about the constructor' });
    expect((await waitForMemo(user, shopping.id, classified)).category).toBe('shopping');
    expect((await waitForMemo(user, ownKey.id, classified)).category).toBe('constructor');
  });

  it('classifies a memo that fit nothing again once the user creates or renames a category that fits it', async () => {
    const user = await createTestUser();
    const climbing = await createMemo(user, { content: '볼더링 V3 완등, 다음엔 리드 클라이밍 도전' });
    const guitar = await createMemo(user, { content: 'practised fingerstyle guitar chords for an hour' });
    expect((await waitForMemo(user, climbing.id, classified)).category).toBeNull();
    expect((await waitForMemo(user, guitar.id, classified)).category).toBeNull();

    await createCategory(user, quickCreate('클라이밍', { description: '볼더링, 리드, 클라이밍 기록' }));
    expect((await waitForMemo(user, climbing.id, (memo) => memo.category !== null)).category).toBe('클라이밍');

    const hobby = await createCategory(user, quickCreate('hobby', { description: 'painting' }));
    expect((await getMemo(user, guitar.id)).category).toBeNull();
    await putCategory(user, hobby.id, quickCreate('music', { description: 'guitar, chords, fingerstyle, practice' }));
    expect((await waitForMemo(user, guitar.id, (memo) => memo.category !== null)).category).toBe('music');
  });

  it('keeps a chosen category through edits; an automatic memo edited the way the client edits it stays automatic', async () => {
    const user = await createTestUser();
    const chosen = await createMemo(user, { content: '회의록 정리', category: 'personal' });
    expect([chosen.category, chosen.category_confidence]).toEqual(['personal', 1]);
    let response = await putMemo(user, chosen.id, memoForm({ content: '마트에서 우유 사기', category: 'personal' }));
    expect(response.status).toBe(200);
    expect((await getMemo(user, chosen.id)).category).toBe('personal');

    const auto = await waitForMemo(user, (await createMemo(user, { content: '내일 팀 회의 발표 자료 마감' })).id, classified);
    expect(auto.category).toBe('work');
    response = await putMemo(user, auto.id, memoForm({ content: '마트에서 우유랑 계란이랑 휴지 사기', category: 'work' }));
    expect(response.status).toBe(200);
    const reclassified = await waitForMemo(user, auto.id, (memo) => memo.category === 'shopping');
    expect(reclassified.category_confidence).toBeLessThan(1);
  });

  it('refuses a key that is neither built in nor the user’s', async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    await createCategory(other, quickCreate('secret'));
    const response = await api('/memo', { method: 'POST', headers: user.cookie, body: memoForm({ content: 'x', category: 'secret' }) });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { errors: { field: string }[] };
    expect(body.errors[0]?.field).toBe('body.category');
  });

  it('lets a newer edit and a user’s choice beat a late classification', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: '내일 마트에서 우유 사기' });
    // The user picks a category before the consumer's result lands: the result must not overwrite it.
    const response = await putMemo(user, memo.id, memoForm({ content: '내일 마트에서 우유 사기', category: 'idea' }));
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await getMemo(user, memo.id)).category).toBe('idea');
    expect((await getMemo(user, memo.id)).category_confidence).toBe(1);
  });

  it('recovers a lost queue message with the cron', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: '알고리즘 강의 복습하고 시험 공부' });
    await waitForMemo(user, memo.id, classified);
    // As if the send had been lost: the memo waits with its request minutes old and no message in flight.
    await testDb().execute(sql`update memos set category = 'uncategorized', category_confidence = null, classify_requested_at = now() - interval '10 minutes' where id = ${memo.id}`);
    await runCron();
    expect((await waitForMemo(user, memo.id, classified)).category).toBe('study');
  });

  it('moves memos with a renamed key, and to classification when the category is deleted', async () => {
    const user = await createTestUser();
    const category = await createCategory(user, quickCreate('side project', { description: '사이드 프로젝트' }));
    const memo = await createMemo(user, { content: '랜딩 페이지 문구', category: 'side_project' });
    const renamed = await putCategory(user, category.id, quickCreate('hobby'));
    expect(renamed.status).toBe(200);
    expect((await getMemo(user, memo.id)).category).toBe('hobby');
    expect((await listMemos(user, { tz: 'UTC', start_date: '2000-01-01', end_date: '2100-01-01', category: 'hobby' })).map((m) => m.id)).toEqual([memo.id]);

    expect((await deleteCategory(user, category.id)).status).toBe(200);
    const after = await waitForMemo(user, memo.id, classified);
    expect(after.category).not.toBe('hobby');
    expect(after.category_confidence).not.toBe(1);
  });
});
