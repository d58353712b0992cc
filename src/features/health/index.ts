import { createRouter } from '../../http/router';
import { getHealth, getRoot } from './handlers';
import { health, root } from './routes';

export const healthRouter = createRouter().openapi(root, getRoot).openapi(health, getHealth);
