import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Hook } from '@hono/zod-openapi';
import type { AppEnv } from './app-env';
import { validationFailed, type FieldError } from '../lib/problem';

const locationOf: Record<string, string> = { json: 'body', form: 'body', query: 'query', param: 'path', header: 'header', cookie: 'cookie' };

/** Turns zod issues into our field errors, naming each field by where it came from (`body.code`). */
export function fieldErrors(error: z.ZodError, target: string): FieldError[] {
  const location = locationOf[target] ?? target;
  return error.issues.map((issue) => ({
    field: [location, ...issue.path.map(String)].join('.'),
    message: issue.code === 'invalid_type' && issue.input === undefined ? 'Field required' : issue.message,
  }));
}

const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) throw validationFailed(fieldErrors(result.error, result.target));
};

/** Every feature router is built here, so all routes share the problem+json validation hook. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

export type AppRouter = ReturnType<typeof createRouter>;
