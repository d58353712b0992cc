/**
 * Sessions and memos keep the original backend's id shape, a 24-hex MongoDB ObjectId (4 bytes of
 * seconds, 8 random bytes), so ids stay time-ordered and data migrated from the old store keeps
 * its ids. Users and attachments are UUIDs, as before.
 */
export function newObjectId(now = Date.now()): string {
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, '0');
  const random = crypto.getRandomValues(new Uint8Array(8));
  return seconds + Array.from(random, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export const isObjectId = (value: string) => /^[0-9a-f]{24}$/.test(value);

export const newUuid = () => crypto.randomUUID();
