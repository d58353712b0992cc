import { createRouter } from '../../http/router';
import * as handlers from './handlers';
import * as routes from './routes';

export const accountRouter = createRouter()
  .openapi(routes.userMe, handlers.userMe)
  .openapi(routes.updateProfile, handlers.updateProfile)
  .openapi(routes.deleteAccount, handlers.deleteAccount);

export { purgeDeletedAccounts } from './service';
