import { createRouter } from '../../http/router';
import * as handlers from './handlers';
import * as routes from './routes';

/**
 * `/memo/list` and `/memo/uploads` are registered before `/memo/{id}`, as the original ordered them;
 * so are `/memo/pinned` and `/memo/search`, which `/memo/{id}` would otherwise take for ids.
 */
export const memosRouter = createRouter()
  .openapi(routes.createMemo, handlers.createMemo)
  .openapi(routes.createMemoSlash, handlers.createMemo)
  .openapi(routes.listMemos, handlers.listMemos)
  .openapi(routes.createUpload, handlers.createUpload)
  .openapi(routes.listPinned, handlers.listPinned)
  .openapi(routes.searchMemos, handlers.searchMemos)
  .openapi(routes.pinMemo, handlers.pinMemo)
  .openapi(routes.unpinMemo, handlers.unpinMemo)
  .openapi(routes.getMemo, handlers.getMemo)
  .openapi(routes.updateMemo, handlers.updateMemo)
  .openapi(routes.deleteMemo, handlers.deleteMemo);

export { eraseUserMemos, expirePendingUploads, openFile, receiveUpload, sweepOrphanObjects, type FileLink } from './service';
export { contentDisposition } from './urls';
export { memoResponder } from './response';
export { MemoSchema, type MemoResponse } from './schemas';
export type { MemoRow } from './repository';
