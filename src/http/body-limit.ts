import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../lib/problem';
import type { AppEnv } from './app-env';

/**
 * Refuses a request body over `maxBytes(c)` with 413 before anything reads it whole: a declared
 * Content-Length over the limit is refused unread, and a body without one is counted as it streams
 * and refused as soon as it passes the limit. A Worker has 128 MB of memory, and a multipart form
 * is otherwise read whole before any of its fields can be checked. Declare it on a route after the
 * auth guard, so a caller without credentials still gets 401 first. The limit is a function
 * because it comes from the request's configuration.
 */
export const limitBody = (maxBytes: (c: Context<AppEnv>) => number) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const maxSize = maxBytes(c);
    const onError = () => {
      throw new ApiError('payload_too_large', `The request body is larger than the limit of ${maxSize} bytes`);
    };
    return bodyLimit({ maxSize, onError })(c, next);
  });
