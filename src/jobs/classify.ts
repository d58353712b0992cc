import { classifyMemo, giveUpClassifying } from '../features/categories';
import type { ClassifyMemoMessage } from '../platform/queue';
import type { Services } from '../platform/services';

export const classifyJob = (services: Services, message: ClassifyMemoMessage) => classifyMemo(services, message);
export const finalizeClassifyJob = (services: Services, message: ClassifyMemoMessage) => giveUpClassifying(services, message);
