import { createRouter } from '../../http/router';
import * as handlers from './handlers';
import * as routes from './routes';

// /moods/list and /moods/stats must be matched before /moods/{mood_id}.
export const moodsRouter = createRouter()
  .openapi(routes.createMood, handlers.createMood)
  .openapi(routes.listMoods, handlers.listMoods)
  .openapi(routes.moodStats, handlers.moodStats)
  .openapi(routes.getMood, handlers.getMood)
  .openapi(routes.updateMood, handlers.updateMood)
  .openapi(routes.deleteMood, handlers.deleteMood);

export { moodResponse, moodsOfRange, moodsOfRangeQuery, reviewWithMood } from './service';
export { MoodSchema, ReviewMoodSchema, type MoodResponse } from './schemas';
