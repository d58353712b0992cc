import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../lib/problem';
import { contentDisposition, openFile, receiveUpload } from '../memos';
import type * as routes from './routes';

/**
 * The bytes are user content served from our API origin: `nosniff` keeps browsers to the checked
 * type, and the sandbox CSP keeps anything opened directly from running script with our origin.
 */
const CONTENT_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "default-src 'none'; sandbox" };

/**
 * One `bytes=` range (what audio elements send when seeking). Anything else, including several
 * ranges or a malformed header, is ignored and the whole file is sent, as RFC 9110 allows.
 */
function parseRange(header: string | undefined): R2Range | undefined {
  const match = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '') return last === '' || Number(last) === 0 ? undefined : { suffix: Number(last) };
  const offset = Number(first);
  if (last === '') return { offset };
  return Number(last) < offset ? undefined : { offset, length: Number(last) - offset + 1 };
}

export const getFile: RouteHandler<typeof routes.getFile, AppEnv> = async (c) => {
  const { owner, name } = c.req.valid('param');
  const { exp, sig } = c.req.valid('query');
  const now = new Date();
  const range = parseRange(c.req.header('Range'));
  const { object, expiresAt } = await openFile(c.get('services'), { key: `${owner}/${name}`, exp, sig }, range, now);
  if ('unsatisfiable' in object) {
    throw new ApiError('range_not_satisfiable', `The range starts at or past the end of the file (${object.size} bytes)`, {
      headers: { 'Content-Range': `bytes */${object.size}` },
    });
  }

  const headers = new Headers(CONTENT_HEADERS);
  object.writeHttpMetadata(headers);
  headers.set('Content-Disposition', contentDisposition(name));
  headers.set('ETag', object.httpEtag);
  headers.set('Accept-Ranges', 'bytes');
  // Never cached beyond the URL's own validity.
  headers.set('Cache-Control', `private, max-age=${Math.max(0, expiresAt - Math.floor(now.getTime() / 1000))}`);
  // R2 answers a ranged read with the range it served, always as offset and length.
  const served = range && object.range && 'offset' in object.range ? object.range : undefined;
  if (served?.offset === undefined || served.length === undefined) {
    headers.set('Content-Length', String(object.size));
    return new Response(object.body, { status: 200, headers });
  }
  headers.set('Content-Length', String(served.length));
  headers.set('Content-Range', `bytes ${served.offset}-${served.offset + served.length - 1}/${object.size}`);
  return new Response(object.body, { status: 206, headers });
};

export const putFile: RouteHandler<typeof routes.putFile, AppEnv> = async (c) => {
  const { owner, name } = c.req.valid('param');
  const { exp, sig } = c.req.valid('query');
  const received = await receiveUpload(c.get('services'), { key: `${owner}/${name}`, exp, sig }, c.req.raw.body);
  return c.json({ size: received.size, content_type: received.contentType }, 200);
};
