import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Hook } from '@hono/zod-openapi';
import type { AppEnv } from './app-env';
import { validationFailed, type FieldError } from '../lib/problem';
import { unstorableFields } from '../lib/validation';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER, idempotentRequest } from './idempotency';
import { authSecurity, problemResponses, runsAuthGuard } from './openapi';

const locationOf: Record<string, string> = { json: 'body', form: 'body', query: 'query', param: 'path', header: 'header', cookie: 'cookie' };

/** Turns zod issues into our field errors, naming each field by where it came from (`body.code`). */
export function fieldErrors(error: z.ZodError, target: string): FieldError[] {
  const location = locationOf[target] ?? target;
  return error.issues.map((issue) => ({
    field: [location, ...issue.path.map(String)].join('.'),
    message: issue.code === 'invalid_type' && issue.input === undefined ? 'Field required' : issue.message,
  }));
}

/**
 * Every route's input passes here: zod's verdict, and the strings no route may hand to SQL, named
 * together. On a failure `data` is the raw input, so both kinds of mistake are reported at once.
 */
const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  const errors = result.success ? [] : fieldErrors(result.error, result.target);
  const named = new Set(errors.map((error) => error.field));
  const { data } = result as { data?: unknown };
  errors.push(...unstorableFields(data, [locationOf[result.target] ?? result.target]).filter((error) => !named.has(error.field)));
  if (errors.length > 0) throw validationFailed(errors);
};

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/** The header every authenticated write takes, documented once for all of them. */
const idempotencyKeyParameter = {
  in: 'header' as const,
  name: IDEMPOTENCY_HEADER,
  required: false,
  description:
    `Makes a retry safe: the same key and request (method, path, body) within 24 hours answers the first answer again, with \`${REPLAYED_HEADER}: true\`, ` +
    'and runs nothing; another request with the key is 422, a retry while the first runs 409. A 5xx is not kept.',
  schema: { type: 'string' as const, pattern: '^[!-~]{1,255}$' },
};

/**
 * Every feature router is built here, so all routes share the problem+json validation hook, and
 * every route behind the credential check says so in /openapi.json (`security`), which is what
 * clients and the route fuzzer read to know a token is needed. Every authenticated write also
 * takes an Idempotency-Key: its digest step runs after the route's own middleware (the guard, then
 * any body limit) and before the validators, and the header and its 409/422 are documented here.
 */
export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const register = router.openapi;
  router.openapi = ((route, handler, hook) => {
    const guarded = runsAuthGuard(route.middleware);
    const security = route.security ?? (guarded ? authSecurity : undefined);
    if (!guarded || !WRITE_METHODS.has(route.method)) return register({ ...route, security }, handler, hook);
    return register(
      {
        ...route,
        security,
        middleware: [...[route.middleware ?? []].flat(), idempotentRequest],
        parameters: [...(route.parameters ?? []), idempotencyKeyParameter],
        responses: { ...problemResponses('conflict', 'validation_failed'), ...route.responses },
      },
      handler,
      hook,
    );
  }) as typeof register;
  return router;
}

export type AppRouter = ReturnType<typeof createRouter>;
