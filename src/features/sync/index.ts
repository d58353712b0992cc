import { createRouter } from '../../http/router';
import * as handlers from './handlers';
import * as routes from './routes';

export const syncRouter = createRouter().openapi(routes.sync, handlers.sync);

export { sweepSyncTombstones } from './service';
