import { createMiddleware } from 'hono/factory';
import { cors } from 'hono/cors';
import type { AppEnv } from './app-env';
import { REPLAYED_HEADER } from './idempotency';
import { loadConfig } from '../env';
import { createServices } from '../platform/services';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Keeps a caller-supplied request id when it is sane (for tracing across hops), else makes one. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header('X-Request-Id');
  const id = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set('requestId', id);
  c.header('X-Request-Id', id);
  await next();
});

/** Builds the per-request clients; nothing connects until a repository makes a call. */
export const services = createMiddleware<AppEnv>(async (c, next) => {
  c.set('services', createServices(c.env));
  await next();
});

/**
 * Credentialed CORS for the exact origins in ALLOWED_ORIGINS. A disallowed origin gets no
 * Access-Control-Allow-Origin at all (Hono's array mode would answer with the first allowed one).
 */
export const corsPolicy = createMiddleware<AppEnv>(async (c, next) => {
  const allowed = loadConfig(c.env).allowedOrigins;
  const handler = cors({
    origin: (origin) => (allowed.includes(origin) ? origin : null),
    credentials: true,
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    // Request headers are not listed: the preflight's Access-Control-Request-Headers is allowed
    // back as asked (Content-Type, Authorization, Idempotency-Key, If-Match…), which is Hono's default.
    exposeHeaders: ['X-Request-Id', 'X-New-Token', 'Retry-After', 'ETag', REPLAYED_HEADER],
    maxAge: 600,
  });
  return handler(c, next);
});
