import { summariseDay } from '../features/review';
import type { SummariseDayMessage } from '../platform/queue';
import type { Services } from '../platform/services';

export const summariseJob = (services: Services, message: SummariseDayMessage) => summariseDay(services, message);
/**
 * Nothing to finalize once a generation failed every retry (the dead-letter handler logs it): the
 * previous summary, if any, stays and reads as stale, and the next read after the claim expires queues it again.
 */
export const finalizeSummariseJob = async () => {};
