import type { RouteKey } from '../../upstream/routes.js';
import type { Handler } from '../http/types.js';

export const lockoutHandlers = {} satisfies Partial<Record<RouteKey, Handler>>;
