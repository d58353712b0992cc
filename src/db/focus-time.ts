import { sql } from 'drizzle-orm';
import { focusSessions } from './schema';

/**
 * Derived columns of focus_sessions that more than one read needs (the retrospective, the focus
 * statistics, the mood statistics), so "how long was this session focused" has one answer.
 */

/**
 * A started session past its expiry is completed, whether or not the cron got to it yet, so these
 * reads agree with what the next session read will answer (lazy completion) without writing.
 */
export const effectiveStatus = (now: Date) =>
  sql<string>`(case when ${focusSessions.status} = 'started' and ${focusSessions.expiresAt} <= ${now.toISOString()}::timestamptz
    then 'completed' else ${focusSessions.status} end)`;

/**
 * Seconds really focused: completion minus `started_at` (which a resume moves past the pause),
 * capped at the duration. A session completed before completions were recorded counts its duration.
 */
export const focusedSeconds = (now: Date) => sql<number>`(case
    when ${focusSessions.status} in ('completed', 'reviewed') then
      case when ${focusSessions.completedAt} is null or ${focusSessions.startedAt} is null then ${focusSessions.durationMinutes} * 60
      else least(greatest(extract(epoch from ${focusSessions.completedAt} - ${focusSessions.startedAt}), 0), ${focusSessions.durationMinutes} * 60) end
    when ${focusSessions.status} = 'started' and ${focusSessions.expiresAt} <= ${now.toISOString()}::timestamptz then ${focusSessions.durationMinutes} * 60
    else 0 end)::float8`;
