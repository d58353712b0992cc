import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './app-env';
import { ApiError, codeForStatus, problemBody, validationFailed } from '../lib/problem';
import { referencesMissingUser, sqlState } from '../platform/db';
import { describeFailure } from '../platform/failures';
import { dependencyProblem } from '../platform/dependencies';

function render(c: Context<AppEnv>, error: ApiError) {
  const body = problemBody(error, c.get('requestId') ?? 'unknown', new URL(c.req.url).pathname);
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.body(JSON.stringify(body), error.status, { 'Content-Type': 'application/problem+json' });
}

/**
 * A zone `Intl` accepts (so the query passed validation) that Postgres's tz database does not know,
 * such as the retired `US/Pacific-New`: the caller's zone, refused like any unknown one, not our bug.
 */
function zoneUnknownToPostgres(error: unknown): boolean {
  if (sqlState(error) !== '22023') return false;
  for (let link: unknown = error; link instanceof Error; link = link.cause) {
    if (/time zone ".*" not recognized/.test(link.message)) return true;
  }
  return false;
}

/** The single place an error becomes a response: every failure leaves as problem+json with the request id. */
export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof ApiError) return render(c, error);
  if (error instanceof HTTPException) {
    // Framework refusals (malformed JSON, unsupported media type) are the caller's mistakes, not ours.
    return render(c, new ApiError(codeForStatus(error.status), error.message || 'Bad Request'));
  }
  // One place for every feature: a deleted account's token is signed out (401), never a 500.
  if (referencesMissingUser(error)) return render(c, new ApiError('unauthorized', 'Invalid token'));
  if (zoneUnknownToPostgres(error)) {
    return render(c, validationFailed([{ field: 'query.tz', message: 'Unknown time zone: expected an IANA name such as Asia/Seoul' }]));
  }
  const services = c.get('services');
  const unavailable = services && dependencyProblem(error, { postgresMs: services.config.database.timeoutMs, redisMs: services.config.redis.timeoutMs });
  if (unavailable) {
    console.warn(JSON.stringify({ level: 'warn', requestId: c.get('requestId'), path: c.req.path, detail: unavailable.message, ...describeFailure(error) }));
    return render(c, unavailable);
  }
  console.error(JSON.stringify({ level: 'error', requestId: c.get('requestId'), path: c.req.path, ...describeFailure(error) }));
  return render(c, new ApiError('internal_error', 'Internal Server Error'));
};

/** Unknown routes are 404 even without credentials: the web client treats any 401 as "logged out". */
export const onNotFound: NotFoundHandler<AppEnv> = (c) => render(c, new ApiError('not_found', 'Not Found'));
