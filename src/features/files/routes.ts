import { createRoute, z } from '@hono/zod-openapi';
import { limitBody } from '../../http/body-limit';
import { jsonBody, problemResponses } from '../../http/openapi';

/** `/files/{owner}/{name}` is an object key, `{user_id}/{attachment_id}.{ext}`. */
const FileParams = z.object({
  owner: z.string().openapi({ param: { name: 'owner', in: 'path' }, description: 'The owner’s user id.' }),
  name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: '0b6f8c1e-9a55-4c0e-9b1b-3c2f4d5e6f70.png' }),
});

/** Not required by the schema: a link without them is simply not a valid link (403), like a tampered one. */
const LinkQuery = z.object({
  exp: z.string().optional().openapi({ description: 'Expiry, seconds since epoch.' }),
  sig: z.string().optional().openapi({ description: 'HMAC-SHA256 over method, key and expiry (base64url).' }),
});

const binary = { schema: { type: 'string' as const, format: 'binary' } };

export const getFile = createRoute({
  method: 'get',
  path: '/files/{owner}/{name}',
  tags: ['files'],
  summary: 'Download an attachment through a signed URL from a memo response',
  description:
    'Only when no R2 S3 credentials are configured do memo responses link here. Streams the object with its stored Content-Type; ' +
    'supports `Range` (206/416) for audio seeking; cacheable privately until the URL expires.',
  request: { params: FileParams, query: LinkQuery },
  responses: {
    200: { description: 'The whole file', content: { '*/*': binary } },
    206: { description: 'The requested byte range', content: { '*/*': binary } },
    ...problemResponses('forbidden', 'not_found', 'range_not_satisfiable'),
  },
});

export const putFile = createRoute({
  method: 'put',
  path: '/files/{owner}/{name}',
  tags: ['files'],
  summary: 'Upload the bytes of a direct upload through the signed URL from POST /memo/uploads',
  description:
    'The body must be the declared type (checked from its bytes) and at most MAX_UPLOAD_BYTES (413 before it is read whole). ' +
    'Once a memo has attached the upload, or it has expired, the URL writes nothing more (409).',
  middleware: [limitBody((c) => c.get('services').config.files.maxUploadBytes)] as const,
  request: { params: FileParams, query: LinkQuery, body: { content: { '*/*': binary } } },
  responses: {
    200: jsonBody(z.object({ size: z.number().int(), content_type: z.string() }).openapi('UploadReceived'), 'Stored'),
    ...problemResponses('forbidden', 'conflict', 'payload_too_large', 'unsupported_media_type', 'validation_failed'),
  },
});
