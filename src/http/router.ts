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

/** Every route's input passes here: zod's verdict first, then the strings no route may hand to SQL. */
const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) throw validationFailed(fieldErrors(result.error, result.target));
  const unstorable = unstorableFields(result.data, [locationOf[result.target] ?? result.target]);
  if (unstorable.length > 0) throw validationFailed(unstorable);
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
