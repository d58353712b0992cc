import { createRouter } from '../../http/router';
import { AUTH_COOKIE } from './cookie';
import * as handlers from './handlers';
import * as routes from './routes';

export const authRouter = createRouter()
  .openapi(routes.googleCallback, handlers.googleCallback)
  .openapi(routes.kakaoCallback, handlers.kakaoCallback)
  .openapi(routes.naverCallback, handlers.naverCallback)
  .openapi(routes.logout, handlers.logout)
  .openapi(routes.me, handlers.me)
  .openapi(routes.emailRegister, handlers.emailRegister)
  .openapi(routes.emailVerify, handlers.emailVerify)
  .openapi(routes.emailLogin, handlers.emailLogin)
  .openapi(routes.forgotPassword, handlers.forgotPassword)
  .openapi(routes.resetPassword, handlers.resetPassword)
  .openapi(routes.changePassword, handlers.changePassword);

authRouter.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', { type: 'apiKey', in: 'cookie', name: AUTH_COOKIE });
authRouter.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

export { authenticate, requireAuth } from './guard';
export { closeAccount, liftSuspension, reopenAccount, revokeSignInsBefore, suspendAccount } from './account-state';
export { closeForDeletion, eraseAuthKeys, refreshCachedProfile } from './service';
