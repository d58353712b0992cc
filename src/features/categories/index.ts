import { createRouter } from '../../http/router';
import * as handlers from './handlers';
import * as routes from './routes';

export const categoriesRouter = createRouter()
  .openapi(routes.listCategories, handlers.listCategories)
  .openapi(routes.listCustom, handlers.listCustom)
  .openapi(routes.createCustom, handlers.createCustom)
  .openapi(routes.updateCustom, handlers.updateCustom)
  .openapi(routes.deleteCustom, handlers.deleteCustom);

export { BUILTIN_KEYS, UNCATEGORIZED, contentHash } from './builtin';
export { classifyMemo, giveUpClassifying, requeueWaitingMemos } from './classification';
export { categoryOnCreate, categoryOnEdit, queueClassification, type CategoryColumns } from './memo-category';
export { categoryResponse } from './service';
export { CustomCategorySchema, type CustomCategoryResponse } from './schemas';
export type { CustomCategoryRow } from './repository';
