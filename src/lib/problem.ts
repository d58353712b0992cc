import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one error type of the API. Everything a handler, service or middleware wants to refuse is an
 * ApiError; `renderProblem` turns it into an RFC 9457 problem+json body. `detail` is always a
 * string because the real web client (and the original backend's contract) reads `detail`.
 */
export const problemCodes = {
  bad_request: { status: 400, title: 'Bad Request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  // Refusals of their own type (urn:omood:problem:…), so a client can tell them apart from a plain 403.
  email_not_verified: { status: 403, title: 'Email Not Verified' },
  account_suspended: { status: 403, title: 'Account Suspended' },
  not_found: { status: 404, title: 'Not Found' },
  method_not_allowed: { status: 405, title: 'Method Not Allowed' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Gone' },
  precondition_failed: { status: 412, title: 'Precondition Failed' },
  payload_too_large: { status: 413, title: 'Payload Too Large' },
  unsupported_media_type: { status: 415, title: 'Unsupported Media Type' },
  range_not_satisfiable: { status: 416, title: 'Range Not Satisfiable' },
  validation_failed: { status: 422, title: 'Unprocessable Content' },
  rate_limited: { status: 429, title: 'Too Many Requests' },
  internal_error: { status: 500, title: 'Internal Server Error' },
  bad_gateway: { status: 502, title: 'Bad Gateway' },
  service_unavailable: { status: 503, title: 'Service Unavailable' },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ProblemCode = keyof typeof problemCodes;

/** One offending input: `field` is a dotted path prefixed by where it came from (`body.code`, `query.tz`). */
export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly code: ProblemCode;
  readonly status: ContentfulStatusCode;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ProblemCode,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = problemCodes[code].status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

export const problemType = (code: ProblemCode) => `urn:omood:problem:${code.replaceAll('_', '-')}`;

export function problemBody(error: ApiError, requestId: string, instance?: string): ProblemBody {
  return {
    type: problemType(error.code),
    title: problemCodes[error.code].title,
    status: error.status,
    detail: error.message,
    ...(instance ? { instance } : {}),
    requestId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

/** Maps any HTTP status (e.g. from a framework HTTPException) onto our codes. */
export function codeForStatus(status: number): ProblemCode {
  const match = (Object.keys(problemCodes) as ProblemCode[]).find((code) => problemCodes[code].status === status);
  if (match) return match;
  return status >= 500 ? 'internal_error' : 'bad_request';
}

export const notFound = (detail = 'Not Found') => new ApiError('not_found', detail);
export const forbidden = (detail = 'Forbidden') => new ApiError('forbidden', detail);
export const conflict = (detail: string) => new ApiError('conflict', detail);
/** An `If-Match` write whose resource changed since the client read it (src/http/conditional.ts). */
export const preconditionFailed = () =>
  new ApiError('precondition_failed', 'The resource has changed since you read it: nothing was written. Read it again and retry.');
export const validationFailed = (errors: FieldError[], detail = 'Request validation failed') =>
  new ApiError('validation_failed', detail, { errors });
