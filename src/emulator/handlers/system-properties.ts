import type { RouteKey } from '../../upstream/routes.js';
import type { Handler } from '../http/types.js';

export const systemPropertyHandlers = {} satisfies Partial<Record<RouteKey, Handler>>;
