import type { AttachmentType } from '../../db/schema';
import { ApiError, type ProblemCode } from '../../lib/problem';

/**
 * What an attachment is, decided from its first bytes and never from its name or declared type:
 * the real client uploads WebM recordings as `audio_0.wav` with `type: audio/wav`, and a name or a
 * header costs an attacker nothing. The stored Content-Type and the key's extension come from here.
 */
export interface MediaType {
  kind: AttachmentType;
  contentType: string;
  extension: string;
}

const media = (kind: AttachmentType, contentType: string, extension: string): MediaType => ({ kind, contentType, extension });

const MEDIA_TYPES = {
  png: media('image', 'image/png', 'png'),
  jpeg: media('image', 'image/jpeg', 'jpg'),
  gif: media('image', 'image/gif', 'gif'),
  webp: media('image', 'image/webp', 'webp'),
  avif: media('image', 'image/avif', 'avif'),
  heic: media('image', 'image/heic', 'heic'),
  heif: media('image', 'image/heif', 'heif'),
  webm: media('audio', 'audio/webm', 'webm'),
  matroska: media('audio', 'audio/x-matroska', 'mka'),
  ogg: media('audio', 'audio/ogg', 'ogg'),
  mp3: media('audio', 'audio/mpeg', 'mp3'),
  mp4: media('audio', 'audio/mp4', 'm4a'),
  wav: media('audio', 'audio/wav', 'wav'),
} as const satisfies Record<string, MediaType>;

const ALL_MEDIA: MediaType[] = Object.values(MEDIA_TYPES);

export const ACCEPTED_CONTENT_TYPES = ALL_MEDIA.map((type) => type.contentType);

/** Enough bytes for every signature below, including ISO-BMFF brand lists and the EBML DocType. */
export const SNIFF_BYTES = 512;

const ascii = (bytes: Uint8Array, start: number, length: number) => String.fromCharCode(...bytes.subarray(start, start + length));

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

const IMAGE_BRANDS: [MediaType, string[]][] = [
  [MEDIA_TYPES.avif, ['avif', 'avis']],
  [MEDIA_TYPES.heic, ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']],
  [MEDIA_TYPES.heif, ['mif1', 'msf1']],
];
const AUDIO_MP4_BRANDS = ['M4A ', 'M4B ', 'mp41', 'mp42', 'isom', 'iso2', 'iso4', 'iso5', 'iso6', 'dash'];

/** ISO base media (`ftyp` box): HEIC/AVIF images and MP4/M4A audio differ only by their brands. */
function sniffIsoMedia(bytes: Uint8Array): MediaType | undefined {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== 'ftyp') return undefined;
  const boxEnd = Math.min(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0), bytes.length);
  const brands = [ascii(bytes, 8, 4)];
  for (let offset = 16; offset + 4 <= boxEnd; offset += 4) brands.push(ascii(bytes, offset, 4));
  // An AVIF or HEIC file also lists the generic `mif1`, so the most specific image brand wins.
  for (const [type, imageBrands] of IMAGE_BRANDS) if (brands.some((brand) => imageBrands.includes(brand))) return type;
  return brands.some((brand) => AUDIO_MP4_BRANDS.includes(brand)) ? MEDIA_TYPES.mp4 : undefined;
}

/** EBML (Matroska family): the DocType element (id 0x4282) says whether it is WebM. */
function sniffEbml(bytes: Uint8Array): MediaType | undefined {
  if (!startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return undefined;
  for (let offset = 4; offset + 3 < bytes.length; offset++) {
    if (bytes[offset] !== 0x42 || bytes[offset + 1] !== 0x82) continue;
    const sizeByte = bytes[offset + 2] ?? 0;
    // DocType sizes are tiny, so only the one-byte variable-length size (top bit set) occurs.
    if ((sizeByte & 0x80) === 0) return undefined;
    const docType = ascii(bytes, offset + 3, sizeByte & 0x7f);
    if (docType === 'webm') return MEDIA_TYPES.webm;
    if (docType === 'matroska') return MEDIA_TYPES.matroska;
    return undefined;
  }
  return undefined;
}

/** A bare MPEG audio frame header (MP3 without an ID3 tag): sync bits plus valid version, layer, bitrate and rate. */
function isMpegFrame(bytes: Uint8Array): boolean {
  const [b0, b1, b2] = [bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0b11;
  const layer = (b1 >> 1) & 0b11;
  const bitrate = b2 >> 4;
  const sampleRate = (b2 >> 2) & 0b11;
  return version !== 0b01 && layer !== 0b00 && bitrate !== 0b1111 && sampleRate !== 0b11;
}

/** The media type of a file from its first bytes (at least SNIFF_BYTES of them when the file is that long). */
function sniffMediaType(bytes: Uint8Array): MediaType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return MEDIA_TYPES.png;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return MEDIA_TYPES.jpeg;
  if (bytes.length >= 6 && ['GIF87a', 'GIF89a'].includes(ascii(bytes, 0, 6))) return MEDIA_TYPES.gif;
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF') {
    const form = ascii(bytes, 8, 4);
    if (form === 'WEBP') return MEDIA_TYPES.webp;
    if (form === 'WAVE') return MEDIA_TYPES.wav;
    return undefined;
  }
  if (startsWith(bytes, [0x4f, 0x67, 0x67, 0x53])) return MEDIA_TYPES.ogg;
  if (startsWith(bytes, [0x49, 0x44, 0x33]) || isMpegFrame(bytes)) return MEDIA_TYPES.mp3;
  return sniffIsoMedia(bytes) ?? sniffEbml(bytes);
}

/** `audio/webm;codecs=opus` is audio/webm: parameters do not change what the bytes must be. */
export const mediaTypeByContentType = (contentType: string) => {
  const essence = contentType.split(';')[0]?.trim().toLowerCase();
  return ALL_MEDIA.find((type) => type.contentType === essence);
};

export const mediaTypeByExtension = (extension: string) => ALL_MEDIA.find((type) => type.extension === extension);

/** A refusal about one form field: the message is both the problem's detail and the field's error. */
export const fieldError = (code: ProblemCode, field: string, message: string) => new ApiError(code, message, { errors: [{ field, message }] });

/**
 * Refuses what must not be attached, naming the field: an empty file (422), one over the size
 * limit (413), bytes of no accepted type (415), or an image under an audio field and vice versa
 * (415: the content is fine in itself but not a type that field accepts).
 */
export function checkMedia(field: string, expected: AttachmentType, size: number, head: Uint8Array, maxBytes: number): MediaType {
  if (size === 0) throw fieldError('validation_failed', field, 'File is empty');
  if (size > maxBytes) throw fieldError('payload_too_large', field, `File is larger than the limit of ${maxBytes} bytes`);
  const type = sniffMediaType(head);
  if (!type) {
    const accepted = ACCEPTED_CONTENT_TYPES.filter((name) => name.startsWith(expected)).join(', ');
    throw fieldError('unsupported_media_type', field, `Not a supported ${expected} format (accepted: ${accepted})`);
  }
  if (type.kind !== expected) throw fieldError('unsupported_media_type', field, `Expected ${expected === 'image' ? 'an image' : 'audio'}, got ${type.contentType}`);
  return type;
}

/**
 * Refuses more attachments than a memo may have (422, a rule about the form rather than about any
 * byte count), naming the first field past the limit. `fields` lists where each new one came from.
 */
export function checkAttachmentCount(kept: number, fields: string[], maxPerMemo: number) {
  const firstOver = fields[Math.max(0, maxPerMemo - kept)];
  if (kept + fields.length > maxPerMemo && firstOver) throw fieldError('validation_failed', firstOver, `A memo has at most ${maxPerMemo} attachments`);
}

/** Create form (original rule): a key counts when its first `_`-piece is `image` or `audio` (`image`, `image_0`, `audio_foo_bar`). */
export function createFileKind(key: string): AttachmentType | undefined {
  const prefix = key.split('_')[0];
  return prefix === 'image' || prefix === 'audio' ? prefix : undefined;
}

/** Edit form (original rule): `new_image_<n>` / `new_audio_<n>` where `<n>` has no `_`. */
export function editFileKind(key: string): AttachmentType | undefined {
  return /^new_(image|audio)_[^_]*$/.exec(key)?.[1] as AttachmentType | undefined;
}

export const objectKey = (userId: string, attachmentId: string, type: MediaType) => `${userId}/${attachmentId}.${type.extension}`;

/**
 * Where a direct upload's bytes land: a key of its own, never the one a memo references. Attaching
 * copies them to `objectKey`, which no URL handed out can write, so replaying the upload URL after
 * the attach changes nothing a memo shows. The id stays the first `.`-piece of the name, as the
 * orphan sweep and the Worker PUT route expect.
 */
export const stagingKey = (userId: string, uploadId: string, type: MediaType) => `${userId}/${uploadId}.upload.${type.extension}`;
