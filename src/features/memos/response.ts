import type { Config } from '../../env';
import type { MemoRow } from './repository';
import type { MemoResponse } from './schemas';
import { downloadUrlSigner } from './urls';

/** The original's MemoResponse; each attachment gets a fresh URL, signed locally. */
export async function toMemoResponse(memo: MemoRow, sign: (key: string) => Promise<string>): Promise<MemoResponse> {
  return {
    id: memo.id,
    user_id: memo.userId,
    content: memo.content,
    tags: memo.tags,
    attachments: await Promise.all(
      memo.attachments.map(async (attachment) => ({ id: attachment.id, type: attachment.type, url: await sign(attachment.key), filename: attachment.filename })),
    ),
    created_at: memo.createdAt.toISOString(),
    updated_at: memo.updatedAt.toISOString(),
    category: memo.category,
    category_confidence: memo.categoryConfidence,
    is_archived: memo.isArchived,
    pinned: memo.pinnedAt !== null,
    pinned_at: memo.pinnedAt?.toISOString() ?? null,
  };
}

/**
 * Memos as `GET /memo/{id}` answers them, for another feature's answer (the sync feed): one signer
 * for the whole response, as the memo routes use, on the request's origin.
 */
export function memoResponder(files: Config['files'], origin: string, now = new Date()): (memo: MemoRow) => Promise<MemoResponse> {
  const sign = downloadUrlSigner(files, origin, now);
  return (memo) => toMemoResponse(memo, sign);
}
