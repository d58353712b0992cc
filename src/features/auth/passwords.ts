import { scrypt } from '@noble/hashes/scrypt.js';
import { fromBase64Url, toBase64Url } from '../../lib/encoding';

/**
 * Passwords are hashed with scrypt (memory-hard), in pure JS: Web Crypto has no memory-hard KDF.
 * Parameters travel with each hash (`scrypt$N$r$p$salt$hash`), so raising them later only changes
 * new hashes, and a sign-in with an older hash still verifies. N = 2^`logN` (PASSWORD_SCRYPT_LOG_N,
 * default 14), r = 8 needs 16 MiB, well inside an isolate's 128 MB; p = 1. What one hash costs in
 * CPU is printed by `npm run bench:workerd`; the Workers paid plan's CPU limit per request (30 s by
 * default) absorbs it, the free plan's 10 ms would not.
 */
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

const encoder = new TextEncoder();

export function hashPassword(password: string, logN: number): string {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const N = 2 ** logN;
  const key = scrypt(encoder.encode(password.normalize('NFKC')), salt, { N, r: R, p: P, dkLen: KEY_BYTES });
  return ['scrypt', N, R, P, toBase64Url(salt), toBase64Url(key)].join('$');
}

/** Whether `password` matches `stored`; a stored value in no known format matches nothing. */
export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, n, r, p, salt, expected] = stored.split('$');
  const [want, saltBytes] = [fromBase64Url(expected ?? ''), fromBase64Url(salt ?? '')];
  if (scheme !== 'scrypt' || !n || !r || !p || !saltBytes || !want?.length) return false;
  const got = scrypt(encoder.encode(password.normalize('NFKC')), saltBytes, { N: Number(n), r: Number(r), p: Number(p), dkLen: want.length });
  // Compared in full whatever differs first, so the time says nothing about how much matched.
  let difference = got.length ^ want.length;
  for (let i = 0; i < want.length; i++) difference |= (got[i] ?? 0) ^ (want[i] ?? 0);
  return difference === 0;
}

const decoys = new Map<number, string>();

/**
 * Spends what checking a real password costs, for an address with no password: an unknown email
 * and a wrong password are then told apart neither by the answer nor by its time.
 */
export function spendPasswordCheck(password: string, logN: number): false {
  let decoy = decoys.get(logN);
  if (!decoy) decoys.set(logN, (decoy = hashPassword(crypto.randomUUID(), logN)));
  verifyPassword(password, decoy);
  return false;
}
