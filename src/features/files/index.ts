import { createRouter } from '../../http/router';
import * as handlers from './handlers';
import * as routes from './routes';

/** Signed file URLs (the HMAC mode of attachment URLs): no credentials, the signature is the authority. */
export const filesRouter = createRouter().openapi(routes.getFile, handlers.getFile).openapi(routes.putFile, handlers.putFile);
