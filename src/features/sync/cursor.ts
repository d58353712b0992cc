import { fromBase64Url, toBase64Url } from '../../lib/encoding';

/**
 * A place in the change feed: the writing transaction (`xid8`, as decimal text) and the change's
 * sequence number within the feed. Changes are ordered by (xid, seq).
 */
export interface SyncPosition {
  xid: string;
  seq: number;
}

/** Before every change. */
export const FEED_START: SyncPosition = { xid: '0', seq: 0 };

const MAX_XID8 = 18_446_744_073_709_551_615n;
const CURSOR = /^v1:(0|[1-9]\d{0,19}):(0|[1-9]\d{0,18})$/;

/** Opaque to clients: base64url of `v1:<xid>:<seq>`. */
export const encodeSyncCursor = (position: SyncPosition) => toBase64Url(new TextEncoder().encode(`v1:${position.xid}:${position.seq}`));

/** The position a cursor names; undefined for anything this API did not hand out (or could not have). */
export function decodeSyncCursor(cursor: string): SyncPosition | undefined {
  if (cursor.length > 64) return undefined;
  const bytes = fromBase64Url(cursor);
  if (!bytes) return undefined;
  const match = CURSOR.exec(new TextDecoder().decode(bytes));
  if (!match) return undefined;
  const [, xid = '', seq = ''] = match;
  if (BigInt(xid) > MAX_XID8 || !Number.isSafeInteger(Number(seq))) return undefined;
  return { xid, seq: Number(seq) };
}
