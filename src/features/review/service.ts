import { summarise, type DayFacts } from '../../ai/summarise';
import { canonicalDate, localDayRange } from '../../lib/local-day';
import { sendJobs, type SummariseDayMessage } from '../../platform/queue';
import type { Services } from '../../platform/services';
import { moodResponse } from '../moods';
import { sessionResponse } from '../sessions';
import * as repository from './repository';
import type { DailySummary, DayQuery, FocusStats, Retrospective, SummaryRange } from './schemas';

type Deps = Pick<Services, 'db'>;
type SummaryDeps = Pick<Services, 'db' | 'redis' | 'jobs'>;

/** Memos without a category are grouped under this key, which the web client shows as 분류중. */
export const UNCATEGORIZED = 'uncategorized';

const toMinutes = (seconds: number) => Math.round(seconds / 60);

type DaySession = Awaited<ReturnType<typeof repository.readDay>>['sessions'][number];

/** A day's focus totals, the same for the retrospective and its summary. */
function focusOf(sessions: DaySession[]): Retrospective['focus'] {
  const finished = sessions.filter(({ status }) => status === 'completed' || status === 'reviewed');
  return {
    focus_minutes: toMinutes(sessions.reduce((sum, { focusedSeconds }) => sum + focusedSeconds, 0)),
    completed_sessions: finished.length,
    reviewed_sessions: sessions.filter(({ status }) => status === 'reviewed').length,
    reflections: sessions.filter(({ session }) => (session.reflection ?? '').trim() !== '').length,
    pomodoros: finished.filter(({ session, focusedSeconds }) => focusedSeconds >= session.durationMinutes * 60).length,
  };
}

/** The whole day in `tz`: sessions with reflections, focus totals and memo counts, in one Neon round trip. */
export async function dailyRetrospective(services: SummaryDeps, userId: string, query: DayQuery, now = new Date()): Promise<Retrospective> {
  const date = canonicalDate(query.date);
  const day = await repository.readDay(services.db, summaryDays(userId, query.tz, date, date), now);
  await queueStaleSummaries(services, userId, query.tz, [day.state]);

  const sessions = day.sessions.map(({ session, status, focusedSeconds }) => ({
    ...sessionResponse(session),
    status: status as Retrospective['sessions'][number]['status'],
    focus_minutes: toMinutes(focusedSeconds),
  }));
  const focus = focusOf(day.sessions);

  const byCategory = new Map<string, number>();
  const byAttachmentType = { image: 0, audio: 0, text_only: 0 };
  for (const group of day.memoGroups) {
    const category = group.category ?? UNCATEGORIZED;
    byCategory.set(category, (byCategory.get(category) ?? 0) + group.count);
    const types = group.types ?? [];
    if (types.includes('image')) byAttachmentType.image += group.count;
    if (types.includes('audio')) byAttachmentType.audio += group.count;
    if (types.length === 0) byAttachmentType.text_only += group.count;
  }
  const memos = {
    total: day.memoGroups.reduce((sum, group) => sum + group.count, 0),
    by_category: [...byCategory]
      .map(([category, count]) => ({ category, count }))
      .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)),
    by_attachment_type: byAttachmentType,
  };

  return { date, tz: query.tz, sessions, focus, memos, summary: summaryResponse(day.state, query.tz), moods: day.moods.map(moodResponse) };
}

/** Per-day focus, completions and memos with streaks over at most 366 local days, in one SQL statement. */
export async function focusStats(
  { db }: Deps,
  userId: string,
  query: { tz: string; start_date: string; end_date: string },
  now = new Date(),
): Promise<FocusStats> {
  const startDate = canonicalDate(query.start_date);
  const endDate = canonicalDate(query.end_date);
  const stats = await repository.readFocusStats(db, userId, query.tz, startDate, endDate, localDayRange(query.tz, startDate, endDate), now);
  const days = stats.days.map((day) => ({
    date: day.date,
    focus_minutes: toMinutes(day.focusSeconds),
    completed_sessions: day.completedSessions,
    memo_count: day.memoCount,
  }));
  return {
    tz: query.tz,
    start_date: startDate,
    end_date: endDate,
    days,
    totals: {
      focus_minutes: toMinutes(stats.days.reduce((sum, day) => sum + day.focusSeconds, 0)),
      completed_sessions: days.reduce((sum, day) => sum + day.completed_sessions, 0),
      memo_count: days.reduce((sum, day) => sum + day.memo_count, 0),
      active_days: days.filter((day) => day.completed_sessions > 0).length,
    },
    current_streak: stats.currentStreak,
    longest_streak: stats.longestStreak,
  };
}

const summaryDays = (userId: string, tz: string, startDate: string, endDate: string): repository.SummaryDays => ({
  userId,
  tz,
  startDate,
  endDate,
  range: localDayRange(tz, startDate, endDate),
});

/** A day needs a (new) summary when it has memos and its summary is missing or was built from something else. */
const needsSummary = (state: repository.SummaryState) => state.memoCount > 0 && state.summary?.fingerprint !== state.fingerprint;

/**
 * Queues one generation per stale day: one script claims them (repeated polls within the
 * claim queue nothing), one sendBatch queues what this caller claimed. Nothing to do costs nothing.
 * A failed send never fails the read.
 */
async function queueStaleSummaries({ redis, jobs }: SummaryDeps, userId: string, tz: string, states: repository.SummaryState[]) {
  const stale = states.filter(needsSummary);
  if (stale.length === 0) return;
  const claimed = await repository.claimSummaryJobs(redis, userId, stale.map((state) => repository.summaryClaimField(state.date, tz, state.fingerprint)));
  const messages: SummariseDayMessage[] = stale
    .filter((_, index) => claimed[index])
    .map((state) => ({ kind: 'summarise-day', userId, date: state.date, tz, fingerprint: state.fingerprint }));
  if (messages.length === 0) return;
  try {
    await sendJobs(jobs, messages);
  } catch (error) {
    // The reader still gets what is stored; the claim expires and a later read queues the day again.
    console.log(JSON.stringify({ level: 'warn', message: 'summary jobs not queued', userId, days: messages.map((message) => message.date), error: String(error) }));
  }
}

/** A day without memos has no summary; a stored one of a day whose memos are gone is not shown. */
function summaryResponse(state: repository.SummaryState, tz: string): DailySummary | null {
  const stored = state.summary;
  if (!stored || state.memoCount === 0) return null;
  return {
    date: state.date,
    tz,
    ai_comment: stored.aiComment,
    category_summaries: stored.categorySummaries,
    total_memos: stored.totalMemos,
    focus_minutes: stored.focusMinutes,
    completed_sessions: stored.completedSessions,
    generated_by: stored.generatedBy as DailySummary['generated_by'],
    stale: stored.fingerprint !== state.fingerprint,
    created_at: stored.createdAt.toISOString(),
    generated_at: stored.generatedAt.toISOString(),
  };
}

/** The day's summary as stored, stale or null, with one generation queued when the day moved on. One Neon round trip. */
export async function dailySummary(services: SummaryDeps, userId: string, query: DayQuery, now = new Date()): Promise<{ summary: DailySummary | null }> {
  const date = canonicalDate(query.date);
  const [state] = await repository.readSummaryStates(services.db, summaryDays(userId, query.tz, date, date), now);
  await queueStaleSummaries(services, userId, query.tz, [state!]);
  const summary = summaryResponse(state!, query.tz);
  // `date` echoes the request, as the web client compares it.
  return { summary: summary && { ...summary, date: query.date } };
}

/** Each day's comment and counts over at most 62 days, queueing the stale ones the same way. One Neon round trip. */
export async function summaryRange(
  services: SummaryDeps,
  userId: string,
  query: { tz: string; start_date: string; end_date: string },
  now = new Date(),
): Promise<SummaryRange> {
  const startDate = canonicalDate(query.start_date);
  const endDate = canonicalDate(query.end_date);
  const states = await repository.readSummaryStates(services.db, summaryDays(userId, query.tz, startDate, endDate), now);
  await queueStaleSummaries(services, userId, query.tz, states);
  return {
    tz: query.tz,
    start_date: startDate,
    end_date: endDate,
    days: states.map((state) => {
      const summary = summaryResponse(state, query.tz);
      return {
        date: state.date,
        memo_count: state.memoCount,
        ai_comment: summary?.ai_comment ?? null,
        total_memos: summary?.total_memos ?? null,
        focus_minutes: summary?.focus_minutes ?? null,
        completed_sessions: summary?.completed_sessions ?? null,
        stale: summary?.stale ?? false,
      };
    }),
  };
}

/** The day's average score and its most chosen emotions (ties by name), for the comment. */
function moodOf(moods: { score: number; emotions: string[] }[]): DayFacts['mood'] {
  if (moods.length === 0) return undefined;
  const frequency = new Map<string, number>();
  for (const mood of moods) for (const emotion of mood.emotions) frequency.set(emotion, (frequency.get(emotion) ?? 0) + 1);
  return {
    averageScore: moods.reduce((sum, mood) => sum + mood.score, 0) / moods.length,
    emotions: [...frequency].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([emotion]) => emotion),
  };
}

/**
 * The `summarise-day` job: reads the day in one round trip, summarises it with the configured
 * provider and writes it unless a summary built from a later read is stored. A day already summarised
 * as it is now (a duplicate or late job) costs nothing more; a day whose memos are all gone keeps
 * its old row, which reads never show.
 */
export async function summariseDay(services: Pick<Services, 'db' | 'ai'>, message: SummariseDayMessage, now = new Date()) {
  const day = await repository.readDayToSummarise(services.db, summaryDays(message.userId, message.tz, message.date, message.date), now);
  if (!needsSummary(day.state)) return;
  const focus = focusOf(day.sessions);
  const facts: DayFacts = {
    seed: `${message.userId}:${message.date}`,
    memos: day.memos.map((memo) => ({ content: memo.content, category: memo.category ?? UNCATEGORIZED, categoryName: memo.categoryName, tags: memo.tags })),
    completedSessions: focus.completed_sessions,
    focusMinutes: focus.focus_minutes,
    reflections: day.sessions.map(({ session }) => (session.reflection ?? '').trim()).filter((reflection) => reflection !== ''),
    mood: moodOf(day.moods),
  };
  const summary = await summarise(services.ai, facts);
  await repository.upsertSummary(services.db, {
    userId: message.userId,
    localDate: message.date,
    tz: message.tz,
    aiComment: summary.aiComment,
    categorySummaries: summary.categorySummaries,
    totalMemos: day.memos.length,
    focusMinutes: focus.focus_minutes,
    completedSessions: focus.completed_sessions,
    generatedBy: summary.by,
    fingerprint: day.state.fingerprint,
    sourceVersion: day.state.readAt,
  });
}
