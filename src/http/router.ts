import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Hook } from '@hono/zod-openapi';
import type { AppEnv } from './app-env';
import { validationFailed, type FieldError } from '../lib/problem';
import { unstorableFields } from '../lib/validation';
import { authSecurity, runsAuthGuard } from './openapi';

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

/**
 * Every feature router is built here, so all routes share the problem+json validation hook, and
 * every route behind the credential check says so in /openapi.json (`security`), which is what
 * clients and the route fuzzer read to know a token is needed.
 */
export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const register = router.openapi;
  router.openapi = ((route, handler, hook) =>
    register({ ...route, security: route.security ?? (runsAuthGuard(route.middleware) ? authSecurity : undefined) }, handler, hook)) as typeof register;
  return router;
}

export type AppRouter = ReturnType<typeof createRouter>;
