/**
 * HMAC-SHA256 signatures as base64url strings, for capability URLs. Keys are imported once per
 * isolate and secret; verification goes through `crypto.subtle.verify`, which compares in constant time.
 */

import { fromBase64Url, toBase64Url } from './encoding';

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

export async function hmacSign(secret: string, message: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await keyFor(secret), encoder.encode(message));
  return toBase64Url(new Uint8Array(signature));
}

export async function hmacVerify(secret: string, message: string, signature: string): Promise<boolean> {
  const bytes = fromBase64Url(signature);
  if (!bytes) return false;
  return crypto.subtle.verify('HMAC', await keyFor(secret), bytes, encoder.encode(message));
}
