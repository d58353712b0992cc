export { BUILTIN_KEYS, UNCATEGORIZED, contentHash } from './builtin';
export { classifyMemo, giveUpClassifying, requeueWaitingMemos } from './classification';
