import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './app-env';
import { ApiError, codeForStatus, problemBody } from '../lib/problem';

function render(c: Context<AppEnv>, error: ApiError) {
  const body = problemBody(error, c.get('requestId') ?? 'unknown', new URL(c.req.url).pathname);
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.body(JSON.stringify(body), error.status, { 'Content-Type': 'application/problem+json' });
}

/** The single place an error becomes a response: every failure leaves as problem+json with the request id. */
export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof ApiError) return render(c, error);
  if (error instanceof HTTPException) {
    // Framework refusals (malformed JSON, unsupported media type) are the caller's mistakes, not ours.
    return render(c, new ApiError(codeForStatus(error.status), error.message || 'Bad Request'));
  }
  console.error(JSON.stringify({ level: 'error', requestId: c.get('requestId'), path: c.req.path, message: String(error), stack: error instanceof Error ? error.stack : undefined }));
  return render(c, new ApiError('internal_error', 'Internal Server Error'));
};

/** Unknown routes are 404 even without credentials: the web client treats any 401 as "logged out". */
export const onNotFound: NotFoundHandler<AppEnv> = (c) => render(c, new ApiError('not_found', 'Not Found'));
