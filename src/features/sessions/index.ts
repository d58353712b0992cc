import { createRouter } from '../../http/router';
import * as handlers from './handlers';
import * as routes from './routes';

// Order matters: /session/list and /session/current must be matched before /session/{session_id}.
export const sessionsRouter = createRouter()
  .openapi(routes.createSession, handlers.createSession)
  .openapi(routes.createSessionSlash, handlers.createSession)
  .openapi(routes.listSessions, handlers.listSessions)
  .openapi(routes.currentSession, handlers.currentSession)
  .openapi(routes.getSession, handlers.getSession)
  .openapi(routes.updateStatus, handlers.updateStatus)
  .openapi(routes.updateSession, handlers.updateSession)
  .openapi(routes.deleteSession, handlers.deleteSession);

export { eraseUserSessions, toResponse as sessionResponse } from './service';
export { forgetCurrentSessionIn } from './live-state';
export { SessionSchema, type SessionResponse } from './schemas';
