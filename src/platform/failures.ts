import { sqlState } from './db';

/**
 * What gets logged of an unexpected failure, in requests, cron runs and queue jobs alike: its
 * kind, SQLSTATE and stack, never its message's query parameters (drizzle appends them, and they
 * are users' memo contents, tags and addresses).
 */
export function describeFailure(error: unknown) {
  if (!(error instanceof Error)) return { message: String(error) };
  const [message = ''] = error.message.split('\nparams:');
  const stack = error.stack?.split('\n').filter((line) => line.trimStart().startsWith('at ')).join('\n');
  return { name: error.name, message, sqlState: sqlState(error), stack };
}
