import { z } from '@hono/zod-openapi';
import { problemCodes, type ProblemCode } from '../lib/problem';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:omood:problem:validation-failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().openapi({ description: 'Human-readable explanation; the web client shows it.' }),
    instance: z.string().optional(),
    requestId: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/** Either credential works; the schemes are registered with the auth routes. */
export const authSecurity: Record<string, string[]>[] = [{ cookieAuth: [] }, { bearerAuth: [] }];

const authGuards = new WeakSet<object>();

/** Marks a middleware as the credential check, so every route that runs it is documented as protected. */
export function markAuthGuard<T extends object>(middleware: T): T {
  authGuards.add(middleware);
  return middleware;
}

export const runsAuthGuard = (middleware: unknown) => [middleware ?? []].flat().some((each) => typeof each === 'function' && authGuards.has(each));

/** Declares the problem+json answers a route can give, for the OpenAPI document. */
export function problemResponses(...codes: ProblemCode[]) {
  return Object.fromEntries(
    codes.map((code) => [
      problemCodes[code].status,
      { description: problemCodes[code].title, content: { 'application/problem+json': { schema: ProblemSchema } } },
    ]),
  );
}

export const jsonBody = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body validated (and documented) by `schema`. */
export const jsonRequest = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

/** What a single resource's GET adds (src/http/conditional.ts): its tag, and 304 for a copy that is current. */
export const conditionalRead = {
  304: { description: 'Not Modified: the copy named in If-None-Match is current (no body)', headers: { ETag: { description: 'The entity tag', schema: { type: 'string' as const } } } },
};

/** What a write that honours If-Match adds: 412 when the resource changed since it was read. */
export const conditionalWrite = problemResponses('precondition_failed');
