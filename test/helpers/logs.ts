/**
 * The Worker's log lines written during the current test. The Worker, its queue consumer and the
 * tests share one isolate, so test/setup/capture-logs.ts holds whatever reaches the console: a
 * test that provokes a warning asserts it here, and a green run prints none of it (a failing test
 * prints what it captured).
 */
export interface LogLine {
  level?: string;
  message?: string;
  [field: string]: unknown;
}

export interface CapturedCall {
  method: 'log' | 'info' | 'warn' | 'error' | 'debug';
  args: unknown[];
}

export const capturedCalls: CapturedCall[] = [];

/** The structured (JSON) lines logged so far in this test, oldest first. */
export function capturedLogs(): LogLine[] {
  return capturedCalls.flatMap(({ args }) => {
    if (typeof args[0] !== 'string' || !args[0].startsWith('{')) return [];
    try {
      return [JSON.parse(args[0]) as LogLine];
    } catch {
      return [];
    }
  });
}
