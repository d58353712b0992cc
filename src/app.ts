import { docsPage } from './http/docs';
import { onError, onNotFound } from './http/errors';
import { corsPolicy, requestId, services } from './http/middleware';
import { createRouter } from './http/router';
import { accountRouter } from './features/account';
import { authRouter } from './features/auth';
import { filesRouter } from './features/files';
import { healthRouter } from './features/health';
import { categoriesRouter } from './features/categories';
import { memosRouter } from './features/memos';
import { moodsRouter } from './features/moods';
import { reviewRouter } from './features/review';
import { sessionsRouter } from './features/sessions';
import { syncRouter } from './features/sync';

export function createApp() {
  const app = createRouter();
  app.use('*', requestId, corsPolicy, services);

  app.route('/', healthRouter);
  app.route('/', memosRouter);
  app.route('/', categoriesRouter);
  app.route('/', filesRouter);
  app.route('/', authRouter);
  app.route('/', accountRouter);
  app.route('/', sessionsRouter);
  app.route('/', moodsRouter);
  app.route('/', reviewRouter);
  app.route('/', syncRouter);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Omood API',
      version: '1.0.0',
      description: 'Focus sessions, multimedia memos and a day-by-day retrospective. Errors are RFC 9457 problem+json.',
    },
  });
  app.get('/docs', docsPage);

  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
