import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/env';
import { downloadUrlSigner, uploadTarget } from '../../../src/features/memos/urls';
import { env } from '../../helpers/api';

// The S3 mode presigns locally with aws4fetch; R2's S3 endpoint is not reachable from the tests, so
// this checks the URLs' shape here, and `npm run dev` (wrangler's local S3 endpoint) checks that R2 accepts them.
const files = {
  ...loadConfig(env).files,
  bucketName: 'omood-attachments',
  s3: { endpoint: 'https://0123456789abcdef.r2.cloudflarestorage.com', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' },
};
const KEY = '9176e72b-3c26-4d37-9b30-34cc233af6c5/cc009eec-b949-4994-b6c3-a8baba934d5b.png';

describe('presigned R2 URLs (S3 mode)', () => {
  it('a download URL is a path-style SigV4 query signature for GET, valid 3600 s from the start of its 10-minute window', async () => {
    const now = new Date('2025-08-13T10:07:31.250Z');
    const url = new URL(await downloadUrlSigner(files, 'https://api.omood.test', now)(KEY));
    expect(url.origin).toBe('https://0123456789abcdef.r2.cloudflarestorage.com');
    expect(url.pathname).toBe(`/omood-attachments/${KEY}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20250813/auto/s3/aws4_request',
      'X-Amz-Date': '20250813T100000Z',
      'X-Amz-Expires': '3600',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
      // R2 answers with the checked type and an inline disposition, whatever the object's metadata says.
      'response-content-type': 'image/png',
      'response-content-disposition': 'inline; filename="cc009eec-b949-4994-b6c3-a8baba934d5b.png"',
    });

    const sameWindow = await downloadUrlSigner(files, 'https://api.omood.test', new Date('2025-08-13T10:09:59.999Z'))(KEY);
    const nextWindow = await downloadUrlSigner(files, 'https://api.omood.test', new Date('2025-08-13T10:10:00.000Z'))(KEY);
    expect(sameWindow).toBe(url.toString());
    expect(nextWindow).not.toBe(url.toString());
    const otherKey = new URL(await downloadUrlSigner(files, 'https://api.omood.test', now)(KEY.replace('.png', '.gif')));
    expect(otherKey.searchParams.get('X-Amz-Signature')).not.toBe(url.searchParams.get('X-Amz-Signature'));
  });

  it('an upload URL is a PUT signature that binds Content-Type and Content-Length, valid 15 minutes', async () => {
    const now = new Date('2025-08-13T10:07:31.250Z');
    const target = await uploadTarget(files, 'https://api.omood.test', KEY, 'image/png', 1_048_576, now);
    const url = new URL(target.url);
    expect(target).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'image/png' }, expiresAt: new Date('2025-08-13T10:22:31.000Z') });
    expect(url.pathname).toBe(`/omood-attachments/${KEY}`);
    expect(url.searchParams.get('X-Amz-Date')).toBe('20250813T100731Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');

    const otherSize = new URL((await uploadTarget(files, 'https://api.omood.test', KEY, 'image/png', 1_048_577, now)).url);
    expect(otherSize.searchParams.get('X-Amz-Signature')).not.toBe(url.searchParams.get('X-Amz-Signature'));
  });

  it('works against a local endpoint with a path prefix, such as wrangler dev’s', async () => {
    const local = { ...files, s3: { ...files.s3, endpoint: 'http://127.0.0.1:8787/cdn-cgi/local/r2/s3/' } };
    const url = new URL(await downloadUrlSigner(local, 'http://127.0.0.1:8787', new Date())(KEY));
    expect(`${url.origin}${url.pathname}`).toBe(`http://127.0.0.1:8787/cdn-cgi/local/r2/s3/omood-attachments/${KEY}`);
  });
});
