import { ApiError } from '../lib/problem';

/**
 * Deadlines for the two network dependencies, and the one place their failures become answers.
 * Every Neon and Upstash call carries an AbortSignal that fires at its deadline, and whatever the
 * clients throw for a dependency that is down, refusing or too slow leaves as 503 problem+json with
 * Retry-After and a detail naming the dependency (never its URL or credentials: those are in the
 * clients' own messages, which are only logged).
 */

export type Dependency = 'Postgres' | 'Redis';

/** A client should come back after about this long; outages that fail fast usually last seconds. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Errors the Redis client threw, marked at the client (they carry no mark of their own). Marked,
 * not wrapped: a caller that inspects the error (a Redis error reply, say) reads the client's own.
 */
const redisFailures = new WeakSet<object>();

export function markRedisFailure(error: unknown): unknown {
  const marked = typeof error === 'object' && error !== null ? error : new Error(String(error));
  redisFailures.add(marked);
  return marked;
}

/** Every error in a chain: `cause`, and `sourceError`, where the Neon client keeps a failed fetch's error. */
function* errorChain(error: unknown): Generator<unknown> {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    yield current;
    const next = current as { cause?: unknown; sourceError?: unknown };
    current = next.cause ?? next.sourceError;
  }
}

const hasName = (error: unknown, names: string[]) => error instanceof Error && names.includes(error.name);

/** Whether a call ran into its deadline (the AbortSignal's TimeoutError, anywhere in the chain). */
export const timedOut = (error: unknown) => [...errorChain(error)].some((link) => hasName(link, ['TimeoutError', 'AbortError']));

/**
 * A Neon call that failed without Postgres answering it with an SQLSTATE: the endpoint refused,
 * hung past the deadline, or answered 5xx (other than 507, an answer too large). (An error with an SQLSTATE is Postgres refusing our
 * statement: a bug or a constraint, not an outage.)
 */
function isNeonOutage(error: unknown): boolean {
  const links = [...errorChain(error)];
  const fromNeon = links.some((link) => hasName(link, ['NeonDbError', 'DrizzleQueryError']));
  const answeredBySql = links.some((link) => {
    const code = (link as { code?: unknown }).code;
    return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
  });
  // 507 is Neon refusing an answer over its size limit: our query's fault, not an outage.
  const tooLarge = links.some((link) => link instanceof Error && link.message.includes('HTTP status 507'));
  return fromNeon && !answeredBySql && !tooLarge;
}

/**
 * Whether a failed Neon call certainly never ran its statement: the connection was refused (the
 * fetch failed before anything was sent), or Neon answered that it could not reach Postgres. A
 * timeout or a dropped connection may come after a commit, so those are not certain.
 */
export function neverReachedPostgres(error: unknown): boolean {
  if (!isNeonOutage(error) || timedOut(error)) return false;
  return [...errorChain(error)].some((link) => {
    const message = link instanceof Error ? link.message : '';
    return /ECONNREFUSED|connection refused|error connecting to database: connect/i.test(message);
  });
}

/** Deadlines per dependency, in milliseconds. */
export interface Deadlines {
  postgresMs: number;
  redisMs: number;
}

/** The 503 for a dependency that failed, or undefined when `error` is no dependency's failure. */
export function dependencyProblem(error: unknown, deadlines: Deadlines): ApiError | undefined {
  const fromRedis = [...errorChain(error)].some((link) => typeof link === 'object' && link !== null && redisFailures.has(link));
  const dependency: Dependency | undefined = fromRedis ? 'Redis' : isNeonOutage(error) ? 'Postgres' : undefined;
  if (!dependency) return undefined;
  const deadline = dependency === 'Redis' ? deadlines.redisMs : deadlines.postgresMs;
  const detail = timedOut(error)
    ? `${dependency} did not answer within ${deadline} ms; try again shortly`
    : `${dependency} is unavailable right now; try again shortly`;
  return new ApiError('service_unavailable', detail, { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) }, cause: error });
}
