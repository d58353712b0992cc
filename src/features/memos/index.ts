import { createRouter } from '../../http/router';
import * as handlers from './handlers';
import * as routes from './routes';

/** `/memo/list` and `/memo/uploads` are registered before `/memo/{id}`, as the original ordered them. */
export const memosRouter = createRouter()
  .openapi(routes.createMemo, handlers.createMemo)
  .openapi(routes.createMemoSlash, handlers.createMemo)
  .openapi(routes.listMemos, handlers.listMemos)
  .openapi(routes.createUpload, handlers.createUpload)
  .openapi(routes.getMemo, handlers.getMemo)
  .openapi(routes.updateMemo, handlers.updateMemo)
  .openapi(routes.deleteMemo, handlers.deleteMemo);

export { eraseUserMemos, expirePendingUploads, openFile, receiveUpload, sweepOrphanObjects, type FileLink } from './service';
export { contentDisposition } from './urls';
export { memoResponder } from './response';
export { MemoSchema, type MemoResponse } from './schemas';
export type { MemoRow } from './repository';
