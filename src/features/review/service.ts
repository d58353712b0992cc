import { canonicalDate, localDayRange } from '../../lib/local-day';
import type { Services } from '../../platform/services';
import { sessionResponse } from '../sessions';
import * as repository from './repository';
import type { DayQuery, FocusStats, Retrospective } from './schemas';

type Deps = Pick<Services, 'db'>;

/** Memos without a category are grouped under this key, which the web client shows as 분류중. */
export const UNCATEGORIZED = 'uncategorized';

const toMinutes = (seconds: number) => Math.round(seconds / 60);

/** The whole day in `tz`: sessions with reflections, focus totals and memo counts, in one Neon round trip. */
export async function dailyRetrospective({ db }: Deps, userId: string, query: DayQuery, now = new Date()): Promise<Retrospective> {
  const date = canonicalDate(query.date);
  const day = await repository.readDay(db, userId, localDayRange(query.tz, date, date), now);

  const sessions = day.sessions.map(({ session, status, focusedSeconds }) => ({
    ...sessionResponse(session),
    status: status as Retrospective['sessions'][number]['status'],
    focus_minutes: toMinutes(focusedSeconds),
  }));
  const finished = day.sessions.filter(({ status }) => status === 'completed' || status === 'reviewed');
  const focus = {
    focus_minutes: toMinutes(day.sessions.reduce((sum, { focusedSeconds }) => sum + focusedSeconds, 0)),
    completed_sessions: finished.length,
    reviewed_sessions: day.sessions.filter(({ status }) => status === 'reviewed').length,
    reflections: day.sessions.filter(({ session }) => (session.reflection ?? '').trim() !== '').length,
    pomodoros: finished.filter(({ session, focusedSeconds }) => focusedSeconds >= session.durationMinutes * 60).length,
  };

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

  return { date, tz: query.tz, sessions, focus, memos };
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
