import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, problemResponses } from '../../http/openapi';

export const RootSchema = z.object({ msg: z.string() }).openapi('Root');

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    checks: z.object({ postgres: z.literal('ok'), redis: z.literal('ok') }),
  })
  .openapi('Health');

export const root = createRoute({
  method: 'get',
  path: '/',
  tags: ['health'],
  summary: 'Liveness: answers without touching any dependency',
  responses: { 200: jsonBody(RootSchema) },
});

export const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'Readiness: one cheap call each to Postgres and Redis',
  responses: { 200: jsonBody(HealthSchema), ...problemResponses('service_unavailable') },
});
