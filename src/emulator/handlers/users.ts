import type { RouteKey } from '../../upstream/routes.js';
import type { Handler } from '../http/types.js';

export const userHandlers = {} satisfies Partial<Record<RouteKey, Handler>>;
