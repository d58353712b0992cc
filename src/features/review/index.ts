import { createRouter } from '../../http/router';
import * as handlers from './handlers';
import * as routes from './routes';

export const reviewRouter = createRouter()
  .openapi(routes.dailyRetrospective, handlers.dailyRetrospective)
  .openapi(routes.focusStats, handlers.focusStats)
  .openapi(routes.dailySummary, handlers.dailySummary)
  .openapi(routes.summaryRange, handlers.summaryRange);

export { summariseDay } from './service';
export { forgetSummaryClaimsIn } from './repository';
